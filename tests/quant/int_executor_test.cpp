// The LibTorch integer graph on tiny graphs whose every output is worked out by hand below.
#include "physiolite/quant/int_executor.hpp"

#include <gtest/gtest.h>

#include "qgraph/test_graphs.hpp"

namespace physiolite::quant {
namespace {

using qgraph::Graph;
using qgraph::Op;
using qgraph::OpType;
using qgraph::Scheme;
using testing::add_tensor;

// Codes given channel-last per time step, as written in the comments: [1, C, L] int64.
torch::Tensor codes(std::vector<std::vector<int64_t>> by_time) {
  const auto l = static_cast<int64_t>(by_time.size());
  const auto c = static_cast<int64_t>(by_time.front().size());
  torch::Tensor t = torch::empty({1, c, l}, torch::kInt64);
  for (int64_t i = 0; i < l; ++i) {
    for (int64_t j = 0; j < c; ++j)
      t[0][j][i] = by_time[static_cast<size_t>(i)][static_cast<size_t>(j)];
  }
  return t;
}

std::vector<int64_t> values(const torch::Tensor& t) {
  const torch::Tensor c = t.flatten().contiguous();
  return {c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel()};
}

Graph single_op_graph(Scheme scheme, int c_in, int l_in, int c_out, int l_out, Op op,
                      float in_scale = 1, int in_zero = 0, float out_scale = 1, int out_zero = 0) {
  Graph g;
  g.scheme = scheme;
  g.input = add_tensor(g, c_in, l_in, in_scale, in_zero);
  g.output = add_tensor(g, c_out, l_out, out_scale, out_zero);
  g.input_channels.assign(static_cast<size_t>(c_in), {1.0f, in_zero});
  op.inputs = {g.input};
  op.output = g.output;
  g.ops = {op};
  return g;
}

TEST(IntExecutor, Pow2ConvByHand) {
  // x (t: c0, c1): t0 (10, -20), t1 (30, 40), t2 (-50, 60); k3 pad 1.
  // Channel 0, w[k][c] = k0 (1, -2), k1 (3, 4), k2 (-5, 6), r = 3 (floor(acc/8 + 0.5)):
  //   t0: 0 + (30 - 80) + (-150 + 240) = 40            -> 40/8 = 5
  //   t1: (10 + 40) + (90 + 160) + (250 + 360) = 910   -> 113.75 -> 114
  //   t2: (30 - 80) + (-150 + 240) + 0 = 40            -> 5
  // Channel 1, all weights 1, r = -1 (times 2): sums 60, 70, 80 -> 120, 140, 160 -> 120, 127, 127.
  // Channel 2, w k0 (0, 0), k1 (1, 0), k2 (0, 0), r = 3: x[t][0] / 8 = 1.25, 3.75, -6.25 -> 1, 4,
  //   -6 (floor(-6.25 + 0.5) = -6); and t with -12 / 8 = -1.5 would give -1 (see the pool test).
  Op op{.type = OpType::kConv1d, .kernel = 3, .pad = 1};
  op.weights = {1, -2, 3, 4, -5, 6, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0};
  op.shift = {3, -1, 3};
  op.weight_scale = {1, 1, 1};
  const Graph g = single_op_graph(Scheme::kMax78000, 2, 3, 3, 3, op);
  const torch::Tensor y = run_integer_all(g, codes({{10, -20}, {30, 40}, {-50, 60}}))[1];
  EXPECT_EQ(values(y), (std::vector<int64_t>{5, 114, 5, 120, 127, 127, 1, 4, -6}));
}

TEST(IntExecutor, TfliteConvByHandWithZeroPointsAndBias) {
  // zx = 3, codes 5, -1, -10; w = 7, bias -100: acc = -100 + 7 (x - 3) = -86, -128, -191.
  // multiplier 2^30, shift -1 (real 0.25): SRDHM(acc, 2^30) = (acc 2^30 + nudge) / 2^31:
  //   -86:  (-87 2^30 + 1) / 2^31 = -43.49.. -> -43; RDBPOT(-43, 1): -43 >> 1 = -22, remainder
  //         1 <= threshold 1 -> -22 (= -21.5 rounded away from zero)
  //   -128: -64.49.. -> -64 -> -32
  //   -191: (-192 2^30 + 1) / 2^31 = -95.99.. -> -95 -> -48 (= -47.75 rounded)
  // + zy -10: -32, -42, -58.
  Op op{.type = OpType::kConv1d};
  op.weights = {7};
  op.bias = {-100};
  op.multiplier = {1 << 30};
  op.shift = {-1};
  op.weight_scale = {1};
  Graph g = single_op_graph(Scheme::kTflite, 1, 3, 1, 3, op, 1, 3, 1, -10);
  g.tensors[0].scale = 1;
  const torch::Tensor x = codes({{5}, {-1}, {-10}});
  EXPECT_EQ(values(run_integer_all(g, x)[1]), (std::vector<int64_t>{-32, -42, -58}));
  // Positive side, bias +100: 114 -> 57.5 -> 57, RDBPOT(57, 1) = 28 + (1 > 0) = 29 (28.5
  // rounded away from zero); 72 -> 18; 9 -> SRDHM (9 + 1) / 2 = 5, RDBPOT(5, 1) = 2 + 1 = 3:
  // TFLite's double rounding (9 * 0.25 = 2.25, yet 3). + zy.
  g.ops[0].bias = {100};
  EXPECT_EQ(values(run_integer_all(g, x)[1]), (std::vector<int64_t>{19, 8, -7}));
  // ReLU as the clamp at the zero point.
  g.ops[0].bias = {-100};
  g.ops[0].act_min = -10;
  EXPECT_EQ(values(run_integer_all(g, x)[1]), (std::vector<int64_t>{-10, -10, -10}));
}

TEST(IntExecutor, AvgPoolRoundings) {
  // codes -3, -4, 5, 6; k2 s2: sums -7, 11 over n = 2.
  //   POW2 floor:          -3.5 -> -4, 5.5 -> 5
  //   POW2 round half up:  floor((2s + n) / 2n) = -12/4 = -3, 24/4 = 6
  //   TFLITE:              (s - 1) / 2 = -4, (s + 1) / 2 = 6 (ties away from zero)
  Op op{.type = OpType::kAvgPool1d, .kernel = 2, .stride = 2};
  const torch::Tensor x = codes({{-3}, {-4}, {5}, {6}});
  Graph g = single_op_graph(Scheme::kMax78000, 1, 4, 1, 2, op);
  EXPECT_EQ(values(run_integer_all(g, x)[1]), (std::vector<int64_t>{-4, 5}));
  g.ops[0].round_half_up = true;
  EXPECT_EQ(values(run_integer_all(g, x)[1]), (std::vector<int64_t>{-3, 6}));
  //   POW2 truncate (the MAX78000's 1-D pool): -3.5 -> -3, 5.5 -> 5
  g.ops[0].round_half_up = false;
  g.ops[0].truncate = true;
  EXPECT_EQ(values(run_integer_all(g, x)[1]), (std::vector<int64_t>{-3, 5}));
  g = single_op_graph(Scheme::kTflite, 1, 4, 1, 2, op, 0.5f, 0, 0.5f, 0);
  EXPECT_EQ(values(run_integer_all(g, x)[1]), (std::vector<int64_t>{-4, 6}));
  // k3 s1 (overlapping): sums -2, 7 -> floor -1, 2 (2.33); TFLITE (-2 - 1)/3 = -1, (7 + 1)/3 = 2.
  op.kernel = 3;
  op.stride = 1;
  g = single_op_graph(Scheme::kMax78000, 1, 4, 1, 2, op);
  EXPECT_EQ(values(run_integer_all(g, x)[1]), (std::vector<int64_t>{-1, 2}));
}

TEST(IntExecutor, TfliteAddByHand) {
  // a: scale 0.5, zero 1; b: scale 0.25, zero -2; y: scale 1, zero 3. twice_max = 1: a's
  // multiplier 0.5 = (2^30, 0), b's 0.25 = (2^30, -1), the output's 1 / 2^20 = (2^30, -19).
  // a = 11 (real 5), b = 6 (real 2):
  //   a0 = SRDHM(10 2^20, 2^30) = 5 2^20;  a1 = RDBPOT(SRDHM(8 2^20, 2^30), 1) = 2 2^20
  //   out = RDBPOT(SRDHM(7 2^20, 2^30), 19) = RDBPOT(3.5 2^20, 19) = 7; + 3 = 10 (5 + 2 + 3).
  // a = -120 (real -60.5), b = -128 (real -31.5): -60.5 2^20 + -31.5 2^20 -> -92; + 3 = -89.
  // a and b come from the input's two channels through identity convs (weight 1, multiplier
  // 2^30 with shift 1 = real 1) that add their zero points.
  Graph g;
  g.scheme = Scheme::kTflite;
  g.input = add_tensor(g, 2, 2, 1.0f, 0);
  add_tensor(g, 1, 2, 0.5f, 1);
  add_tensor(g, 1, 2, 0.25f, -2);
  g.output = add_tensor(g, 1, 2, 1.0f, 3);
  g.input_channels.assign(2, {1.0f, 0});
  for (int ch = 0; ch < 2; ++ch) {
    Op pick{.type = OpType::kConv1d, .inputs = {0}, .output = 1 + ch};
    pick.weights = {static_cast<int8_t>(ch == 0), static_cast<int8_t>(ch == 1)};
    pick.multiplier = {1 << 30};
    pick.shift = {1};
    pick.weight_scale = {1};
    g.ops.push_back(pick);
  }
  Op add{.type = OpType::kAdd, .inputs = {1, 2}, .output = 3, .left_shift = 20};
  add.multiplier = {1 << 30, 1 << 30, 1 << 30};
  add.shift = {0, -1, -19};
  g.ops.push_back(add);
  // Validity needs a length-1 output; the executor does not.
  const auto all = run_integer_all(g, codes({{11 - 1, 6 + 2}, {-120 - 1, -128 + 2}}));
  EXPECT_EQ(values(all[1]), (std::vector<int64_t>{11, -120}));
  EXPECT_EQ(values(all[2]), (std::vector<int64_t>{6, -128}));
  EXPECT_EQ(values(all[3]), (std::vector<int64_t>{10, -89}));
}

TEST(IntExecutor, InputQuantisationHalvesGoUpAndSaturate) {
  // scale 0.25: 0.375 -> 1.5 + 0.5 = 2; -0.375 -> -1.5 + 0.5 = -1; 100 -> 400 -> 127;
  // -0.1 -> -0.4 + 0.5 -> 0; channel 1 (scale 2, zero point 0): -300 -> -150 -> -128.
  Graph g = testing::every_op_tflite_graph();
  g.input_channels = {{0.25f, 0}, {2.0f, 0}};
  const torch::Tensor x =
      torch::tensor({0.375f, -0.375f, 100.0f, -0.1f, -300.0f, 1.0f, 0.0f, 3.0f}).view({1, 2, 4});
  EXPECT_EQ(values(quantize_input(g, x)), (std::vector<int64_t>{2, -1, 127, 0, -128, 1, 0, 2}));
}

TEST(IntExecutor, ReluAndConcat) {
  // RELU with zero point -3: codes -20, -3, 5 -> -3, -3, 5 (then act_min -3).
  Op relu{.type = OpType::kRelu, .act_min = -3};
  Graph g = single_op_graph(Scheme::kTflite, 1, 3, 1, 3, relu, 0.5f, -3, 0.5f, -3);
  g.input_channels = {{0.5f, -3}};
  EXPECT_EQ(values(run_integer_all(g, codes({{-20}, {-3}, {5}}))[1]),
            (std::vector<int64_t>{-3, -3, 5}));
}

}  // namespace
}  // namespace physiolite::quant
