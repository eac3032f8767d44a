// PhysioLiteNet as the quantiser sees it: one node per int8 tensor, in execution order, following
// docs/model.md (layer table) (avgpool fp -> 1x1 stem -> branches -> concat -> avgpool pt -> patch
// conv -> bottlenecks with their adds -> barrier -> avgpool pp -> head_proj -> global avgpool ->
// classifier). Read off arch::describe_layers(), the table the LibTorch module is checked
// against; the same plan drives the float forward with observers (calibration, QAT) and the
// integer graph builder, so none of them can disagree about the network. Torch-free.
#pragma once

#include <string>
#include <vector>

#include "physiolite/arch/model_config.hpp"

namespace physiolite::quant {

enum class NodeKind { kConv, kAvgPool, kAdd, kConcat };

inline constexpr int kGraphInput = -1;  // a node input naming the network's input

struct Node {
  NodeKind kind = NodeKind::kConv;
  std::string name{};                   // layer name (arch::describe_layers spelling)
  std::vector<int> inputs{};            // node indices, or kGraphInput
  std::string weight{};                 // conv: LibTorch parameter name ("bank.stem.weight")
  int in_channels = 0, in_length = 0;   // the (first) input's shape
  int channels = 0, length = 0;         // the output's shape
  int kernel = 1, pad = 0, stride = 1;  // conv kernel/pad; pool kernel/stride
  bool relu = false;                    // conv followed by ReLU
};

// UsageError for a config the int8 graph cannot express (an activation other than ReLU). The
// 2-D layers of the head run on height-1 maps: they are 1-D ops here (the view disappears).
std::vector<Node> plan_network(const arch::ModelConfig& config);

// Which nodes must share scale and zero point (union-find over the plan): pool input and output,
// concat parts and output (both schemes, as TFLite's int8 spec and the chip's copy), and for
// POW2 also both inputs of an add and its output (the chip adds Q7 values) — which ties the whole
// residual stream. Returns a group id per node; the group holding the graph input is
// `input_group` (its tensors keep the per-channel input parameters).
struct Groups {
  std::vector<int> of_node;
  int input_group = -1;
  int count = 0;
};
Groups tensor_groups(const std::vector<Node>& plan, bool share_add_operands);

}  // namespace physiolite::quant
