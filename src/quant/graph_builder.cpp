#include "physiolite/quant/graph_builder.hpp"

#include <algorithm>
#include <cmath>

#include "physiolite/core/error.hpp"
#include "physiolite/qgraph/arena.hpp"

namespace physiolite::quant {

using qgraph::AffineParams;
using qgraph::Scheme;

namespace {

// 2^e / 128: a POW2 tensor whose codes cover [-2^e, 2^e).
float pow2_scale(int e) { return static_cast<float>(std::ldexp(1.0, e - 7)); }

AffineParams params_for(const Range& r, Scheme scheme, bool pooled) {
  if (scheme == Scheme::kMax78000) return {pow2_scale(qgraph::pow2_exponent(r.max_abs())), 0};
  if (pooled) return qgraph::tflite_pooled_activation_params(r.max_abs());
  return r.max < r.min ? qgraph::tflite_activation_params(0, 0)
                       : qgraph::tflite_activation_params(r.min, r.max);
}

}  // namespace

QuantParams choose_params(const std::vector<Node>& plan, const Calibration& cal, Scheme scheme) {
  PL_CHECK(cal.nodes.size() == plan.size(), "calibration of another plan");
  const Groups groups = tensor_groups(plan, scheme == Scheme::kMax78000);
  std::vector<Range> united(static_cast<size_t>(groups.count));
  std::vector<bool> pooled(static_cast<size_t>(groups.count), false);
  for (size_t i = 0; i < plan.size(); ++i) {
    united[static_cast<size_t>(groups.of_node[i])].include(cal.nodes[i]);
    if (plan[i].kind == NodeKind::kAvgPool) pooled[static_cast<size_t>(groups.of_node[i])] = true;
  }
  QuantParams p;
  p.scheme = scheme;
  for (size_t i = 0; i < plan.size(); ++i) {
    const int g = groups.of_node[i];
    const bool input = g == groups.input_group;
    p.holds_input.push_back(input);
    // The input's codes carry their per-channel scales into the stem: scale 1 (POW2: 2^7/128).
    p.node.push_back(
        input ? AffineParams{1.0f, 0}
              : params_for(united[static_cast<size_t>(g)], scheme, pooled[static_cast<size_t>(g)]));
  }
  for (const Range& r : cal.input_channels) {
    p.input_scale.push_back(scheme == Scheme::kMax78000
                                ? pow2_scale(qgraph::pow2_exponent(r.max_abs()))
                                : qgraph::symmetric_scale(r.max_abs()));
  }
  return p;
}

std::vector<double> conv_fold(const std::vector<Node>& plan, const QuantParams& params, int node) {
  const Node& n = plan[static_cast<size_t>(node)];
  const int in = n.inputs[0];
  const bool reads_input = in == kGraphInput || params.holds_input[static_cast<size_t>(in)];
  if (!reads_input) return std::vector<double>(static_cast<size_t>(n.in_channels), 1.0);
  return {params.input_scale.begin(), params.input_scale.end()};
}

QuantizedConv quantize_conv(const torch::Tensor& weight, const std::vector<double>& fold,
                            double s_in, double s_out, Scheme scheme) {
  const torch::Tensor w = weight.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  const auto c_out = w.size(0), c_in = w.size(1), k = w.size(2);
  PL_CHECK(static_cast<int64_t>(fold.size()) == c_in, "fold per input channel");
  const auto a = w.accessor<double, 3>();
  auto folded = [&](int64_t o, int64_t c, int64_t j) {
    return a[o][c][j] * fold[static_cast<size_t>(c)];
  };
  QuantizedConv q;
  q.weights.resize(static_cast<size_t>(c_out * k * c_in));
  torch::Tensor deq = torch::empty({c_out, c_in, k}, torch::kFloat64);
  auto d = deq.accessor<double, 3>();
  std::vector<double> max_abs(static_cast<size_t>(c_out), 0.0);
  for (int64_t o = 0; o < c_out; ++o) {
    for (int64_t c = 0; c < c_in; ++c) {
      for (int64_t j = 0; j < k; ++j) {
        max_abs[static_cast<size_t>(o)] =
            std::max(max_abs[static_cast<size_t>(o)], std::abs(folded(o, c, j)));
      }
    }
  }
  // POW2: one shift for the layer, from its largest weight rescaled to the tensors' scales.
  const double rescale = s_in / s_out;
  const int output_shift =
      qgraph::pow2_output_shift(*std::max_element(max_abs.begin(), max_abs.end()) * rescale);
  for (int64_t o = 0; o < c_out; ++o) {
    double scale = 0;  // real (folded) weight per code
    if (scheme == Scheme::kMax78000) {
      scale = std::ldexp(1.0, output_shift - 7) / rescale;
      q.shift.push_back(7 - output_shift);
    } else {
      scale = qgraph::symmetric_scale(max_abs[static_cast<size_t>(o)]);
      const qgraph::QuantizedMultiplier m = qgraph::quantize_multiplier(s_in * scale / s_out);
      q.multiplier.push_back(m.multiplier);
      q.shift.push_back(m.shift);
    }
    q.weight_scale.push_back(static_cast<float>(scale));
    for (int64_t c = 0; c < c_in; ++c) {
      for (int64_t j = 0; j < k; ++j) {
        const double v = folded(o, c, j);
        const int8_t code =
            scheme == Scheme::kMax78000
                ? qgraph::pow2_weight(v * rescale, output_shift)
                : static_cast<int8_t>(std::clamp(std::round(v / scale), -127.0, 127.0));
        q.weights[static_cast<size_t>((o * k + j) * c_in + c)] = code;
        d[o][c][j] = code * scale / fold[static_cast<size_t>(c)];
      }
    }
  }
  q.dequantized = deq.to(torch::kFloat32);
  return q;
}

namespace {

qgraph::Op conv_op(const std::vector<Node>& plan, const ConvWeights& weights, const QuantParams& p,
                   int index, const qgraph::Graph& g) {
  const Node& n = plan[static_cast<size_t>(index)];
  const qgraph::Tensor& x = g.tensors[static_cast<size_t>(n.inputs[0] + 1)];
  const qgraph::Tensor& y = g.tensors[static_cast<size_t>(index + 1)];
  QuantizedConv q =
      quantize_conv(weights.at(n.weight), conv_fold(plan, p, index), x.scale, y.scale, p.scheme);
  qgraph::Op op{.type = qgraph::OpType::kConv1d,
                .name = n.name,
                .inputs = {n.inputs[0] + 1},
                .output = index + 1,
                .kernel = n.kernel,
                .pad = n.pad};
  // ReLU is the output clamp: real >= 0 is code >= the zero point.
  op.act_min = n.relu ? std::max(-128, y.zero_point) : -128;
  op.weights = std::move(q.weights);
  op.multiplier = std::move(q.multiplier);
  op.shift = std::move(q.shift);
  op.weight_scale = std::move(q.weight_scale);
  return op;
}

// TFLite's int8 ADD parameters (PrepareGeneralSubOp): both inputs rescaled to twice the larger
// input scale with 20 bits of headroom, the sum rescaled to the output.
void tflite_add_params(qgraph::Op& op, const qgraph::Tensor& a, const qgraph::Tensor& b,
                       const qgraph::Tensor& y) {
  op.left_shift = 20;
  const double twice_max =
      2.0 * std::max(static_cast<double>(a.scale), static_cast<double>(b.scale));
  for (double real : {a.scale / twice_max, b.scale / twice_max,
                      twice_max / (std::ldexp(1.0, op.left_shift) * y.scale)}) {
    const qgraph::QuantizedMultiplier m = qgraph::quantize_multiplier(real);
    op.multiplier.push_back(m.multiplier);
    op.shift.push_back(m.shift);
  }
}

}  // namespace

qgraph::Graph build_graph(const std::vector<Node>& plan, const ConvWeights& weights,
                          const QuantParams& p, const BuildOptions& options) {
  PL_CHECK(p.scheme == options.scheme && p.node.size() == plan.size(), "params of another plan");
  PL_CHECK(!options.pool_round_half_up || options.scheme == Scheme::kMax78000,
           "round-half-up pools are a MAX78000 option");
  PL_CHECK(!options.pool_truncate ||
               (options.scheme == Scheme::kMax78000 && !options.pool_round_half_up),
           "truncating pools are a MAX78000 option of their own");
  qgraph::Graph g;
  g.scheme = options.scheme;
  // Tensor 0 is the input; tensor i + 1 the output of node i (so kGraphInput + 1 = 0).
  const Node& first = plan.front();
  g.tensors.push_back({"input", first.in_channels, first.in_length, 1.0f, 0, 0});
  for (float s : p.input_scale) g.input_channels.push_back({s, 0});
  for (size_t i = 0; i < plan.size(); ++i) {
    const Node& n = plan[i];
    g.tensors.push_back({n.name, n.channels, n.length, p.node[i].scale, p.node[i].zero_point, 0});
  }
  g.input = 0;
  g.output = static_cast<int>(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    const Node& n = plan[i];
    const int index = static_cast<int>(i);
    std::vector<int> inputs;
    for (int in : n.inputs) inputs.push_back(in + 1);
    switch (n.kind) {
      case NodeKind::kConv:
        g.ops.push_back(conv_op(plan, weights, p, index, g));
        break;
      case NodeKind::kAvgPool:
        g.ops.push_back({.type = qgraph::OpType::kAvgPool1d,
                         .name = n.name,
                         .inputs = inputs,
                         .output = index + 1,
                         .kernel = n.kernel,
                         .stride = n.stride,
                         .round_half_up = options.pool_round_half_up,
                         .truncate = options.pool_truncate});
        break;
      case NodeKind::kAdd: {
        qgraph::Op op{
            .type = qgraph::OpType::kAdd, .name = n.name, .inputs = inputs, .output = index + 1};
        if (g.scheme == Scheme::kTflite) {
          tflite_add_params(op, g.tensors[static_cast<size_t>(inputs[0])],
                            g.tensors[static_cast<size_t>(inputs[1])], g.tensors[i + 1]);
        }
        g.ops.push_back(std::move(op));
        break;
      }
      case NodeKind::kConcat:
        g.ops.push_back({.type = qgraph::OpType::kConcat,
                         .name = n.name,
                         .inputs = inputs,
                         .output = index + 1});
        break;
    }
  }
  if (auto problem = qgraph::find_problem(g)) {
    fail_check("find_problem(graph)", __FILE__, __LINE__,
               "build_graph made an invalid graph: " + problem->field + ": expected " +
                   problem->expected + ", got " + problem->found);
  }
  qgraph::plan_arena(g);
  return g;
}

}  // namespace physiolite::quant
