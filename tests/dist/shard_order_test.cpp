// Each rank's share of an epoch (train/sampler.hpp shard_order), worked out by hand: the ranks'
// slices of every step together are the single-process batch of that step.
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "physiolite/train/sampler.hpp"

namespace physiolite::train {
namespace {

using V = std::vector<int64_t>;

V order_of(int64_t n) {
  V v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), int64_t{100});
  return v;
}

TEST(ShardOrder, TwoRanksSplitEveryBatchInHalves) {
  // Batches of 4: [100..103] [104..107] [108 109].
  const V order = order_of(10);
  const RankShard r0 = shard_order(order, 4, 0, 2);
  const RankShard r1 = shard_order(order, 4, 1, 2);
  EXPECT_EQ(r0.order, (V{100, 101, 104, 105, 108}));
  EXPECT_EQ(r1.order, (V{102, 103, 106, 107, 109}));
  EXPECT_EQ(r0.last_batch_rows, 1);
  EXPECT_EQ(r1.last_batch_rows, 1);
}

TEST(ShardOrder, ARankWithNothingLeftPadsWithWeightZero) {
  // The last batch is the single window 108: rank 0 trains on it, rank 1 repeats it with weight 0.
  const V order = order_of(9);
  const RankShard r0 = shard_order(order, 4, 0, 2);
  const RankShard r1 = shard_order(order, 4, 1, 2);
  EXPECT_EQ(r0.order, (V{100, 101, 104, 105, 108}));
  EXPECT_EQ(r0.last_batch_rows, 1);
  EXPECT_EQ(r1.order, (V{102, 103, 106, 107, 108}));
  EXPECT_EQ(r1.last_batch_rows, 0);
}

TEST(ShardOrder, ThreeRanksAndAShortLastBatch) {
  // Batches of 6: [100..105] in slices of 2, then [106 107] in slices of ceil(2 / 3) = 1.
  const V order = order_of(8);
  const RankShard r0 = shard_order(order, 6, 0, 3);
  const RankShard r1 = shard_order(order, 6, 1, 3);
  const RankShard r2 = shard_order(order, 6, 2, 3);
  EXPECT_EQ(r0.order, (V{100, 101, 106}));
  EXPECT_EQ(r1.order, (V{102, 103, 107}));
  EXPECT_EQ(r2.order, (V{104, 105, 106}));
  EXPECT_EQ(r0.last_batch_rows, 1);
  EXPECT_EQ(r1.last_batch_rows, 1);
  EXPECT_EQ(r2.last_batch_rows, 0);
}

TEST(ShardOrder, OneRankIsTheWholeOrder) {
  const V order = order_of(7);
  const RankShard r = shard_order(order, 4, 0, 1);
  EXPECT_EQ(r.order, order);
  EXPECT_EQ(r.last_batch_rows, 3);
}

}  // namespace
}  // namespace physiolite::train
