#include "physiolite/train/sampler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace physiolite::train {
namespace {

std::vector<int64_t> skewed_labels() {  // 90 % class 0, 9 % class 1, 1 % class 2 (as MIT-BIH)
  std::vector<int64_t> labels(1000, 0);
  for (int i = 0; i < 90; ++i) labels[static_cast<size_t>(i * 11)] = 1;
  for (int i = 0; i < 10; ++i) labels[static_cast<size_t>(i * 97 + 5)] = 2;
  return labels;
}

TEST(Sampler, BalancedDrawsEveryClassEquallyOften) {
  const auto labels = skewed_labels();
  const auto idx = epoch_indices("balanced", labels, 1000, 30000, 7, 0);
  ASSERT_EQ(idx.size(), 30000u);
  std::vector<int64_t> counts(3, 0);
  for (int64_t i : idx) ++counts[static_cast<size_t>(labels[static_cast<size_t>(i)])];
  // Binomial(30000, 1/3): sd 82, so +-400 is ~5 sd.
  for (int64_t c : counts) EXPECT_NEAR(static_cast<double>(c), 10000.0, 400.0);
}

TEST(Sampler, BalancePowerDrawsClassesByAPowerOfTheirSize) {
  // skewed_labels has 901 / 89 / 10 windows (index 781 = 11*71 = 97*8+5 is class 2).
  // Power 0.5: sqrt sizes 30.017, 9.434, 3.162 (sum 42.613) -> shares 0.7044, 0.2214, 0.0742,
  // i.e. 21132, 6642, 2226 of 30000 draws (sd <= 80); power 1 gives the natural 27030/2670/300.
  const auto labels = skewed_labels();
  const auto count = [&](double power) {
    std::vector<double> counts(3, 0);
    for (int64_t i : epoch_indices("balanced", labels, 1000, 30000, 7, 0, power)) {
      ++counts[static_cast<size_t>(labels[static_cast<size_t>(i)])];
    }
    return counts;
  };
  const auto sqrt_counts = count(0.5);
  EXPECT_NEAR(sqrt_counts[0], 21132, 400);
  EXPECT_NEAR(sqrt_counts[1], 6642, 400);
  EXPECT_NEAR(sqrt_counts[2], 2226, 250);
  const auto natural = count(1.0);
  EXPECT_NEAR(natural[0], 27030, 400);
  EXPECT_NEAR(natural[1], 2670, 250);
  EXPECT_NEAR(natural[2], 300, 100);
}

TEST(Sampler, SameSeedAndEpochSameOrderOtherEpochAnother) {
  const auto labels = skewed_labels();
  EXPECT_EQ(epoch_indices("balanced", labels, 1000, 500, 3, 4),
            epoch_indices("balanced", labels, 1000, 500, 3, 4));
  EXPECT_NE(epoch_indices("balanced", labels, 1000, 500, 3, 4),
            epoch_indices("balanced", labels, 1000, 500, 3, 5));
  EXPECT_NE(epoch_indices("shuffle", labels, 1000, 0, 3, 4),
            epoch_indices("shuffle", labels, 1000, 0, 4, 4));
}

TEST(Sampler, ShuffleIsAPermutationRepeatedOrCut) {
  const std::vector<int64_t> none;
  auto idx = epoch_indices("shuffle", none, 10, 0, 1, 0);
  auto sorted = idx;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> all(10);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_EQ(sorted, all);
  EXPECT_NE(idx, all);  // 1 in 10! to be in order by chance

  idx = epoch_indices("shuffle", none, 10, 25, 1, 0);  // 2 full permutations + 5
  ASSERT_EQ(idx.size(), 25u);
  std::vector<int> seen(10, 0);
  for (int64_t i : idx) ++seen[static_cast<size_t>(i)];
  for (int s : seen) EXPECT_TRUE(s == 2 || s == 3);
  EXPECT_EQ(epoch_indices("shuffle", none, 10, 4, 1, 0).size(), 4u);
}

TEST(Sampler, BalancedClassWeightsBySklearnsFormula) {
  // N = 4, K = 2 present: w0 = 4 / (2 * 3), w1 = 4 / (2 * 1); class 2 absent -> 0.
  const std::vector<int64_t> labels{0, 0, 0, 1};
  const auto w = balanced_class_weights(labels, 3);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_FLOAT_EQ(w[0], 4.0f / 6.0f);
  EXPECT_FLOAT_EQ(w[1], 2.0f);
  EXPECT_FLOAT_EQ(w[2], 0.0f);
}

}  // namespace
}  // namespace physiolite::train
