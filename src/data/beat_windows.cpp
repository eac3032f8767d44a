#include "physiolite/data/beat_windows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "physiolite/core/error.hpp"
#include "physiolite/data/aami.hpp"
#include "physiolite/dsp/iir_filter.hpp"
#include "physiolite/dsp/resample.hpp"
#include "physiolite/io/annotation.hpp"
#include "physiolite/io/wfdb.hpp"

namespace physiolite::data {

namespace {

// Median of `v` (reordered); the mean of the middle two for an even count.
template <class T>
T median_of(std::vector<T>& v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) return *mid;
  return T(0.5) * (*mid + *std::max_element(v.begin(), mid));
}

// The record's typical RR in seconds: the mean interval, or with rr_robust the median one (long
// pauses and runs of ectopic beats move the mean, not the median).
double record_rr_s(const std::vector<int64_t>& beats, double fs_hz, bool robust) {
  const size_t n = beats.size();
  if (n < 2) return 1.0;
  if (!robust) {
    return static_cast<double>(beats.back() - beats.front()) / static_cast<double>(n - 1) / fs_hz;
  }
  std::vector<double> rr;
  for (size_t k = 1; k < n; ++k) rr.push_back(static_cast<double>(beats[k] - beats[k - 1]));
  return median_of(rr) / fs_hz;
}

// Irregularity of the rhythm around beat i: the median absolute difference of successive RR
// intervals among the `half` intervals on each side of the beat (its pre- and post-RR included),
// over the median of those intervals. Medians, so that an isolated premature beat (two large
// differences) leaves a regular rhythm's value near 0, while atrial fibrillation, where every
// interval differs from the last, gives ~0.1-0.3. 0 with fewer than two differences.
double local_irregularity(const std::vector<int64_t>& beats, size_t i, int half) {
  const auto n = static_cast<int64_t>(beats.size());
  const auto centre = static_cast<int64_t>(i);
  const int64_t first = std::max<int64_t>(1, centre - half + 1);
  const int64_t last = std::min<int64_t>(n - 1, centre + half);  // interval k ends at beat k
  std::vector<double> intervals, differences;
  for (int64_t k = first; k <= last; ++k) {
    intervals.push_back(static_cast<double>(beats[k] - beats[k - 1]));
    if (k > first)
      differences.push_back(std::abs(intervals.back() - intervals[intervals.size() - 2]));
  }
  if (differences.size() < 2) return 0.0;
  return median_of(differences) / median_of(intervals);
}

}  // namespace

void append_rr_side_inputs(const std::vector<int64_t>& beats, size_t i, double fs_hz,
                           double mean_rr_s, const MitBihOptions& options,
                           std::vector<float>& out) {
  auto rr = [&](size_t k) { return static_cast<double>(beats[k] - beats[k - 1]) / fs_hz; };
  const size_t n = beats.size();
  const int local_beats = options.local_rr_beats;
  const double pre = i > 0 ? rr(i) : (n > 1 ? rr(1) : mean_rr_s);
  const double post = i + 1 < n ? rr(i + 1) : pre;
  std::vector<double> previous;  // the pre-RR and the intervals before it
  for (size_t k = i; k >= 1 && static_cast<int>(previous.size()) < local_beats; --k) {
    previous.push_back(rr(k));
  }
  double local = pre;
  if (!previous.empty() && options.rr_robust) {
    local = median_of(previous);
  } else if (!previous.empty()) {
    local = 0;
    for (double v : previous) local += v;
    local /= static_cast<double>(previous.size());
  }
  for (double v : {pre / mean_rr_s, post / mean_rr_s, local / mean_rr_s}) {
    out.push_back(static_cast<float>(v));
  }
  if (options.rr_seconds) out.push_back(static_cast<float>(mean_rr_s));
  if (options.rr_ratios) {
    out.push_back(static_cast<float>(pre / local));
    out.push_back(static_cast<float>(post / pre));
  }
  if (options.rr_variability) {
    double sum = 0, sum_sq = 0;
    int m = 0;
    for (size_t k = i > 0 ? i - 1 : 0; k >= 1 && m < local_beats; --k, ++m) {
      sum += rr(k);
      sum_sq += rr(k) * rr(k);
    }
    double cv = 0;
    if (m >= 2) {
      const double mean = sum / m;
      cv = std::sqrt(std::max(0.0, sum_sq / m - mean * mean)) / mean;
    }
    out.push_back(static_cast<float>(cv));
  }
  if (options.rr_irregularity)
    out.push_back(static_cast<float>(local_irregularity(beats, i, local_beats)));
}

