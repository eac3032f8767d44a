#include "physiolite/dsp/normalize.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "usage_check.hpp"

namespace physiolite::dsp {

void NormStats::add(std::span<const double> x) {
  if (x.empty()) return;
  // Two passes over the segment, then one pairwise merge.
  NormStats s;
  s.count_ = static_cast<int64_t>(x.size());
  double sum = 0;
  for (double v : x) sum += v;
  s.mean_ = sum / static_cast<double>(s.count_);
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  s.min_ = *lo, s.max_ = *hi;
  for (double v : x) s.m2_ += (v - s.mean_) * (v - s.mean_);
  add(s);
}

void NormStats::add_extremes(std::span<const double> x) {
  if (x.empty()) return;
  NormStats s;
  s.count_ = static_cast<int64_t>(x.size());
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  s.min_ = *lo, s.max_ = *hi;
  add(s);
}

void NormStats::add(const NormStats& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(count_), nb = static_cast<double>(other.count_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * nb / n;
  m2_ += other.m2_ + delta * delta * na * nb / n;
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double NormStats::variance() const { return count_ > 0 ? m2_ / static_cast<double>(count_) : 0.0; }
double NormStats::stddev() const { return std::sqrt(variance()); }
double NormStats::max_abs() const { return std::max(std::abs(min_), std::abs(max_)); }

void apply(Normalization kind, const NormStats& stats, std::span<double> x, double epsilon) {
  if (stats.count() == 0) {
    detail::usage_fail("normalize", "stats", "statistics of at least one sample",
                       "empty statistics");
  }
  if (!(epsilon >= 0)) {
    detail::usage_fail("normalize", "epsilon", "a value >= 0", fmt::format("{}", epsilon));
  }
  // Every kind is y = (x - offset) * scale + shift. Constant data (range 0) maps to exact zeros:
  // its computed mean and sigma carry rounding that would otherwise leave tiny non-zero values.
  double offset = 0, scale = 0, shift = 0;
  const double range = stats.max() - stats.min();
  switch (kind) {
    case Normalization::kZScore:
      offset = stats.mean();
      scale = range > 0 ? 1.0 / (stats.stddev() + epsilon) : 0.0;
      break;
    case Normalization::kMinMaxSymmetric:
      offset = stats.min();
      scale = range > 0 ? 2.0 / range : 0.0;
      shift = range > 0 ? -1.0 : 0.0;
      break;
    case Normalization::kMinMaxUnit:
      offset = stats.min();
      scale = range > 0 ? 1.0 / range : 0.0;
      break;
    case Normalization::kMaxAbs:
      scale = stats.max_abs() > 0 ? 1.0 / stats.max_abs() : 0.0;
      break;
  }
  for (double& v : x) v = (v - offset) * scale + shift;
}

void normalize_inplace(std::span<double> x, Normalization kind, double epsilon) {
  NormStats stats;
  if (kind == Normalization::kZScore) {
    stats.add(x);
  } else {
    stats.add_extremes(x);  // the other kinds read only min and max: one pass, not three
  }
  apply(kind, stats, x, epsilon);
}

Signal normalize(const Signal& x, Normalization kind, double epsilon) {
  Signal out = x;
  normalize_inplace(out.samples, kind, epsilon);
  return out;
}

}  // namespace physiolite::dsp
