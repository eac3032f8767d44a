#include "physiolite/data/mitbih.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "physiolite/core/error.hpp"
#include "physiolite/core/parallel.hpp"
#include "physiolite/core/progress.hpp"
#include "physiolite/data/aami.hpp"
#include "physiolite/data/beat_matching.hpp"
#include "physiolite/data/beat_windows.hpp"
#include "physiolite/data/device_beats.hpp"
#include "physiolite/io/annotation.hpp"
#include "physiolite/io/wfdb.hpp"

namespace physiolite::data {

void MitBihOptions::validate() const {
  auto bad = [](const char* key, const std::string& expected, const std::string& found) {
    throw UsageError(fmt::format("mitbih.{}: expected {}, got {}", key, expected, found));
  };
  if (mitdb_dir.empty()) bad("mitdb_dir", "a directory", "nothing");
  if (filter_order < 1 || filter_order > 8)
    bad("filter_order", "1 to 8", std::to_string(filter_order));
  // Upper bounds (docs/limits.md): a window or rate of 1e9 would be refused only by the allocator.
  if (!(fs_hz > 0 && fs_hz <= kMaxRateHz)) {
    bad("fs_hz", fmt::format("a rate above 0 and at most {} Hz", kMaxRateHz),
        fmt::format("{}", fs_hz));
  }
  if (!(low_hz > 0 && low_hz < high_hz && high_hz < 360.0 / 2)) {
    bad("low_hz/high_hz", "0 < low_hz < high_hz < 180 Hz", fmt::format("{}/{}", low_hz, high_hz));
  }
  if (window_length < 8 || window_length > kMaxWindowLength) {
    bad("window_length", fmt::format("8 to {} samples", kMaxWindowLength),
        std::to_string(window_length));
  }
  if (beat_offset < 0 || beat_offset >= window_length) {
    bad("beat_offset", fmt::format("0 to {}", window_length - 1), std::to_string(beat_offset));
  }
  if (leads != 1 && leads != 2) bad("leads", "1 or 2", std::to_string(leads));
  if (local_rr_beats < 1 || local_rr_beats > kMaxBeatCount) {
    bad("local_rr_beats", fmt::format("1 to {}", kMaxBeatCount), std::to_string(local_rr_beats));
  }
  if (!(af_rhythm_fraction >= 0 && af_rhythm_fraction <= 1)) {
    bad("af_rhythm_fraction", "a number in [0, 1] (0 = off)",
        fmt::format("{}", af_rhythm_fraction));
  }
  if (template_beats < 0 || template_beats > kMaxBeatCount) {
    bad("template_beats", fmt::format("0 to {}", kMaxBeatCount), std::to_string(template_beats));
  }
  if (causal && (filter_order != 2 || normalization != dsp::Normalization::kZScore ||
                 template_beats != 0 || rr_robust)) {
    bad("causal", "filter_order 2, zscore, template_beats 0 and rr_robust off with it",
        "another combination");
  }
  // plrt_ecg's range (runtime/src/ecg.c)
  if (!(causal_max_post_ms >= 300 && causal_max_post_ms <= 3000)) {
    bad("causal_max_post_ms", "300 to 3000 ms", fmt::format("{}", causal_max_post_ms));
  }
  if (train_beats != "annotated" && train_beats != "detected")
    bad("train_beats", "\"annotated\" or \"detected\"", "\"" + excerpt(train_beats) + "\"");
  if (classes.empty()) bad("classes", "a subset of \"NSVFQ\"", "\"\"");
  for (char c : classes) {
    if (std::string_view("NSVFQ").find(c) == std::string_view::npos ||
        std::count(classes.begin(), classes.end(), c) != 1) {
      bad("classes", "distinct letters from \"NSVFQ\"", "\"" + excerpt(classes) + "\"");
    }
  }
  auto ds1 = mitbih_ds1_records();
  for (int r : validation_records) {
    if (std::find(ds1.begin(), ds1.end(), r) == ds1.end()) {
      bad("validation_records", "DS1 records only (never DS2)", std::to_string(r));
    }
  }
  for (int r : test_records) {
    if (std::find(ds1.begin(), ds1.end(), r) == ds1.end()) {
      bad("test_records", "DS1 records only (empty = DS2)", std::to_string(r));
    }
    if (std::find(validation_records.begin(), validation_records.end(), r) !=
        validation_records.end()) {
      bad("test_records", "records not in validation_records", std::to_string(r));
    }
  }
}

std::vector<std::string> mitbih_side_names(const MitBihOptions& options) {
  std::vector<std::string> names = {"rr_pre", "rr_post", "rr_local"};
  if (options.rr_seconds) names.emplace_back("rr_mean_s");
  if (options.rr_ratios) {
    names.emplace_back("rr_pre_over_local");
    names.emplace_back("rr_post_over_pre");
  }
  if (options.rr_variability) names.emplace_back("rr_previous_cv");
  if (options.rr_irregularity) names.emplace_back("rr_local_irregularity");
  return names;
}

std::vector<int> mitbih_split_records(MitBihSplit split, const MitBihOptions& options) {
  std::vector<int> out;
  switch (split) {
    case MitBihSplit::kTrain:
      for (int r : mitbih_ds1_records()) {
        auto held_out = [r](const std::vector<int>& v) {
          return std::find(v.begin(), v.end(), r) != v.end();
        };
        if (!held_out(options.validation_records) && !held_out(options.test_records))
          out.push_back(r);
      }
      break;
    case MitBihSplit::kValidation:
      out = options.validation_records;
      break;
    case MitBihSplit::kTest: {
      if (!options.test_records.empty()) {
        out = options.test_records;
        break;
      }
      auto ds2 = mitbih_ds2_records();
      out.assign(ds2.begin(), ds2.end());
      break;
    }
  }
  return out;
}

namespace {

// Windows of one record, appended in beat order.
struct RecordWindows {
  std::vector<float> data;
  std::vector<int64_t> labels;
  std::vector<float> side;
  std::vector<int64_t> begin_sample;
};

// The record's beats and their labels (-1: not a kept class). Annotations: every beat annotation
// gives the timing (RR) context, beats of a kept AAMI class a label. Device: every detection gives
// the timing context, a detection matched to an annotated beat of a kept class its label.
struct LabelledBeats {
  std::vector<int64_t> samples;
  std::vector<int64_t> labels;
  std::vector<int64_t> known_at;  // device beats only
};

LabelledBeats labelled_beats(const std::filesystem::path& path, const MitBihOptions& options,
                             BeatSource source) {
  LabelledBeats annotated;
  for (const auto& a : io::read_annotations(path)) {
    if (!io::is_beat_code(a.code)) continue;
    annotated.samples.push_back(a.sample);
    auto cls = aami_class_of_code(a.code);
    auto pos = cls ? options.classes.find(kAamiClassNames[static_cast<size_t>(*cls)][0])
                   : std::string::npos;
    annotated.labels.push_back(pos == std::string::npos ? -1 : static_cast<int64_t>(pos));
  }
  if (source == BeatSource::kAnnotations) return annotated;
  const io::WfdbRecord rec = io::read_wfdb_record(path);
  const int lead = rec.find_signal(options.lead);
  const double fs = rec.header.fs_hz;
  DeviceBeats found = device_beats(rec.physical(std::max(0, lead)).samples, fs, options);
  const BeatMatching matching =
      match_beats(annotated.samples, found.samples, std::lround(kDetectedBeatToleranceS * fs));
  LabelledBeats device{std::move(found.samples), {}, std::move(found.known_at)};
  device.labels.assign(device.samples.size(), -1);
  for (size_t r = 0; r < annotated.samples.size(); ++r) {
    const int64_t d = matching.detection_of_reference[r];
    if (d >= 0) device.labels[static_cast<size_t>(d)] = annotated.labels[r];
  }
  return device;
}

RecordWindows process_record(int record, const MitBihOptions& options, BeatSource source) {
  const auto path = options.mitdb_dir / std::to_string(record);
  const LabelledBeats beats = labelled_beats(path, options, source);
  const std::vector<int64_t>& labels = beats.labels;
  WindowSet all = build_beat_windows(path, beats.samples, options, beats.known_at);
  RecordWindows out;
  const auto per_window = static_cast<size_t>(all.c * all.t);
  const auto side_dim = static_cast<size_t>(all.side_dim);
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0) continue;
    out.data.insert(out.data.end(), all.data.begin() + static_cast<std::ptrdiff_t>(i * per_window),
                    all.data.begin() + static_cast<std::ptrdiff_t>((i + 1) * per_window));
    out.labels.push_back(labels[i]);
    out.side.insert(out.side.end(), all.side.begin() + static_cast<std::ptrdiff_t>(i * side_dim),
                    all.side.begin() + static_cast<std::ptrdiff_t>((i + 1) * side_dim));
    out.begin_sample.push_back(all.begin_sample[i]);
  }
  return out;
}

}  // namespace

