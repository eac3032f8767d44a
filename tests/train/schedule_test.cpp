// Warm-up + cosine factor of docs/model.md (training, as the reference does it), against values
// worked out by hand.
#include "physiolite/train/schedule.hpp"

#include <gtest/gtest.h>

namespace physiolite::train {
namespace {

TEST(WarmupCosine, LinearWarmupThenHalfCosine) {
  // W = 4, S = 12: s/4 for s < 4, then 0.5 (1 + cos(pi (s - 4) / 8)).
  EXPECT_DOUBLE_EQ(warmup_cosine_factor(0, 4, 12), 0.0);  // [R]'s first step runs at lr 0
  EXPECT_DOUBLE_EQ(warmup_cosine_factor(1, 4, 12), 0.25);
  EXPECT_DOUBLE_EQ(warmup_cosine_factor(3, 4, 12), 0.75);
  EXPECT_DOUBLE_EQ(warmup_cosine_factor(4, 4, 12), 1.0);
  EXPECT_NEAR(warmup_cosine_factor(6, 4, 12), 0.8535533905932737, 1e-15);  // (1 + 1/sqrt 2)/2
  EXPECT_NEAR(warmup_cosine_factor(8, 4, 12), 0.5, 1e-15);
  EXPECT_NEAR(warmup_cosine_factor(10, 4, 12), 0.14644660940672627, 1e-15);
  EXPECT_NEAR(warmup_cosine_factor(12, 4, 12), 0.0, 1e-15);
  EXPECT_EQ(warmup_cosine_factor(13, 4, 12), 0.0);  // clamped at 0 past the end
}

TEST(WarmupCosine, NoWarmupStartsAtFullRate) {
  EXPECT_DOUBLE_EQ(warmup_cosine_factor(0, 0, 10), 1.0);
  EXPECT_NEAR(warmup_cosine_factor(5, 0, 10), 0.5, 1e-15);
  EXPECT_DOUBLE_EQ(warmup_cosine_factor(7, 10, 10), 0.7);
  EXPECT_DOUBLE_EQ(warmup_cosine_factor(10, 10, 10), 1.0);  // S = W: no decay phase
}

}  // namespace
}  // namespace physiolite::train
