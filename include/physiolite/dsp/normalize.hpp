// Amplitude normalisation, per window or per subject.
//
//   kZScore          (x - mean) / (sigma + epsilon), sigma the population standard deviation
//                    (divide by n). epsilon bounds the gain on near-constant data;
//                    kDefaultEpsilon = 1e-8 is the reference's per-window ECG value, its UCI EMG
//                    per-subject script (data_prep/uci_emg_preprocess.py of the
//                    reference, docs/model.md) uses 1e-6.
//   kMinMaxSymmetric 2 (x - min) / (max - min) - 1, into [-1, 1];
//   kMinMaxUnit      (x - min) / (max - min), into [0, 1];
//   kMaxAbs          x / max|x|, into [-1, 1].
// Constant data (max == min) gives all zeros for every kind, and so does all-zero data. No NaN is
// produced from finite input.
//
// Per window: normalize(x, kind) computes the statistics of x and applies them.
// Per subject: add every segment of the subject to one NormStats, then apply(kind, stats, segment)
// to each segment: the statistics equal those of the segments' concatenation.
#pragma once

#include <cstdint>
#include <span>

#include "physiolite/dsp/signal.hpp"

namespace physiolite::dsp {

enum class Normalization { kZScore, kMinMaxSymmetric, kMinMaxUnit, kMaxAbs };

constexpr double kDefaultEpsilon = 1e-8;

// Count, mean, sum of squared deviations (merged with Chan et al.'s pairwise update, so adding
// segments one by one is as accurate as one pass), min and max.
class NormStats {
 public:
  void add(std::span<const double> x);
  // Count, min and max of x only, in one pass: for the min-max and max-abs kinds, which read
  // nothing else. mean() and variance() of statistics built with it are not the data's.
  void add_extremes(std::span<const double> x);
  void add(const NormStats& other);

  int64_t count() const { return count_; }
  double mean() const { return mean_; }
  double variance() const;  // population; 0 when empty
  double stddev() const;
  double min() const { return min_; }
  double max() const { return max_; }
  double max_abs() const;

 private:
  int64_t count_ = 0;
  double mean_ = 0;
  double m2_ = 0;
  double min_ = 0;
  double max_ = 0;
};

// Scales x in place with `stats` (which need not come from x). UsageError if stats is empty.
void apply(Normalization kind, const NormStats& stats, std::span<double> x,
           double epsilon = kDefaultEpsilon);

// Per-window normalisation: the statistics of x itself.
void normalize_inplace(std::span<double> x, Normalization kind, double epsilon = kDefaultEpsilon);
Signal normalize(const Signal& x, Normalization kind, double epsilon = kDefaultEpsilon);

}  // namespace physiolite::dsp
