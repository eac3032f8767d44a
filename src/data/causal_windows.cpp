// MIT-BIH beat windows with the on-device (causal) definitions, written from the definitions in
// docs/stream.md over whole arrays, in double precision: the reference the streaming C pipeline
// (runtime/src/ecg.c, float32, one sample at a time) is tested against, and what a model trained
// for the device sees (data.causal).
#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "physiolite/data/beat_windows.hpp"

namespace physiolite::data {

namespace {

// 2nd-order Butterworth section, bilinear transform with a prewarped corner, Q = 1/sqrt(2);
// direct form II transposed.
struct Biquad {
  double b0, b1, b2, a1, a2, z1 = 0, z2 = 0;
  Biquad(double corner_hz, double fs_hz, bool high_pass) {
    const double k = std::tan(std::numbers::pi * corner_hz / fs_hz);
    const double norm = 1.0 / (1.0 + k * std::numbers::sqrt2 + k * k);
    b0 = high_pass ? norm : k * k * norm;
    b1 = high_pass ? -2.0 * b0 : 2.0 * b0;
    b2 = b0;
    a1 = 2.0 * (k * k - 1.0) * norm;
    a2 = (1.0 - k * std::numbers::sqrt2 + k * k) * norm;
  }
  double run(double x) {
    const double y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    return y;
  }
  // Group delay in samples at `w` rad/sample: Re(sum k c_k z^-k / sum c_k z^-k) of the numerator
  // less that of the denominator, z = e^jw.
  [[nodiscard]] double delay(double w) const {
    auto part = [w](double c0, double c1, double c2) {
      const std::complex<double> e1 = std::polar(1.0, -w), e2 = std::polar(1.0, -2.0 * w);
      return std::real((c1 * e1 + 2.0 * c2 * e2) / (c0 + c1 * e1 + c2 * e2));
    };
    return part(b0, b1, b2) - part(1.0, a1, a2);
  }
};

// A rate in 1/1000 Hz, as plrt_ecg keeps it (exact resampling positions).
int64_t milli_hz(double fs) { return static_cast<int64_t>(std::floor(fs * 1000.0 + 0.5)); }

// round(x * to / from) for x >= 0 in integers, the rates in 1/1000 Hz (plrt_ecg's rounding).
int64_t rescale_round(int64_t x, int64_t to_q, int64_t from_q) {
  return (2 * x * to_q + from_q) / (2 * from_q);
}

// One lead at the model's rate with the running z-score after each sample.
struct CausalLead {
  std::vector<double> y, mean, sd;
};

// The lead band-passed causally at the record's rate and resampled to the model's.
std::vector<double> causal_signal(const std::vector<double>& raw, double record_fs,
                                  const MitBihOptions& o) {
  Biquad hp(o.low_hz, record_fs, true), lp(o.high_hz, record_fs, false);
  std::vector<double> filtered(raw.size());
  double last_valid = 0, offset = 0;
  for (size_t j = 0; j < raw.size(); ++j) {
    if (std::isfinite(raw[j])) last_valid = raw[j];  // invalid: the last valid sample
    if (j == 0) offset = last_valid;                 // the first sample, taken off (no step)
    filtered[j] = lp.run(hp.run(last_valid - offset));
  }
  // Output m at input position m fs / model_fs, between samples i and i + 1.
  const int64_t fs_q = milli_hz(record_fs), model_q = milli_hz(o.fs_hz);
  const auto n = static_cast<int64_t>(raw.size());
  std::vector<double> y;
  for (int64_t m = 0;; ++m) {
    const int64_t i = m * fs_q / model_q, rem = m * fs_q % model_q;
    if (i > n - 1 || (i == n - 1 && rem > 0)) break;
    const double frac = static_cast<double>(rem) / static_cast<double>(model_q);
    const auto u = static_cast<size_t>(i);
    y.push_back(rem == 0 ? filtered[u] : filtered[u] + frac * (filtered[u + 1] - filtered[u]));
  }
  return y;
}

CausalLead prepare_causal_lead(const std::vector<double>& raw, double record_fs,
                               const MitBihOptions& o) {
  CausalLead lead;
  lead.y = causal_signal(raw, record_fs, o);
  // Running mean and variance: weight 1/k for the k-th sample (the exact statistics so far)
  // until 1/k reaches 1/(norm_seconds model_fs), then that constant weight.
  const double norm_len = std::floor(o.causal_norm_seconds * o.fs_hz + 0.5);
  double mean = 0, var = 0;
  for (size_t k = 1; k <= lead.y.size(); ++k) {
    const double w =
        static_cast<double>(k) < norm_len ? 1.0 / static_cast<double>(k) : 1.0 / norm_len;
    const double x = lead.y[k - 1], new_mean = mean + w * (x - mean);
    var += w * ((x - mean) * (x - new_mean) - var);
    mean = new_mean;
    lead.mean.push_back(mean);
    lead.sd.push_back(std::sqrt(std::max(var, 0.0)));
  }
  return lead;
}

// Input sample whose arrival produces model sample m (plrt_ecg interpolates once the sample
// after the position has arrived).
int64_t arrival_of(int64_t m, int64_t fs_q, int64_t model_q) {
  const int64_t i = m * fs_q / model_q;
  return m * fs_q % model_q == 0 ? i : i + 1;
}

}  // namespace

std::vector<int64_t> refine_detected_beats(const std::vector<double>& lead, double record_fs,
                                           const std::vector<int64_t>& beats,
                                           const MitBihOptions& o) {
  const auto half = static_cast<int64_t>(std::floor(o.causal_refine_ms * o.fs_hz / 1000.0 + 0.5));
  if (half == 0 || lead.empty()) return beats;
  const std::vector<double> y = causal_signal(lead, record_fs, o);
  const double w = 2.0 * std::numbers::pi * 10.0 / record_fs;
  const double delay =
      Biquad(o.low_hz, record_fs, true).delay(w) + Biquad(o.high_hz, record_fs, false).delay(w);
  const int64_t shift = delay > 0 ? static_cast<int64_t>(std::floor(delay + 0.5)) : 0;
  const int64_t fs_q = milli_hz(record_fs), model_q = milli_hz(o.fs_hz);
  const auto produced = static_cast<int64_t>(y.size());
  std::vector<int64_t> refined;
  refined.reserve(beats.size());
  for (int64_t b : beats) {
    const int64_t centre = rescale_round(b, model_q, fs_q);
    const int64_t lo = std::max<int64_t>(centre - half, 0);
    const int64_t hi = std::min(centre + half, produced - 1);
    if (lo > hi) {
      refined.push_back(b);
      continue;
    }
    int64_t best = lo;
    for (int64_t k = lo + 1; k <= hi; ++k) {
      if (std::abs(y[static_cast<size_t>(k)]) > std::abs(y[static_cast<size_t>(best)])) best = k;
    }
    refined.push_back(std::max<int64_t>(rescale_round(best, fs_q, model_q) - shift, 0));
  }
  return refined;
}

void fill_causal_beat_windows(const std::vector<std::vector<double>>& raw, double record_fs,
                              const std::vector<int64_t>& beats,
                              const std::vector<int64_t>& known_at, const MitBihOptions& o,
                              WindowSet& set) {
  std::vector<CausalLead> leads;
  for (const auto& r : raw) leads.push_back(prepare_causal_lead(r, record_fs, o));
  const int64_t fs_q = milli_hz(record_fs), model_q = milli_hz(o.fs_hz);
  const auto produced = static_cast<int64_t>(leads.front().y.size());
  const auto t_len = static_cast<size_t>(set.t);
  const auto channels = static_cast<size_t>(set.c);
  const auto n_leads = raw.size();
  const auto max_post =
      static_cast<int64_t>(std::floor(o.causal_max_post_ms * record_fs / 1000.0 + 0.5));
  set.data.assign(beats.size() * channels * t_len, 0.0f);
  set.side.clear();
  set.begin_sample.clear();
  std::vector<std::vector<float>> median(n_leads, std::vector<float>(t_len, 0.0f));
  std::vector<int64_t> known;
  for (size_t i = 0; i < beats.size(); ++i) {
    // centre = round(sample model_fs / fs) in integers, as plrt_ecg
    const int64_t centre = rescale_round(beats[i], model_q, fs_q);
    const int64_t begin = centre - o.beat_offset, end = begin + set.t - 1;
    set.begin_sample.push_back(begin);
    // The successor is known if it was reported by the time this beat was finalised: when its
    // window was complete, or max_post samples after it, whichever is later.
    bool post_known = false;
    if (i + 1 < beats.size()) {
      const int64_t next_known = known_at.empty() ? beats[i + 1] : known_at[i + 1];
      const int64_t window_done = end < produced ? arrival_of(end, fs_q, model_q) : INT64_MAX;
      post_known = next_known <= std::max(window_done, beats[i] + max_post);
    }
    known.assign(beats.begin(), beats.begin() + static_cast<std::ptrdiff_t>(i + 1));
    if (post_known) known.push_back(beats[i + 1]);
    const double mean_rr_s = known.size() < 2
                                 ? 1.0
                                 : static_cast<double>(known.back() - known.front()) /
                                       static_cast<double>(known.size() - 1) / record_fs;
    append_rr_side_inputs(known, i, record_fs, mean_rr_s, o, set.side);
    if (end >= produced) continue;  // the stream ends inside the window: left zero
    for (size_t c = 0; c < n_leads; ++c) {
      const CausalLead& lead = leads[c];
      const auto e = static_cast<size_t>(end);
      const double sd = lead.sd[e] > 0 ? lead.sd[e] : 1.0;
      float* w = set.data.data() + (i * channels + c) * t_len;
      for (size_t k = 0; k < t_len; ++k) {
        const int64_t at = begin + static_cast<int64_t>(k);
        w[k] = at < 0 ? 0.0f
                      : static_cast<float>((lead.y[static_cast<size_t>(at)] - lead.mean[e]) / sd);
      }
      if (!o.template_channel) continue;
      // the running median beat: the mean of the first beats, then steps towards each beat
      std::vector<float>& m = median[c];
      float* d = set.data.data() + (i * channels + n_leads + c) * t_len;
      for (size_t k = 0; k < t_len; ++k) {
        if (i == 0) {
          m[k] = w[k];
        } else if (static_cast<int64_t>(i) < o.causal_learn_beats) {
          m[k] += (w[k] - m[k]) / static_cast<float>(i + 1);
        } else if (w[k] > m[k]) {
          m[k] += static_cast<float>(o.causal_template_step);
        } else if (w[k] < m[k]) {
          m[k] -= static_cast<float>(o.causal_template_step);
        }
        d[k] = w[k] - m[k];
      }
    }
  }
}

}  // namespace physiolite::data
