#include "physiolite/stream/qrs_evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "physiolite/core/error.hpp"
#include "physiolite/io/annotation.hpp"

namespace physiolite::stream {

using data::MatchCounts;

namespace {

double quality(const MatchCounts& c) {
  return std::min(c.sensitivity(), c.positive_predictivity());
}

nlohmann::json counts_json(const MatchCounts& c) {
  return {{"tp", c.tp},
          {"fn", c.fn},
          {"fp", c.fp},
          {"se", c.sensitivity()},
          {"ppv", c.positive_predictivity()}};
}

nlohmann::json delay_json(const DelayStats& d) {
  return {{"count", d.count}, {"mean_ms", d.mean_ms}, {"max_ms", d.max_ms}};
}

std::string table_row(const std::string& name, const std::string& lead, const MatchCounts& c,
                      const DelayStats& d) {
  return fmt::format("{:<14} {:<5} {:>7} {:>5} {:>5} {:>8.2f} {:>8.2f} {:>8.0f} {:>8.0f}\n", name,
                     lead, c.tp, c.fn, c.fp, 100.0 * c.sensitivity(),
                     100.0 * c.positive_predictivity(), d.mean_ms, d.max_ms);
}

}  // namespace

const QrsRecordScore& QrsEvaluation::worst(bool vf_excluded) const {
  PL_CHECK(!records.empty(), "no records evaluated");
  return *std::min_element(records.begin(), records.end(), [&](const auto& a, const auto& b) {
    return vf_excluded ? quality(a.vf_excluded) < quality(b.vf_excluded)
                       : quality(a.all) < quality(b.all);
  });
}

int choose_qrs_lead(const io::WfdbRecord& record) {
  const int mlii = record.find_signal("MLII");
  return mlii >= 0 ? mlii : 0;
}

std::vector<std::filesystem::path> list_annotated_records(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw InputError(InputLocation::file(dir.string()), "database folder",
                     "a folder of WFDB records", "no such folder");
  }
  std::vector<std::filesystem::path> records;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto& p = entry.path();
    if (p.extension() != ".hea") continue;
    auto record = p;
    record.replace_extension();
    if (std::filesystem::exists(record.string() + ".atr")) records.push_back(record);
  }
  if (records.empty()) {
    throw InputError(InputLocation::file(dir.string()), "records",
                     "at least one record with .hea and .atr files", "none");
  }
  std::sort(records.begin(), records.end());
  return records;
}

QrsRecordScore evaluate_qrs_record(const std::filesystem::path& record_path) {
  const io::WfdbRecord record = io::read_wfdb_record(record_path);
  if (record.num_signals() == 0) {
    throw InputError(InputLocation::file(record_path.string() + ".hea"), "signals",
                     "at least one signal", "none");
  }
  const auto annotations = io::read_annotations(record_path, "atr");
  QrsRecordScore score;
  score.record = record_path.filename().string();
  score.signal_index = choose_qrs_lead(record);
  const dsp::Signal signal = record.physical(score.signal_index);
  score.lead = signal.name;
  score.fs_hz = signal.fs_hz;
  score.num_samples = static_cast<int64_t>(signal.samples.size());

  QrsDetection detection;
  try {
    detection = detect_qrs(signal);
  } catch (const UsageError& e) {
    throw InputError(InputLocation::file(record_path.string() + ".hea"), "sampling frequency",
                     fmt::format("{} to {} Hz", PLRT_QRS_MIN_FS_HZ, PLRT_QRS_MAX_FS_HZ),
                     fmt::format("{:g}", signal.fs_hz));
  }
  std::vector<int64_t> reference, detected;
  for (const auto& a : annotations) {
    if (io::is_beat_code(a.code)) reference.push_back(a.sample);
  }
  for (const auto& b : detection.beats) {
    detected.push_back(b.sample);
    score.searchback_beats += b.searchback;
  }
  score.bad_signal_episodes = static_cast<int64_t>(detection.episodes.size());
  const auto tolerance = static_cast<int64_t>(std::lround(kQrsMatchToleranceS * signal.fs_hz));
  const data::BeatMatching matching = data::match_beats(reference, detected, tolerance);
  score.all = matching.counts;

  std::vector<int64_t> delays;
  for (size_t r = 0; r < reference.size(); ++r) {
    const int64_t d = matching.detection_of_reference[r];
    if (d >= 0)
      delays.push_back(detection.beats[static_cast<size_t>(d)].emitted_sample - reference[r]);
  }
  score.delay = delay_stats(delays, signal.fs_hz);

  const auto episodes = data::ventricular_flutter_episodes(annotations, score.num_samples);
  for (const auto& e : episodes) score.vf_excluded_samples += e.end_sample - e.begin_sample;
  score.vf_excluded = data::match_beats(data::outside_ranges(reference, episodes),
                                        data::outside_ranges(detected, episodes), tolerance)
                          .counts;
  return score;
}

