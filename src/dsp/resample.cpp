// Polyphase form of scipy's resample_poly: the filter h (length L = 2*half_len + 1) is placed
// n_pre_pad zeros late, so output j is  y[j] = sum_k h[t_j - k*up] x[k]  with
// t_j = (j + n_pre_remove) * down - n_pre_pad. Only the taps that meet an input sample are
// visited: those of one phase (t_j mod up), about L / up multiply-adds per output, and none of
// the zeros upsampling would insert.
#include "physiolite/dsp/resample.hpp"

#include <fmt/format.h>
#include <cmath>
#include <numbers>
#include <numeric>

#include "usage_check.hpp"

namespace physiolite::dsp {
namespace {

constexpr double kKaiserBeta = 5.0;

// Modified Bessel function of the first kind, order 0: sum ((x/2)^k / k!)^2 (converges fast for
// the arguments <= beta used here).
double bessel_i0(double x) {
  double term = 1, sum = 1;
  const double q = x * x / 4;
  for (int k = 1; k < 500 && term > 1e-17 * sum; ++k) {
    term *= q / (static_cast<double>(k) * k);
    sum += term;
  }
  return sum;
}

double sinc(double x) {
  if (x == 0) return 1.0;
  const double px = std::numbers::pi * x;
  return std::sin(px) / px;
}

void check_factors(std::string_view function, int up, int down) {
  if (up < 1) detail::usage_fail(function, "up", "an integer >= 1", fmt::format("{}", up));
  if (down < 1) detail::usage_fail(function, "down", "an integer >= 1", fmt::format("{}", down));
}

}  // namespace

std::vector<double> resample_poly_filter(int up, int down) {
  check_factors("resample_poly_filter", up, down);
  const int g = std::gcd(up, down);
  up /= g, down /= g;
  const int max_rate = std::max(up, down);
  const double cutoff = 1.0 / max_rate;
  const int half_len = 10 * max_rate;
  const int taps = 2 * half_len + 1;
  const double alpha = 0.5 * (taps - 1);
  std::vector<double> h(taps);
  double sum = 0;
  for (int i = 0; i < taps; ++i) {
    const double m = i - alpha;
    const double r = (i - alpha) / alpha;
    const double window = bessel_i0(kKaiserBeta * std::sqrt(1 - r * r)) / bessel_i0(kKaiserBeta);
    h[i] = cutoff * sinc(cutoff * m) * window;
    sum += h[i];
  }
  for (double& v : h) v = v / sum * up;  // firwin's unit DC gain, then resample_poly's gain up
  return h;
}

int64_t resample_poly_length(int64_t n, int up, int down) {
  check_factors("resample_poly_length", up, down);
  const int g = std::gcd(up, down);
  up /= g, down /= g;
  return (n * up + down - 1) / down;
}

std::vector<double> resample_poly(std::span<const double> x, int up, int down) {
  check_factors("resample_poly", up, down);
  const int g = std::gcd(up, down);
  up /= g, down /= g;
  if (up == 1 && down == 1) return {x.begin(), x.end()};
  const std::vector<double> h = resample_poly_filter(up, down);
  const int64_t taps = static_cast<int64_t>(h.size());
  const int64_t half_len = (taps - 1) / 2;
  const int64_t n_pre_pad = down - half_len % down;
  const int64_t n_pre_remove = (half_len + n_pre_pad) / down;
  const auto n_in = static_cast<int64_t>(x.size());

  // Phase r of the filter is h[r], h[r + up], ...; stored reversed (and zero-padded at the front
  // to a common length) so that each output is a forward dot product with contiguous input:
  //   y[j] = sum_i phase_r[i] * x[q - width + 1 + i],  t_j = q * up + r.
  const int64_t width = (taps + up - 1) / up;
  std::vector<double> phases(static_cast<size_t>(width * up), 0.0);
  for (int64_t r = 0; r < up; ++r) {
    for (int64_t m = 0; r + m * up < taps; ++m) phases[r * width + width - 1 - m] = h[r + m * up];
  }

  std::vector<double> y(static_cast<size_t>(resample_poly_length(n_in, up, down)));
  for (int64_t j = 0; j < static_cast<int64_t>(y.size()); ++j) {
    const int64_t t = (j + n_pre_remove) * down - n_pre_pad;  // >= 0: half_len >= 10 * down
    const int64_t q = t / up;
    const int64_t start = q - width + 1;
    const int64_t lo = std::max<int64_t>(0, -start), hi = std::min(width, n_in - start);
    const int64_t count = hi - lo;
    if (count <= 0) continue;  // only possible for inputs shorter than the filter: y[j] stays 0
    const double* p = phases.data() + (t % up) * width + lo;
    const double* xs = x.data() + (start + lo);
    // Four partial sums: independent chains the CPU can overlap.
    double acc[4] = {0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 4 <= count; i += 4) {
      for (int u = 0; u < 4; ++u) acc[u] += p[i + u] * xs[i + u];
    }
    for (; i < count; ++i) acc[0] += p[i] * xs[i];
    y[j] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  }
  return y;
}

RateRatio rational_rate_ratio(double fs_from_hz, double fs_to_hz, int max_factor) {
  detail::check_rate("resample", "fs_hz", fs_from_hz);
  detail::check_rate("resample", "fs_target_hz", fs_to_hz);
  const double ratio = fs_to_hz / fs_from_hz;
  // The smallest denominator whose best numerator hits the ratio: continued fractions would find
  // it faster, but max_factor is small and this is plainly correct.
  for (int down = 1; down <= max_factor; ++down) {
    const double up = std::round(ratio * down);
    if (up >= 1 && up <= max_factor && std::abs(up / down - ratio) <= 1e-9 * ratio) {
      return {static_cast<int>(up), down};
    }
  }
  detail::usage_fail("resample", "fs_target_hz",
                     fmt::format("a rate whose ratio to {} Hz is up/down with up, down <= {}",
                                 fs_from_hz, max_factor),
                     fmt::format("{} Hz (ratio {})", fs_to_hz, ratio));
}

Signal resample(const Signal& x, double fs_target_hz) {
  const RateRatio r = rational_rate_ratio(x.fs_hz, fs_target_hz);
  return Signal{resample_poly(x.samples, r.up, r.down), fs_target_hz, x.units, x.name};
}

}  // namespace physiolite::dsp
