// The quantised LibTorch graph: a qgraph::Graph run with the exact integer semantics of
// docs/int8_model_format.md on batched tensors — int64 element-wise arithmetic, convolutions in
// float64 over integer values (exact: every partial sum stays far below 2^53). This is the
// reference the C runtime must equal bit for bit, and what scores an int8 model.
// Tensors here are channel-first [B, C, L] (the file's channel-last layout is the runtime's).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "physiolite/qgraph/graph.hpp"

namespace physiolite::quant {

// The CPU-side input quantisation, in float32 exactly as the format says (division, then + 0.5,
// floor, + zero point, clamp): x [B, C, L] float -> int64 codes [B, C, L].
torch::Tensor quantize_input(const qgraph::Graph& graph, const torch::Tensor& x);

// Every tensor of the graph (index = tensor index) for input codes [B, C, L]: for per-layer
// comparisons. Tensors an op never writes (only the input) keep their codes.
std::vector<torch::Tensor> run_integer_all(const qgraph::Graph& graph, const torch::Tensor& codes);

// The output codes [B, K] int64.
torch::Tensor run_integer(const qgraph::Graph& graph, const torch::Tensor& codes);

// scale * (q - zero_point) of the output codes: [B, K] float32.
torch::Tensor dequantize_output(const qgraph::Graph& graph, const torch::Tensor& codes);

}  // namespace physiolite::quant