QrsEvaluation evaluate_qrs_records(const std::vector<std::filesystem::path>& records,
                                   const std::function<void(const QrsRecordScore&)>& on_done) {
  QrsEvaluation out;
  double delay_sum_ms = 0.0;
  for (const auto& path : records) {
    out.records.push_back(evaluate_qrs_record(path));
    const auto& s = out.records.back();
    out.gross_all += s.all;
    out.gross_vf_excluded += s.vf_excluded;
    delay_sum_ms += s.delay.mean_ms * static_cast<double>(s.delay.count);
    out.delay.count += s.delay.count;
    out.delay.max_ms = std::max(out.delay.max_ms, s.delay.max_ms);
    out.max_delay_bound_ms =
        std::max(out.max_delay_bound_ms,
                 1000.0 * static_cast<double>(QrsDetector(s.fs_hz).max_delay_samples()) / s.fs_hz);
    if (on_done) on_done(s);
  }
  if (out.delay.count > 0) out.delay.mean_ms = delay_sum_ms / static_cast<double>(out.delay.count);
  return out;
}

nlohmann::json to_json(const QrsEvaluation& e) {
  nlohmann::json records = nlohmann::json::array();
  for (const auto& s : e.records) {
    records.push_back({{"record", s.record},
                       {"lead", s.lead},
                       {"signal_index", s.signal_index},
                       {"fs_hz", s.fs_hz},
                       {"num_samples", s.num_samples},
                       {"all", counts_json(s.all)},
                       {"vf_excluded", counts_json(s.vf_excluded)},
                       {"vf_excluded_samples", s.vf_excluded_samples},
                       {"searchback_beats", s.searchback_beats},
                       {"bad_signal_episodes", s.bad_signal_episodes},
                       {"delay", delay_json(s.delay)}});
  }
  return {{"tolerance_ms", 1000.0 * kQrsMatchToleranceS},
          {"lead_rule", "signal named MLII, else signal 0"},
          {"reference", "annotations with a beat code (is_beat_code)"},
          {"vf_exclusion", "rhythm '(VFL' until the next rhythm change (AAMI EC57)"},
          {"state_bytes", QrsDetector::state_size_bytes()},
          {"max_delay_bound_ms", e.max_delay_bound_ms},
          {"records", records},
          {"gross", counts_json(e.gross_all)},
          {"gross_vf_excluded", counts_json(e.gross_vf_excluded)},
          {"delay", delay_json(e.delay)},
          {"worst_record", e.worst(false).record},
          {"worst_record_vf_excluded", e.worst(true).record}};
}

std::string format_qrs_table(const QrsEvaluation& e) {
  std::string out =
      fmt::format("{:<14} {:<5} {:>7} {:>5} {:>5} {:>8} {:>8} {:>8} {:>8}\n", "record", "lead",
                  "TP", "FN", "FP", "Se%", "+P%", "delay_ms", "max_ms");
  for (const auto& s : e.records) {
    out += table_row(s.record, escape_controls(s.lead), s.all, s.delay);  // header text
  }
  out += table_row("gross", "", e.gross_all, e.delay);
  out += table_row("gross, no VFL", "", e.gross_vf_excluded, e.delay);
  for (const auto& s : e.records) {
    if (s.vf_excluded_samples == 0) continue;
    out += fmt::format("{} without its {:.1f} s of ventricular flutter: TP {} FN {} FP {}\n",
                       s.record, static_cast<double>(s.vf_excluded_samples) / s.fs_hz,
                       s.vf_excluded.tp, s.vf_excluded.fn, s.vf_excluded.fp);
  }
  const auto& worst = e.worst(true);
  out += fmt::format("worst record (VF excluded): {} (Se {:.2f} %, +P {:.2f} %)\n", worst.record,
                     100.0 * worst.vf_excluded.sensitivity(),
                     100.0 * worst.vf_excluded.positive_predictivity());
  return out;
}

}  // namespace physiolite::stream
