// The per-layer latency rules of the two accelerators (internal to the profile module), fitted
// once to the vendors' estimators by scripts/profile_fit.py (docs/profile.md: features, data,
// residuals). Neither estimator is called at run time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "physiolite/export/max78000.hpp"
#include "physiolite/profile/profile.hpp"
#include "physiolite/qgraph/graph.hpp"

namespace physiolite::profile {

// MAX78000: CNN clock cycles of each hardware layer of izer's plan (izer's "ESTIMATED LATENCY"
// per layer); the network total adds izer's one start-up cycle.
int64_t max78000_layer_cycles(const exporter::Max78000Layer& layer);
inline constexpr int64_t kMax78000StartupCycles = 1;

// WE2: one graph op on the Ethos-U55-64, as Vela's per-layer figures split it.
struct We2OpCycles {
  int64_t npu = 0;      // Vela's "NPU": the compute, plus the weight transfer the NPU waits for
  int64_t compute = 0;  // the MACs and output alone (the "NPU" column with the weights in SRAM)
  int64_t weight = 0;   // reading the encoded weights (and scales) from their memory
  int64_t sram = 0;     // activations to and from SRAM
  int64_t weight_bytes = 0;   // int8 weights
  int64_t encoded_bytes = 0;  // as the NPU reads them: weight stream + 10 B of scale per channel
  int64_t total() const;      // Vela's "Op Cycles": the slowest of npu, sram and direct reads
  bool direct_read = false;   // the classifier reads its weights in place (no DMA buffer)
};
// One per graph op: a weight transfer overlaps the compute of the op run before it (Vela's
// weight buffering), so each op's figure depends on its predecessor in we2_op_order.
std::vector<We2OpCycles> we2_network_cycles(const qgraph::Graph& graph, const We2Memory& memory);

// One command of the NPU's stream: graph op `op`, or for a concatenation the copy of its input
// `part` (its element-wise pass has part -1).
struct We2Step {
  int op = 0;
  int part = -1;
};
// The ops in the order Vela runs them (we2_order.cpp), a concatenation split into its commands.
std::vector<We2Step> we2_op_order(const qgraph::Graph& graph);

// One operator as the NPU runs it (1-D: height 1). A stride-4 average pool is a 1 x 1
// convolution over 4 C channels (the NPU's strides stop at 3), which the caller passes as such.
struct We2Shape {
  enum class Kind { kConv, kPool, kAdd } kind = Kind::kConv;
  int cin = 1, cout = 1, lin = 1, lout = 1, kernel = 1, stride = 1;
};
// Compute cycles (MACs and output unit) of one operator and the output-channel depth of the blocks
// it runs in; the latencies are the memories' read latencies (scales and biases: the weights'
// memory; blocks: the SRAM).
struct We2Compute {
  double cycles = 0;
  int block_width = 1, block_depth = 8;
};
We2Compute we2_compute(const We2Shape& shape, int weight_latency, int sram_latency);
// The compute of output channels [0, depth) of a conv alone, in the blocks chosen for the whole
// operator: how Vela costs one slice of weights streamed in depth slices (a 48-channel slice of
// an op in 32-deep blocks runs two whole blocks).
double we2_slice_cycles(const We2Shape& shape, int depth, int weight_latency, int sram_latency);

}  // namespace physiolite::profile
