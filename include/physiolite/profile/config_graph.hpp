// An int8 graph with a network's shapes but made-up weights, for costing a network that was never
// trained (`physiolite profile --profile NAME --set model.embed_dim=128`) and for generating the
// networks the cost rules were fitted on (bench/bench_profile_netgen.cpp). The cost of a layer on
// either chip depends on its shapes, not on its weight values, except through Vela's weight
// compression: the weights are pseudo-random codes over the whole int8 range, which compress about
// as little as trained ones (docs/profile.md).
#pragma once

#include <cstdint>

#include "physiolite/arch/model_config.hpp"
#include "physiolite/qgraph/graph.hpp"

namespace physiolite::profile {

// Appends tensors and ops to a graph of one scheme: POW2 tensors are Q7 (scale 1/128, zero point
// 0) with shift-only requantisation and truncating pools (the MAX78000's); TFLITE tensors have one
// scale and zero point with TFLite multipliers.
class GraphBuilder {
 public:
  GraphBuilder(qgraph::Scheme scheme, uint64_t seed);
  int input(int channels, int length);  // sets the graph's input and its per-channel quantisation
  int pool(int in, int kernel, int stride);
  int conv(int in, int out_channels, int kernel, int pad, bool relu);
  int add(int a, int b);
  int concat(const std::vector<int>& parts);
  // Marks `output` as the graph's output and plans the arena.
  qgraph::Graph finish(int output);
  const qgraph::Tensor& tensor(int i) const { return graph_.tensors.at(static_cast<size_t>(i)); }

 private:
  int new_tensor(int channels, int length);
  uint32_t next();
  qgraph::Graph graph_;
  uint64_t state_;
};

// The graph of a PhysioLite model config (arch::describe_layers), as the quantiser would build it:
// every ReLU fused into its conv, the 2-D head's 1 x L layers as 1-D ones. UsageError for a
// config the chips cannot run (an activation other than relu, a transformer).
qgraph::Graph graph_of_config(const arch::ModelConfig& config, qgraph::Scheme scheme);

}  // namespace physiolite::profile
