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

// WE2: one graph op on the Ethos-U55-64 (Vela's per-layer "NPU" and "OffFlash AC"/"SRAM AC").
struct We2OpCycles {
  int64_t npu = 0;     // compute, Vela's "NPU" column
  int64_t weight = 0;  // reading the weights (and biases/scales) from their memory
  int64_t sram = 0;    // activations to and from SRAM
  int64_t weight_bytes = 0;
  int64_t total() const;  // Vela's "Op Cycles": the slowest of the three (they overlap)
};
We2OpCycles we2_op_cycles(const qgraph::Graph& graph, const qgraph::Op& op,
                          const We2Memory& memory);

}  // namespace physiolite::profile
