// Small valid graphs for the qgraph and quant tests, every value written out by hand.
#pragma once

#include "physiolite/qgraph/arena.hpp"
#include "physiolite/qgraph/graph.hpp"

namespace physiolite::testing {

inline int add_tensor(qgraph::Graph& g, int channels, int length, float scale = 1.0f,
                      int zero_point = 0) {
  g.tensors.push_back({"", channels, length, scale, zero_point, 0});
  return static_cast<int>(g.tensors.size()) - 1;
}

// TFLITE: input [2 x 4] -> CONV1D k3 pad1 (3 ch) -> RELU -> CONCAT with a pointwise conv of the
// input (3 + 1 ch) -> AVGPOOL k2 s2 -> ADD of the pooled tensor with itself -> CONV1D k2 to 2
// logits. Exercises every op type and every array field.
inline qgraph::Graph every_op_tflite_graph() {
  using qgraph::Op;
  using qgraph::OpType;
  qgraph::Graph g;
  g.scheme = qgraph::Scheme::kTflite;
  const int in = add_tensor(g, 2, 4, 1.0f, 0);
  const int a = add_tensor(g, 3, 4, 0.5f, -3);
  const int a_relu = add_tensor(g, 3, 4, 0.5f, -3);
  const int b = add_tensor(g, 1, 4, 0.5f, -3);
  const int cat = add_tensor(g, 4, 4, 0.5f, -3);
  const int pooled = add_tensor(g, 4, 2, 0.5f, -3);
  const int sum = add_tensor(g, 4, 2, 0.25f, 5);
  const int logits = add_tensor(g, 2, 1, 0.125f, 1);
  g.input = in;
  g.output = logits;
  g.input_channels = {{0.25f, 0}, {0.0625f, 0}};
  Op c1{.type = OpType::kConv1d, .inputs = {in}, .output = a, .kernel = 3, .pad = 1};
  for (int i = 0; i < 3 * 3 * 2; ++i) c1.weights.push_back(static_cast<int8_t>(i * 7 % 23 - 11));
  c1.bias = {10, -20, 30};
  c1.multiplier = {1 << 30, 1500000000, 2000000000};
  c1.shift = {-1, -2, 0};
  c1.weight_scale = {0.1f, 0.2f, 0.3f};
  g.ops.push_back(c1);
  g.ops.push_back({.type = OpType::kRelu, .inputs = {a}, .output = a_relu, .act_min = -3});
  Op c2{.type = OpType::kConv1d, .inputs = {in}, .output = b};
  c2.weights = {5, -7};
  c2.multiplier = {1 << 30};
  c2.shift = {-3};
  c2.weight_scale = {0.05f};
  g.ops.push_back(c2);
  g.ops.push_back({.type = OpType::kConcat, .inputs = {a_relu, b}, .output = cat});
  g.ops.push_back(
      {.type = OpType::kAvgPool1d, .inputs = {cat}, .output = pooled, .kernel = 2, .stride = 2});
  Op add{.type = OpType::kAdd, .inputs = {pooled, pooled}, .output = sum, .left_shift = 20};
  add.multiplier = {1 << 30, 1 << 30, 1717986918};
  add.shift = {0, 0, -3};
  g.ops.push_back(add);
  Op head{.type = OpType::kConv1d, .inputs = {sum}, .output = logits, .kernel = 2};
  for (int i = 0; i < 2 * 2 * 4; ++i) head.weights.push_back(static_cast<int8_t>(100 - 13 * i));
  head.multiplier = {1 << 30, (1 << 30) + 12345};
  head.shift = {-4, -5};
  head.weight_scale = {0.01f, 0.02f};
  g.ops.push_back(head);
  qgraph::plan_arena(g);
  return g;
}

}  // namespace physiolite::testing
