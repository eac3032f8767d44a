// Rational resampling with an anti-aliasing FIR, as scipy.signal.resample_poly(x, up, down) with
// its defaults: up and down reduced by their gcd; a Kaiser-window (beta 5.0) low-pass of
// 2 * 10 * max(up, down) + 1 taps, cutoff at 1 / max(up, down) of Nyquist, unit DC gain times up;
// zeros outside the signal; ceil(n * up / down) output samples aligned so that output sample j sits
// at input time j * down / up.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "physiolite/dsp/signal.hpp"

namespace physiolite::dsp {

std::vector<double> resample_poly(std::span<const double> x, int up, int down);

// ceil(n * up / down) after reducing up/down.
int64_t resample_poly_length(int64_t n, int up, int down);

// up/down in lowest terms with up / down == fs_to / fs_from to 1e-9 relative, both <= max_factor;
// UsageError if there is none (e.g. an irrational-looking ratio).
struct RateRatio {
  int up = 1;
  int down = 1;
};
constexpr int kMaxResampleFactor = 1000;
RateRatio rational_rate_ratio(double fs_from_hz, double fs_to_hz,
                              int max_factor = kMaxResampleFactor);

// Resamples to fs_target_hz (the returned Signal carries fs_target_hz).
Signal resample(const Signal& x, double fs_target_hz);

// The FIR resample_poly uses (scipy.signal.firwin(2*half_len+1, 1/max_rate, window=('kaiser', 5))
// times up), exposed for tests.
std::vector<double> resample_poly_filter(int up, int down);

}  // namespace physiolite::dsp
