// The arena planner on a hand-planned chain and on the every-op graph.
#include "physiolite/qgraph/arena.hpp"

#include <gtest/gtest.h>

#include "qgraph/test_graphs.hpp"

namespace physiolite::qgraph {
namespace {

using testing::add_tensor;

Op conv(int in, int out, int c_in, int c_out, int kernel) {
  Op op{.type = OpType::kConv1d, .inputs = {in}, .output = out, .kernel = kernel};
  op.weights.assign(static_cast<size_t>(c_in * c_out * kernel), 1);
  op.shift.assign(static_cast<size_t>(c_out), 7);
  op.weight_scale.assign(static_cast<size_t>(c_out), 1.0f);
  return op;
}

TEST(Arena, ChainReusesTheBytesOfDeadTensors) {
  // t0 [4 x 8] 32 B -> conv k1 -> t1 [8 x 8] 64 B -> pool k2 s2 -> t2 [8 x 4] 32 B -> conv k4 ->
  // t3 [3 x 1] 3 B. Lifetimes (op indices): t0 [-1, 0], t1 [0, 1], t2 [1, 2], t3 [2, 3].
  // Largest first: t1 at 0; t0 meets t1 at op 0 -> 64; t2 meets t1 at op 1, not t0 -> 64;
  // t3 meets only t2 ([64, 96)) -> 0. Arena: 96 bytes.
  Graph g;
  const int t0 = add_tensor(g, 4, 8), t1 = add_tensor(g, 8, 8), t2 = add_tensor(g, 8, 4),
            t3 = add_tensor(g, 3, 1);
  g.input = t0;
  g.output = t3;
  g.input_channels.assign(4, {});
  g.ops.push_back(conv(t0, t1, 4, 8, 1));
  g.ops.push_back(
      {.type = OpType::kAvgPool1d, .inputs = {t1}, .output = t2, .kernel = 2, .stride = 2});
  g.ops.push_back(conv(t2, t3, 8, 3, 4));
  ASSERT_FALSE(find_problem(g));
  plan_arena(g);
  EXPECT_EQ(g.tensors[0].arena_offset, 64u);
  EXPECT_EQ(g.tensors[1].arena_offset, 0u);
  EXPECT_EQ(g.tensors[2].arena_offset, 64u);
  EXPECT_EQ(g.tensors[3].arena_offset, 0u);
  EXPECT_EQ(g.arena_size, 96u);
  EXPECT_FALSE(find_arena_problem(g));
}

TEST(Arena, OffsetsAreFourAlignedAndLiveTensorsNeverShareBytes) {
  // 3-byte tensors: a neighbour of a 3-byte tensor starts at 4, not 3.
  Graph g;
  const int a = add_tensor(g, 3, 1), b = add_tensor(g, 3, 1), c = add_tensor(g, 3, 1);
  g.input = a;
  g.output = c;
  g.input_channels.assign(3, {});
  g.ops.push_back(conv(a, b, 3, 3, 1));
  g.ops.push_back({.type = OpType::kAdd, .inputs = {a, b}, .output = c});  // a lives on
  plan_arena(g);
  EXPECT_EQ(g.tensors[0].arena_offset, 0u);
  EXPECT_EQ(g.tensors[1].arena_offset, 4u);
  EXPECT_EQ(g.tensors[2].arena_offset, 8u);
  EXPECT_EQ(g.arena_size, 12u);
}

TEST(Arena, EveryOpGraphPlannedByHand) {
  // Sizes: in 8, a 12, a_relu 12, b 4, cat 16, pooled 8, sum 8, logits 2. Lifetimes: in [-1, 2],
  // a [0, 1], a_relu [1, 3], b [2, 3], cat [3, 4], pooled [4, 5], sum [5, 6], logits [6, 7].
  // Largest first, lowest gap that fits among the tensors live at the same time:
  //   cat 0; a 0 (dead before cat); a_relu: cat, a -> 16; in: a [0, 12), a_relu [16, 28) -> 28;
  //   pooled: cat -> 16; sum: pooled [16, 24) -> 0; b: cat, a_relu, in -> 36; logits: sum -> 8.
  // Arena: b ends at 40.
  Graph g = testing::every_op_tflite_graph();
  const uint32_t expected[] = {28, 0, 16, 36, 0, 16, 0, 8};
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    EXPECT_EQ(g.tensors[i].arena_offset, expected[i]) << "tensor " << i;
  }
  EXPECT_EQ(g.arena_size, 40u);
  EXPECT_FALSE(find_arena_problem(g));
}

TEST(Arena, ArenaProblemsAreNamed) {
  Graph g = testing::every_op_tflite_graph();
  g.tensors[1].arena_offset = 2;
  auto p = find_arena_problem(g);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->field, "tensor 1 arena_offset");
  EXPECT_EQ(p->expected, "a multiple of 4");
  g = testing::every_op_tflite_graph();
  g.tensors[1].arena_offset = g.arena_size;
  p = find_arena_problem(g);
  ASSERT_TRUE(p);
  EXPECT_NE(p->expected.find("inside the arena"), std::string::npos);
  g = testing::every_op_tflite_graph();
  g.tensors[g.ops[0].output].arena_offset = g.tensors[0].arena_offset;
  p = find_arena_problem(g);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->field, "op 0 (CONV1D) output");
}

}  // namespace
}  // namespace physiolite::qgraph
