#include "physiolite/data/mitbih.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "physiolite/core/error.hpp"
#include "physiolite/core/parallel.hpp"
#include "physiolite/core/progress.hpp"
#include "physiolite/data/aami.hpp"
#include "physiolite/dsp/iir_filter.hpp"
#include "physiolite/dsp/resample.hpp"
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
  if (!(fs_hz > 0)) bad("fs_hz", "a positive rate", fmt::format("{}", fs_hz));
  if (!(low_hz > 0 && low_hz < high_hz && high_hz < 360.0 / 2)) {
    bad("low_hz/high_hz", "0 < low_hz < high_hz < 180 Hz", fmt::format("{}/{}", low_hz, high_hz));
  }
  if (window_length < 8) bad("window_length", "at least 8 samples", std::to_string(window_length));
  if (beat_offset < 0 || beat_offset >= window_length) {
    bad("beat_offset", fmt::format("0 to {}", window_length - 1), std::to_string(beat_offset));
  }
  if (local_rr_beats < 1) bad("local_rr_beats", "at least 1", std::to_string(local_rr_beats));
  if (classes.empty()) bad("classes", "a subset of \"NSVFQ\"", "\"\"");
  for (char c : classes) {
    if (std::string_view("NSVFQ").find(c) == std::string_view::npos ||
        std::count(classes.begin(), classes.end(), c) != 1) {
      bad("classes", "distinct letters from \"NSVFQ\"", "\"" + classes + "\"");
    }
  }
  auto ds1 = mitbih_ds1_records();
  for (int r : validation_records) {
    if (std::find(ds1.begin(), ds1.end(), r) == ds1.end()) {
      bad("validation_records", "DS1 records only (never DS2)", std::to_string(r));
    }
  }
}

std::vector<int> mitbih_split_records(MitBihSplit split, const MitBihOptions& options) {
  std::vector<int> out;
  switch (split) {
    case MitBihSplit::kTrain:
      for (int r : mitbih_ds1_records()) {
        auto& v = options.validation_records;
        if (std::find(v.begin(), v.end(), r) == v.end()) out.push_back(r);
      }
      break;
    case MitBihSplit::kValidation:
      out = options.validation_records;
      break;
    case MitBihSplit::kTest: {
      auto ds2 = mitbih_ds2_records();
      out.assign(ds2.begin(), ds2.end());
      break;
    }
  }
  return out;
}

namespace {

struct Beat {
  int64_t sample;  // at the record's own rate
  int code;
};

// Windows of one record, appended in beat order.
struct RecordWindows {
  std::vector<float> data;
  std::vector<int64_t> labels;
  std::vector<float> side;
  std::vector<int64_t> begin_sample;
};

std::vector<float> rr_features(const std::vector<Beat>& beats, size_t i, double fs_hz,
                               double mean_rr_s, int local_beats) {
  auto rr = [&](size_t k) {  // interval ending at beat k (k >= 1), seconds
    return static_cast<double>(beats[k].sample - beats[k - 1].sample) / fs_hz;
  };
  const size_t n = beats.size();
  double pre = i > 0 ? rr(i) : (n > 1 ? rr(1) : mean_rr_s);
  double post = i + 1 < n ? rr(i + 1) : pre;
  double local = 0;
  int count = 0;
  for (size_t k = i; k >= 1 && count < local_beats; --k, ++count) local += rr(k);
  local = count > 0 ? local / count : pre;
  return {static_cast<float>(pre / mean_rr_s), static_cast<float>(post / mean_rr_s),
          static_cast<float>(local / mean_rr_s), static_cast<float>(mean_rr_s)};
}

RecordWindows process_record(int record, const MitBihOptions& options, const std::string& classes) {
  const auto path = options.mitdb_dir / std::to_string(record);
  io::WfdbRecord rec = io::read_wfdb_record(path);
  int lead = rec.find_signal(options.lead);
  if (lead < 0 && options.first_signal_if_lead_missing) lead = 0;
  if (lead < 0) {
    throw InputError(InputLocation::file(path.string() + ".hea"), "signal description",
                     fmt::format("a signal named '{}'", options.lead), "none");
  }
  dsp::Signal ecg = rec.physical(lead);
  for (double& v : ecg.samples) {
    if (std::isnan(v)) v = 0.0;  // invalid samples: neutral after band-pass
  }
  ecg = dsp::bandpass_filter(ecg, options.filter_order, options.low_hz, options.high_hz);
  const double record_fs = ecg.fs_hz;
  if (std::abs(record_fs - options.fs_hz) > 1e-9) ecg = dsp::resample(ecg, options.fs_hz);
  dsp::normalize_inplace(ecg.samples, options.normalization);

  std::vector<Beat> beats;
  for (const auto& a : io::read_annotations(path)) {
    if (io::is_beat_code(a.code)) beats.push_back({a.sample, a.code});
  }
  double mean_rr_s = beats.size() > 1
                         ? static_cast<double>(beats.back().sample - beats.front().sample) /
                               static_cast<double>(beats.size() - 1) / record_fs
                         : 1.0;

  RecordWindows out;
  const int64_t length = options.window_length;
  const auto n = static_cast<int64_t>(ecg.samples.size());
  const double scale = options.fs_hz / record_fs;
  for (size_t i = 0; i < beats.size(); ++i) {
    auto cls = aami_class_of_code(beats[i].code);
    if (!cls) continue;
    auto pos = classes.find(kAamiClassNames[static_cast<size_t>(*cls)][0]);
    if (pos == std::string::npos) continue;
    const int64_t centre = std::llround(static_cast<double>(beats[i].sample) * scale);
    const int64_t begin = centre - options.beat_offset;
    size_t base = out.data.size();
    out.data.resize(base + static_cast<size_t>(length), 0.0f);
    const int64_t lo = std::max<int64_t>(0, -begin);
    const int64_t hi = std::min<int64_t>(length, n - begin);
    for (int64_t k = lo; k < hi; ++k) {
      out.data[base + static_cast<size_t>(k)] =
          static_cast<float>(ecg.samples[static_cast<size_t>(begin + k)]);
    }
    out.labels.push_back(static_cast<int64_t>(pos));
    auto side = rr_features(beats, i, record_fs, mean_rr_s, options.local_rr_beats);
    out.side.insert(out.side.end(), side.begin(), side.end());
    out.begin_sample.push_back(begin);
  }
  return out;
}

}  // namespace

WindowSet build_mitbih_windows(const std::vector<int>& records, const MitBihOptions& options) {
  options.validate();
  std::vector<RecordWindows> per_record(records.size());
  ProgressBar progress("mitbih", static_cast<int64_t>(records.size()), "records");
  parallel_for(records.size(), [&](size_t i) {
    per_record[i] = process_record(records[i], options, options.classes);
    progress.tick();
  });
  progress.finish();

  WindowSet set;
  set.c = 1;
  set.t = options.window_length;
  set.fs_hz = options.fs_hz;
  set.side_dim = kMitBihSideDim;
  set.side_names.assign(std::begin(kMitBihSideNames), std::end(kMitBihSideNames));
  for (char c : options.classes) set.class_names.emplace_back(1, c);
  size_t total = 0;
  for (const auto& r : per_record) total += r.labels.size();
  set.n = static_cast<int64_t>(total);
  set.data.reserve(total * static_cast<size_t>(set.t));
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
