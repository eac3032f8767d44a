// The network as a table of layers, in execution order, with shapes, weights and MACs: what
// `physiolite info` prints, what the chip-rule checker walks, and what the LibTorch module is
// checked against. Built from a ModelConfig alone, so it needs no LibTorch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "physiolite/arch/model_config.hpp"

namespace physiolite::arch {

enum class LayerOp { kConv1d, kConv2d, kAvgPool1d, kAvgPool2d, kAdd, kConcat, kView };

std::string_view to_string(LayerOp op);

// Height x width of a feature map; 1-D tensors have height 1 and width = length.
struct Dims {
  int height = 1;
  int width = 0;
  int64_t size() const { return static_cast<int64_t>(height) * width; }
  friend bool operator==(const Dims&, const Dims&) = default;
};

struct LayerSpec {
  std::string name;  // module path, e.g. "bank.branches[2].c1"; torch name = "bank.branches.2.c1"
  LayerOp op = LayerOp::kConv1d;
  std::vector<std::string> inputs;  // producing layers in operand order; "input" = network input
  int in_channels = 0;
  int out_channels = 0;
  Dims in_dims;
  Dims out_dims;
  // Convolutions (2-D kernels are kernel x kernel).
  int kernel = 0;
  int padding = 0;
  int stride = 1;
  int dilation = 1;
  // Pools: kernel and stride per dimension (1-D pools use only the width).
  Dims pool_kernel;
  Dims pool_stride;
  std::string activation = "none";  // applied to this layer's output
  int64_t weights = 0;              // no biases anywhere in the model
  int64_t macs = 0;                 // conv multiply-accumulates at batch 1

  bool is_conv() const { return op == LayerOp::kConv1d || op == LayerOp::kConv2d; }
  bool is_pool() const { return op == LayerOp::kAvgPool1d || op == LayerOp::kAvgPool2d; }
};

// Validates `config` and lists its layers in the order of docs/model.md (layer table) (the CPU-side
// positional concat is outside the graph and not listed).
std::vector<LayerSpec> describe_layers(const ModelConfig& config);

int64_t count_parameters(const std::vector<LayerSpec>& layers);
int64_t count_macs(const std::vector<LayerSpec>& layers);

// "bank.branches[2].c1" -> "bank.branches.2.c1" (how LibTorch names the same module).
std::string torch_module_name(std::string_view layer_name);

}  // namespace physiolite::arch
