// Evaluation of the streaming QRS detector on a WFDB database (MIT-BIH Arrhythmia): detections
// matched one-to-one to the reference beat annotations within +/- 150 ms, per record and gross,
// with and without the AAMI EC57 exclusion of ventricular flutter episodes.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "physiolite/data/beat_matching.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/stream/qrs_detector.hpp"

namespace physiolite::stream {

constexpr double kQrsMatchToleranceS = 0.150;

struct QrsRecordScore {
  std::string record;  // "100"
  std::string lead;    // signal description, e.g. "MLII"
  int signal_index = 0;
  double fs_hz = 0.0;
  int64_t num_samples = 0;
  data::MatchCounts all;            // every reference beat
  data::MatchCounts vf_excluded;    // beats and detections in VF episodes left out
  int64_t vf_excluded_samples = 0;  // length of the VF episodes
  int64_t searchback_beats = 0;     // detections found by searchback
  int64_t bad_signal_episodes = 0;  // flat / out-of-range stretches reported by the detector
  DelayStats delay;                 // emitted sample - reference sample, matched beats
};

struct QrsEvaluation {
  std::vector<QrsRecordScore> records;
  data::MatchCounts gross_all;
  data::MatchCounts gross_vf_excluded;
  DelayStats delay;                 // over every matched beat of every record
  double max_delay_bound_ms = 0.0;  // the detector's documented bound at the records' fs

  // The record with the lowest min(Se, +P) (VF excluded when `vf_excluded`).
  const QrsRecordScore& worst(bool vf_excluded) const;
};

// The lead the evaluation uses: the signal named MLII if there is one, else signal 0.
int choose_qrs_lead(const io::WfdbRecord& record);

// The records of `dir` that have a header and reference annotations (`.hea` + `.atr`), sorted.
// Throws InputError if the folder is missing or holds none.
std::vector<std::filesystem::path> list_annotated_records(const std::filesystem::path& dir);

QrsRecordScore evaluate_qrs_record(const std::filesystem::path& record);

QrsEvaluation evaluate_qrs_records(const std::vector<std::filesystem::path>& records,
                                   const std::function<void(const QrsRecordScore&)>& on_done = {});

nlohmann::json to_json(const QrsEvaluation& evaluation);

// The per-record table with the two gross lines, as printed by `physiolite detect-eval`.
std::string format_qrs_table(const QrsEvaluation& evaluation);

}  // namespace physiolite::stream
