// A tiny TFLITE-scheme graph for the exporter tests, every value written out by hand except the
// requantisation multipliers, which TFLite's QuantizeMultiplier (qgraph::quantize_multiplier,
// tested against hand-worked values in tests/qgraph) derives from the float scales as TFLite does:
//   input [3 x 8] (scale 0.05, zp 3) -> AVGPOOL1D k2 s2 -> [3 x 4]
//     -> CONV1D k3 pad 1, bias, ReLU at zp -128 -> a [4 x 4]
//     -> CONV1D k1                               -> b [2 x 4]   (a's scale and zero point)
//   CONCAT(a, b) [6 x 4] -> ADD with itself [6 x 4] -> CONV1D k4 (VALID) -> logits [2 x 1]
#pragma once

#include <cmath>

#include "physiolite/qgraph/arena.hpp"
#include "physiolite/qgraph/graph.hpp"
#include "physiolite/qgraph/quant_math.hpp"
#include "qgraph/test_graphs.hpp"

namespace physiolite::testing {

inline qgraph::Op tiny_conv(const qgraph::Graph& g, int in, int out, int kernel, int pad,
                            int seed) {
  qgraph::Op op{
      .type = qgraph::OpType::kConv1d, .inputs = {in}, .output = out, .kernel = kernel, .pad = pad};
  const auto& x = g.tensors[static_cast<size_t>(in)];
  const auto& y = g.tensors[static_cast<size_t>(out)];
  for (int i = 0; i < y.channels * kernel * x.channels; ++i) {
    op.weights.push_back(static_cast<int8_t>((i * 37 + seed) % 255 - 127));
  }
  for (int o = 0; o < y.channels; ++o) {
    const float s_w = 0.004f + 0.001f * static_cast<float>(o + seed % 3);
    op.weight_scale.push_back(s_w);
    const auto m = qgraph::quantize_multiplier(static_cast<double>(x.scale) * s_w /
                                               static_cast<double>(y.scale));
    op.multiplier.push_back(m.multiplier);
    op.shift.push_back(m.shift);
  }
  return op;
}

inline qgraph::Graph tiny_tflite_graph() {
  using qgraph::Op;
  using qgraph::OpType;
  qgraph::Graph g;
  g.scheme = qgraph::Scheme::kTflite;
  const int in = add_tensor(g, 3, 8, 0.05f, 3);
  const int pooled = add_tensor(g, 3, 4, 0.05f, 3);
  const int a = add_tensor(g, 4, 4, 0.03f, -128);
  const int b = add_tensor(g, 2, 4, 0.03f, -128);
  const int cat = add_tensor(g, 6, 4, 0.03f, -128);
  const int sum = add_tensor(g, 6, 4, 0.07f, -100);
  const int logits = add_tensor(g, 2, 1, 0.2f, 7);
  g.input = in;
  g.output = logits;
  g.input_channels = {{0.05f, 3}, {0.05f, 3}, {0.05f, 3}};
  g.ops.push_back(
      {.type = OpType::kAvgPool1d, .inputs = {in}, .output = pooled, .kernel = 2, .stride = 2});
  Op c1 = tiny_conv(g, pooled, a, 3, 1, 1);
  c1.bias = {100, -250, 3000, 0};
  g.ops.push_back(c1);
  g.ops.push_back(tiny_conv(g, a, b, 1, 0, 2));
  g.ops.push_back({.type = OpType::kConcat, .inputs = {a, b}, .output = cat});
  Op add{.type = OpType::kAdd, .inputs = {cat, cat}, .output = sum, .left_shift = 20};
  // TFLite's int8 ADD parameters from the float scales (its add.cc Prepare).
  const double twice_max = 2.0 * 0.03f;
  for (double real : {0.03f / twice_max, 0.03f / twice_max, twice_max / ((1 << 20) * 0.07f)}) {
    const auto m = qgraph::quantize_multiplier(real);
    add.multiplier.push_back(m.multiplier);
    add.shift.push_back(m.shift);
  }
  g.ops.push_back(add);
  g.ops.push_back(tiny_conv(g, sum, logits, 4, 0, 3));
  qgraph::plan_arena(g);
  return g;
}

}  // namespace physiolite::testing
