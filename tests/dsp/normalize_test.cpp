#include "physiolite/dsp/normalize.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dsp/test_util.hpp"
#include "golden/dsp_golden.hpp"

namespace physiolite::dsp {
namespace {

namespace g = golden;
using test_util::all_near;
using test_util::expect_usage_error;

std::vector<double> normalized(std::vector<double> x, Normalization kind, double eps = 0.0) {
  normalize_inplace(x, kind, eps);
  return x;
}

TEST(Normalize, ZScoreByHand) {
  // mean 2.5, population sigma sqrt(1.25): (x - 2.5) / 1.1180340 = -1.3416408, -0.4472136, ...
  const double s = std::sqrt(1.25);
  EXPECT_TRUE(all_near(normalized({1, 2, 3, 4}, Normalization::kZScore),
                       std::vector<double>{-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, 1e-15));
  EXPECT_NEAR(normalized({1, 2, 3, 4}, Normalization::kZScore)[0], -1.3416407865, 1e-10);
  // With the default epsilon the values move by ~1e-8 relative.
  EXPECT_NEAR(normalized({1, 2, 3, 4}, Normalization::kZScore, kDefaultEpsilon)[3],
              1.5 / (s + 1e-8), 1e-15);
}

TEST(Normalize, ZScoreMatchesNumpy) {
  EXPECT_TRUE(
      all_near(normalized({std::begin(g::kZ), std::end(g::kZ)}, Normalization::kZScore, 1e-8),
               g::kZscoreZ, 1e-12));
}

TEST(Normalize, MinMaxAndMaxAbsByHand) {
  EXPECT_TRUE(all_near(normalized({1, 2, 3, 5}, Normalization::kMinMaxUnit),
                       std::vector<double>{0, 0.25, 0.5, 1}, 1e-15));
  EXPECT_TRUE(all_near(normalized({1, 2, 3, 5}, Normalization::kMinMaxSymmetric),
                       std::vector<double>{-1, -0.5, 0, 1}, 1e-15));
  EXPECT_TRUE(all_near(normalized({-4, 1, 2}, Normalization::kMaxAbs),
                       std::vector<double>{-1, 0.25, 0.5}, 1e-15));
}

TEST(Normalize, ConstantWindowGivesZerosAndNoNan) {
  for (Normalization kind : {Normalization::kZScore, Normalization::kMinMaxSymmetric,
                             Normalization::kMinMaxUnit, Normalization::kMaxAbs}) {
    for (double c : {0.0, 0.1, -7.3}) {
      if (kind == Normalization::kMaxAbs && c != 0.0) continue;  // max-abs of a constant is +-1
      const auto y = normalized(std::vector<double>(5, c), kind, 0.0);
      for (double v : y) EXPECT_EQ(v, 0.0) << "kind " << static_cast<int>(kind) << " c " << c;
    }
  }
  EXPECT_TRUE(all_near(normalized(std::vector<double>(3, -2.0), Normalization::kMaxAbs),
                       std::vector<double>(3, -1.0), 0.0));
}

TEST(NormStats, PerSubjectStatsEqualStatsOfTheConcatenation) {
  const std::span<const double> z(g::kZ);
  NormStats subject;
  subject.add(z.first(7));
  subject.add(z.subspan(7, 20));
  subject.add(std::span<const double>{});
  subject.add(z.subspan(27));
  // Plain two-pass statistics of all 40 values.
  double sum = 0, lo = z[0], hi = z[0];
  for (double v : z) sum += v, lo = std::min(lo, v), hi = std::max(hi, v);
  const double mean = sum / z.size();
  double ss = 0;
  for (double v : z) ss += (v - mean) * (v - mean);
  EXPECT_EQ(subject.count(), 40);
  EXPECT_NEAR(subject.mean(), mean, 1e-14);
  EXPECT_NEAR(subject.variance(), ss / z.size(), 1e-13);
  EXPECT_EQ(subject.min(), lo);
  EXPECT_EQ(subject.max(), hi);

  // Applying the subject's stats to a segment equals z-scoring the whole and cutting it.
  std::vector<double> segment(z.begin() + 7, z.begin() + 27);
  apply(Normalization::kZScore, subject, segment, 1e-8);
  EXPECT_TRUE(all_near(segment, std::span(g::kZscoreZ).subspan(7, 20), 1e-12));
}

TEST(Normalize, SignalKeepsItsDescriptionAndBadArgumentsAreRejected) {
  const Signal y = normalize(Signal{{1, 2, 3, 4}, 360.0, "mV", "MLII"}, Normalization::kMaxAbs);
  EXPECT_EQ(y.samples, (std::vector<double>{0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(y.fs_hz, 360.0);
  EXPECT_EQ(y.name, "MLII");
  std::vector<double> x{1, 2};
  expect_usage_error([&] { apply(Normalization::kZScore, NormStats{}, x); }, "empty statistics");
  expect_usage_error([&] { normalize_inplace(x, Normalization::kZScore, -1.0); }, "epsilon");
}

}  // namespace
}  // namespace physiolite::dsp