namespace {

// Channels [leads, 2 * leads) of every window become channel c - leads minus that channel's
// sample-wise median over the record's windows (the record's dominant beat), or with
// `template_beats` > 0 over the windows of the beats at most that many beats away (the dominant
// beat of the current rhythm: in an atrial-fibrillation episode of a record otherwise in sinus
// rhythm, a beat without a P wave).
void subtract_median_beat(WindowSet& set, int64_t leads, int64_t template_beats) {
  const auto n = static_cast<int64_t>(set.n);
  const auto t = static_cast<size_t>(set.t);
  const auto c = static_cast<size_t>(set.c);
  std::vector<float> scratch;
  for (size_t lead = 0; lead < static_cast<size_t>(leads); ++lead) {
    for (size_t k = 0; k < t; ++k) {
      auto sample = [&](int64_t i) {
        return set.data[(static_cast<size_t>(i) * c + lead) * t + k];
      };
      auto median_over = [&](int64_t lo, int64_t hi) {  // beats [lo, hi)
        scratch.clear();
        for (int64_t j = lo; j < hi; ++j) scratch.push_back(sample(j));
        return median_of(scratch);
      };
      const float record_median = template_beats > 0 ? 0.0f : median_over(0, n);
      for (int64_t i = 0; i < n; ++i) {
        const float median = template_beats > 0
                                 ? median_over(std::max<int64_t>(0, i - template_beats),
                                               std::min<int64_t>(n, i + template_beats + 1))
                                 : record_median;
        const size_t base = static_cast<size_t>(i) * c * t + k;
        set.data[base + (lead + static_cast<size_t>(leads)) * t] = sample(i) - median;
      }
    }
  }
}

// One lead as the windows take it: NaN (invalid samples) to 0, band-pass, resampling to fs_hz,
// per-record normalisation.
dsp::Signal prepare_lead(dsp::Signal ecg, const MitBihOptions& options) {
  for (double& v : ecg.samples) {
    if (std::isnan(v)) v = 0.0;
  }
  ecg = dsp::bandpass_filter(ecg, options.filter_order, options.low_hz, options.high_hz);
  if (std::abs(ecg.fs_hz - options.fs_hz) > 1e-9) ecg = dsp::resample(ecg, options.fs_hz);
  dsp::normalize_inplace(ecg.samples, options.normalization);
  return ecg;
}

}  // namespace

WindowSet make_mitbih_window_set(const MitBihOptions& options) {
  WindowSet set;
  set.c = options.leads * (options.template_channel ? 2 : 1);
  set.t = options.window_length;
  set.fs_hz = options.fs_hz;
  set.side_names = mitbih_side_names(options);
  set.side_dim = static_cast<int64_t>(set.side_names.size());
  for (char c : options.classes) set.class_names.emplace_back(1, c);
  return set;
}

std::vector<int64_t> annotated_beats(const std::filesystem::path& record) {
  std::vector<int64_t> beats;
  for (const auto& a : io::read_annotations(record)) {
    if (io::is_beat_code(a.code)) beats.push_back(a.sample);
  }
  return beats;
}

std::vector<std::string> annotated_beat_classes(const std::filesystem::path& record) {
  std::vector<std::string> classes;
  for (const auto& a : io::read_annotations(record)) {
    if (!io::is_beat_code(a.code)) continue;
    const std::optional<AamiClass> c = aami_class_of_code(a.code);
    classes.emplace_back(c ? kAamiClassNames[static_cast<size_t>(*c)] : "other");
  }
  return classes;
}

WindowSet build_beat_windows(const std::filesystem::path& record,
                             const std::vector<int64_t>& beat_samples, const MitBihOptions& options,
                             const std::vector<int64_t>& known_at) {
  io::WfdbRecord rec = io::read_wfdb_record(record);
  int lead = rec.find_signal(options.lead);
  if (lead < 0 && options.first_signal_if_lead_missing) lead = 0;
  if (lead < 0) {
    throw InputError(InputLocation::file(record.string() + ".hea"), "signal description",
                     fmt::format("a signal named '{}'", options.lead), "none");
  }
  std::vector<int> signals = {lead};
  if (options.leads == 2) {
    if (rec.num_signals() < 2) {
      throw InputError(InputLocation::file(record.string() + ".hea"), "signal description",
                       "a second signal (mitbih.leads = 2)", "one signal");
    }
    signals.push_back(lead == 0 ? 1 : 0);
  }
  if (options.causal) {
    std::vector<std::vector<double>> raw;
    for (int s : signals) raw.push_back(rec.physical(s).samples);
    WindowSet set = make_mitbih_window_set(options);
    set.n = static_cast<int64_t>(beat_samples.size());
    fill_causal_beat_windows(raw, rec.header.fs_hz, beat_samples, known_at, options, set);
    set.source.assign(beat_samples.size(), record.filename().string());
    return set;
  }
  std::vector<dsp::Signal> ecg;
  for (int s : signals) ecg.push_back(prepare_lead(rec.physical(s), options));
  const double record_fs = rec.header.fs_hz;
  const size_t n_beats = beat_samples.size();
  const double mean_rr_s = record_rr_s(beat_samples, record_fs, options.rr_robust);
  WindowSet set = make_mitbih_window_set(options);
  set.n = static_cast<int64_t>(n_beats);
  const auto channels = static_cast<size_t>(set.c);
  set.data.assign(n_beats * channels * static_cast<size_t>(set.t), 0.0f);
  const auto length = static_cast<int64_t>(ecg.front().samples.size());
  const double scale = options.fs_hz / record_fs;
  const auto leads = static_cast<size_t>(options.leads);
  for (size_t i = 0; i < n_beats; ++i) {
    const int64_t centre = std::llround(static_cast<double>(beat_samples[i]) * scale);
    const int64_t begin = centre - options.beat_offset;
    const int64_t hi = std::min<int64_t>(set.t, length - begin);
    for (size_t c = 0; c < leads; ++c) {
      float* w = set.data.data() + (i * channels + c) * static_cast<size_t>(set.t);
      for (int64_t k = std::max<int64_t>(0, -begin); k < hi; ++k) {
        w[k] = static_cast<float>(ecg[c].samples[static_cast<size_t>(begin + k)]);
      }
    }
    append_rr_side_inputs(beat_samples, i, record_fs, mean_rr_s, options, set.side);
    set.begin_sample.push_back(begin);
  }
  if (options.template_channel && n_beats > 0)
    subtract_median_beat(set, options.leads, options.template_beats);
  set.source.assign(n_beats, record.filename().string());
  return set;
}

}  // namespace physiolite::data