WindowSet build_mitbih_windows(const std::vector<int>& records, const MitBihOptions& options,
                               BeatSource beats) {
  options.validate();
  std::vector<RecordWindows> per_record(records.size());
  ProgressBar progress("mitbih", static_cast<int64_t>(records.size()), "records");
  parallel_for(records.size(), [&](size_t i) {
    per_record[i] = process_record(records[i], options, beats);
    progress.tick();
  });
  progress.finish();

  WindowSet set = make_mitbih_window_set(options);
  size_t total = 0;
  for (const auto& r : per_record) total += r.labels.size();
  set.n = static_cast<int64_t>(total);
  set.data.reserve(total * static_cast<size_t>(set.c * set.t));
  for (size_t i = 0; i < records.size(); ++i) {
    auto& r = per_record[i];
    set.data.insert(set.data.end(), r.data.begin(), r.data.end());
    set.labels.insert(set.labels.end(), r.labels.begin(), r.labels.end());
    set.side.insert(set.side.end(), r.side.begin(), r.side.end());
    set.begin_sample.insert(set.begin_sample.end(), r.begin_sample.begin(), r.begin_sample.end());
    set.source.insert(set.source.end(), r.labels.size(), std::to_string(records[i]));
    r = RecordWindows{};  // release memory as we go
  }
  return set;
}

}  // namespace physiolite::data
