// Augmentation: off is the identity, draws are a pure function of (seed, epoch, position), and
// the factor, noise and shift have the distributions the options say (checked on many windows
// against their exact moments and ranges); side and positional rows are never touched.
#include "physiolite/train/augment.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <vector>

namespace physiolite::train {
namespace {

constexpr int64_t kLength = 64;

std::vector<float> ramp(int64_t rows) {
  std::vector<float> w(static_cast<size_t>(rows * kLength));
  for (size_t i = 0; i < w.size(); ++i) w[i] = 0.01f * static_cast<float>(i % kLength) + 0.5f;
  return w;
}

TEST(Augment, OffIsTheIdentity) {
  std::vector<float> w = ramp(3);
  const std::vector<float> before = w;
  augment_window({}, {7, 1}, 5, w.data(), 2, kLength);
  EXPECT_EQ(w, before);
}

TEST(Augment, DrawsArePureFunctionsOfSeedEpochAndPosition) {
  const AugmentOptions o{.scale = 0.2, .noise = 0.05, .shift = 4};
  auto run = [&](uint64_t seed, int64_t epoch, int64_t position) {
    std::vector<float> w = ramp(2);
    augment_window(o, {seed, epoch}, position, w.data(), 2, kLength);
    return w;
  };
  EXPECT_EQ(run(1, 2, 3), run(1, 2, 3));
  EXPECT_NE(run(1, 2, 3), run(1, 2, 4));
  EXPECT_NE(run(1, 2, 3), run(1, 3, 3));
  EXPECT_NE(run(1, 2, 3), run(2, 2, 3));
}

TEST(Augment, OnlyTheSignalRowsChange) {
  std::vector<float> w = ramp(4);
  const std::vector<float> before = w;
  augment_window({.scale = 0.3, .noise = 0.1, .shift = 5}, {1, 0}, 0, w.data(), 1, kLength);
  EXPECT_NE(std::vector<float>(w.begin(), w.begin() + kLength),
            std::vector<float>(before.begin(), before.begin() + kLength));
  EXPECT_EQ(std::vector<float>(w.begin() + kLength, w.end()),
            std::vector<float>(before.begin() + kLength, before.end()));
}

TEST(Augment, ScaleFactorIsUniformOnItsRangeAndSharedByTheChannels) {
  // A constant window of ones becomes the factor itself, the same in both signal rows.
  constexpr double kScale = 0.25;
  constexpr int kDraws = 20000;
  double sum = 0, sum_sq = 0, lo = 2, hi = 0;
  for (int p = 0; p < kDraws; ++p) {
    std::vector<float> w(2 * kLength, 1.0f);
    augment_window({.scale = kScale}, {3, 0}, p, w.data(), 2, kLength);
    const double f = w[0];
    for (float v : w) ASSERT_EQ(v, w[0]);
    sum += f;
    sum_sq += f * f;
    lo = std::min(lo, f);
    hi = std::max(hi, f);
  }
  const double mean = sum / kDraws, var = sum_sq / kDraws - mean * mean;
  // U[1 - s, 1 + s]: mean 1, variance s^2 / 3; the sample mean's sd is 0.25 / sqrt(3 * 20000).
  EXPECT_NEAR(mean, 1.0, 5 * kScale / std::sqrt(3.0 * kDraws));
  EXPECT_NEAR(var, kScale * kScale / 3, 0.03 * kScale * kScale / 3);
  EXPECT_GE(lo, 1 - kScale);
  EXPECT_LE(hi, 1 + kScale);
  EXPECT_LT(lo, 1 - 0.99 * kScale);
  EXPECT_GT(hi, 1 + 0.99 * kScale);
}

TEST(Augment, NoiseIsGaussianWithTheGivenDeviation) {
  constexpr double kNoise = 0.1;
  std::vector<double> v;
  for (int p = 0; p < 200; ++p) {
    std::vector<float> w(kLength, 0.0f);
    augment_window({.noise = kNoise}, {5, 1}, p, w.data(), 1, kLength);
    v.insert(v.end(), w.begin(), w.end());
  }
  const double n = static_cast<double>(v.size());  // 12 800 samples
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double m2 = 0, m4 = 0;
  int beyond_2sd = 0;
  for (double x : v) {
    m2 += (x - mean) * (x - mean);
    m4 += std::pow(x - mean, 4);
    beyond_2sd += std::abs(x) > 2 * kNoise;
  }
  m2 /= n;
  m4 /= n;
  EXPECT_NEAR(mean, 0.0, 4 * kNoise / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(m2), kNoise, 0.03 * kNoise);
  EXPECT_NEAR(m4 / (m2 * m2), 3.0, 0.25);  // a normal's kurtosis
  // P(|Z| > 2) = 0.0455 for a standard normal.
  EXPECT_NEAR(beyond_2sd / n, 0.0455, 0.008);
}

TEST(Augment, ShiftMovesTheSignalWithZeroFillAndCoversItsRange) {
  constexpr int kShift = 3;
  std::set<int64_t> seen;
  for (int p = 0; p < 400; ++p) {
    std::vector<float> w(kLength, 0.0f);
    w[kLength / 2] = 1.0f;  // an impulse: it moves by the shift
    w[0] = 2.0f;            // the first sample leaves the window for a negative shift
    augment_window({.shift = kShift}, {9, 2}, p, w.data(), 1, kLength);
    const auto peak = std::find(w.begin(), w.end(), 1.0f) - w.begin();
    const int64_t s = peak - kLength / 2;
    ASSERT_LE(std::abs(s), kShift);
    seen.insert(s);
    // Everything else is zero fill or the moved first sample.
    int nonzero = 0;
    for (int64_t t = 0; t < kLength; ++t) nonzero += w[static_cast<size_t>(t)] != 0.0f;
    EXPECT_EQ(nonzero, s >= 0 ? 2 : 1) << "shift " << s;
    if (s >= 0) {
      EXPECT_EQ(w[static_cast<size_t>(s)], 2.0f);
    }
  }
  EXPECT_EQ(seen.size(), 2u * kShift + 1);
}

}  // namespace
}  // namespace physiolite::train
