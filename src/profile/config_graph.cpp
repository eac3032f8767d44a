#include "physiolite/profile/config_graph.hpp"

#include <fmt/format.h>

#include <map>

#include "physiolite/arch/layer_table.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/qgraph/arena.hpp"
#include "physiolite/qgraph/quant_math.hpp"

namespace physiolite::profile {

namespace {
constexpr float kTfliteScale = 0.05f;  // every TFLITE tensor: cost does not depend on it
constexpr int32_t kTfliteZeroPoint = -10;
constexpr float kWeightScale = 0.004f;
}  // namespace

GraphBuilder::GraphBuilder(qgraph::Scheme scheme, uint64_t seed) : state_(seed) {
  graph_.scheme = scheme;
}

uint32_t GraphBuilder::next() {  // PCG-style LCG: weights need no quality, only determinism
  state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
  return static_cast<uint32_t>(state_ >> 33);
}

int GraphBuilder::new_tensor(int channels, int length) {
  const bool tfl = graph_.scheme == qgraph::Scheme::kTflite;
  graph_.tensors.push_back(
      {"", channels, length, tfl ? kTfliteScale : 1.0f / 128, tfl ? kTfliteZeroPoint : 0, 0});
  return static_cast<int>(graph_.tensors.size()) - 1;
}

int GraphBuilder::input(int channels, int length) {
  const int t = new_tensor(channels, length);
  graph_.input = t;
  graph_.input_channels.assign(static_cast<size_t>(channels),
                               {tensor(t).scale, tensor(t).zero_point});
  return t;
}

int GraphBuilder::pool(int in, int kernel, int stride) {
  const int out = new_tensor(tensor(in).channels, (tensor(in).length - kernel) / stride + 1);
  graph_.ops.push_back({.type = qgraph::OpType::kAvgPool1d,
                        .inputs = {in},
                        .output = out,
                        .kernel = kernel,
                        .stride = stride,
                        .truncate = graph_.scheme == qgraph::Scheme::kMax78000});
  return out;
}

int GraphBuilder::conv(int in, int out_channels, int kernel, int pad, bool relu) {
  const int ci = tensor(in).channels;
  const int out = new_tensor(out_channels, tensor(in).length + 2 * pad - kernel + 1);
  qgraph::Op op{
      .type = qgraph::OpType::kConv1d, .inputs = {in}, .output = out, .kernel = kernel, .pad = pad};
  const size_t n = static_cast<size_t>(out_channels) * kernel * ci;
  op.weights.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    op.weights.push_back(static_cast<int8_t>(static_cast<int>(next() % 255) - 127));
  }
  // Biases are int8 codes times 128 so that the POW2 graph suits the MAX78000's bias format.
  for (int o = 0; o < out_channels; ++o) op.bias.push_back(static_cast<int32_t>(next() % 64) * 128);
  op.weight_scale.assign(static_cast<size_t>(out_channels), kWeightScale);
  if (graph_.scheme == qgraph::Scheme::kMax78000) {
    op.shift.assign(static_cast<size_t>(out_channels), 7);  // output_shift 0
    if (relu) op.act_min = 0;
  } else {
    const auto m = qgraph::quantize_multiplier(static_cast<double>(kWeightScale));
    op.multiplier.assign(static_cast<size_t>(out_channels), m.multiplier);
    op.shift.assign(static_cast<size_t>(out_channels), m.shift);
    if (relu) op.act_min = kTfliteZeroPoint;
  }
  graph_.ops.push_back(std::move(op));
  return out;
}

int GraphBuilder::add(int a, int b) {
  const int out = new_tensor(tensor(a).channels, tensor(a).length);
  qgraph::Op op{.type = qgraph::OpType::kAdd, .inputs = {a, b}, .output = out};
  if (graph_.scheme == qgraph::Scheme::kTflite) {
    // TFLite's int8 ADD Prepare for equal input and output scales: inputs scaled by
    // s / (2 s) = 0.5 after a left shift of 20, the output by 2 s / (2^20 s).
    op.left_shift = 20;
    for (double real : {0.5, 0.5, 2.0 / (1 << 20)}) {
      const auto m = qgraph::quantize_multiplier(real);
      op.multiplier.push_back(m.multiplier);
      op.shift.push_back(m.shift);
    }
  }
  graph_.ops.push_back(std::move(op));
  return out;
}

int GraphBuilder::concat(const std::vector<int>& parts) {
  int channels = 0;
  for (int p : parts) channels += tensor(p).channels;
  const int out = new_tensor(channels, tensor(parts.front()).length);
  graph_.ops.push_back({.type = qgraph::OpType::kConcat, .inputs = parts, .output = out});
  return out;
}

qgraph::Graph GraphBuilder::finish(int output) {
  graph_.output = output;
  if (const auto problem = qgraph::find_problem(graph_)) {
    throw UsageError(fmt::format("the network's int8 graph is not valid: {}: expected {}, got {}",
                                 problem->field, problem->expected, problem->found));
  }
  qgraph::plan_arena(graph_);
  return graph_;
}

qgraph::Graph graph_of_config(const arch::ModelConfig& config, qgraph::Scheme scheme) {
  if (config.activation != "relu") {
    throw UsageError(
        fmt::format("model.activation {}: the chips apply only ReLU (set model.activation=relu)",
                    config.activation));
  }
  const std::vector<arch::LayerSpec> layers = arch::describe_layers(config);
  GraphBuilder b(scheme, 1);
  std::map<std::string, int> produced;
  produced["input"] = b.input(config.channels(), config.input_length);
  int last = produced["input"];
  for (const arch::LayerSpec& l : layers) {
    std::vector<int> in;
    for (const std::string& name : l.inputs) in.push_back(produced.at(name));
    switch (l.op) {
      case arch::LayerOp::kConv1d:
      case arch::LayerOp::kConv2d:  // the head's 1 x L convs are 1-D on the chips
        last = b.conv(in[0], l.out_channels, l.kernel, l.padding, l.activation == "relu");
        break;
      case arch::LayerOp::kAvgPool1d:
      case arch::LayerOp::kAvgPool2d:
        last = b.pool(in[0], l.pool_kernel.width, l.pool_stride.width);
        break;
      case arch::LayerOp::kAdd:
        last = b.add(in[0], in[1]);
        break;
      case arch::LayerOp::kConcat:
        last = b.concat(in);
        break;
      case arch::LayerOp::kView:
        last = in[0];
        break;
    }
    produced[l.name] = last;
  }
  return b.finish(last);
}

}  // namespace physiolite::profile
