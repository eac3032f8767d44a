// AUROC and AP of one binary problem: boundary cases worked out by hand.
#include "physiolite/eval/ranking.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace physiolite::eval {
namespace {

constexpr double kTol = 1e-12;
using Flags = std::vector<uint8_t>;
using Scores = std::vector<float>;

TEST(Ranking, PerfectAndReversedOrder) {
  const Scores s = {.9f, .8f, .3f, .1f};
  EXPECT_NEAR(roc_auc(s, Flags{1, 1, 0, 0}), 1.0, kTol);
  EXPECT_NEAR(average_precision(s, Flags{1, 1, 0, 0}), 1.0, kTol);
  EXPECT_NEAR(roc_auc(s, Flags{0, 0, 1, 1}), 0.0, kTol);
  // Reversed: positives enter at ranks 3 and 4 -> (1/2)(1/3) + (1/2)(2/4) = 5/12.
  EXPECT_NEAR(average_precision(s, Flags{0, 0, 1, 1}), 5.0 / 12, kTol);
}

TEST(Ranking, AllScoresTied) {
  // One threshold step: AUROC 1/2 (every pair a tie), AP = precision at recall 1 = 2/5.
  const Scores s(5, .5f);
  EXPECT_NEAR(roc_auc(s, Flags{1, 0, 0, 1, 0}), 0.5, kTol);
  EXPECT_NEAR(average_precision(s, Flags{1, 0, 0, 1, 0}), 0.4, kTol);
}

TEST(Ranking, UndefinedWithoutPositivesOrNegatives) {
  const Scores s = {.2f, .7f, .4f};
  EXPECT_TRUE(std::isnan(roc_auc(s, Flags{0, 0, 0})));
  EXPECT_TRUE(std::isnan(average_precision(s, Flags{0, 0, 0})));
  EXPECT_TRUE(std::isnan(roc_auc(s, Flags{1, 1, 1})));
  EXPECT_NEAR(average_precision(s, Flags{1, 1, 1}), 1.0, kTol);  // every precision is 1
  EXPECT_TRUE(std::isnan(roc_auc(Scores{}, Flags{})));
}

TEST(Ranking, NaNScoreRanksLowest) {
  // Scores .8, NaN, .3 with the NaN a positive: ranks as -inf -> AUROC (1 + 0)/2 over the
  // positives .8 and NaN against the one negative .3.
  const Scores s = {.8f, std::numeric_limits<float>::quiet_NaN(), .3f};
  EXPECT_NEAR(roc_auc(s, Flags{1, 1, 0}), 0.5, kTol);
  // AP: .8 (P 1, R 1/2), .3 (neg), NaN (P 2/3, R 1) -> 1/2 + 1/3.
  EXPECT_NEAR(average_precision(s, Flags{1, 1, 0}), 0.5 + 1.0 / 3, kTol);
}

}  // namespace
}  // namespace physiolite::eval
