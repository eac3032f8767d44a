// An int8 graph (either scheme) as an ONNX model in the QDQ form (opset 13): every int8 tensor
// is DequantizeLinear'd before the float op that reads it (Conv, AveragePool, Add, Concat) and
// QuantizeLinear'd after the op that writes it, with the .plq's scale and zero point; weights
// int8 with per-output-channel scales (axis 0, zero point 0), biases int32 with scale
// s_in * s_w. Tensors are channel-first [1, C, L] (ONNX's NCW). Input "input" int8 [1, C, L],
// output "logits" int8 [1, K, 1]. A clamp at the zero point (ReLU) stays a Relu before the Q.
//
// ONNX Runtime fuses these groups into QLinearConv / QLinearAdd / ... and requantises in float,
// so its codes may differ from the .plq's integer arithmetic by 1 on rounding ties (TFLITE) or
// more where the POW2 scheme's power-of-two shift and round-half-up differ from float
// requantisation (docs/export.md gives the measured figures). Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "physiolite/qgraph/graph.hpp"

namespace physiolite::exporting {

// The serialised ModelProto, checked by onnx::checker::check_model (full check with shape
// inference). InputError naming the op when a clamp is neither the int8 range nor a ReLU.
std::vector<uint8_t> onnx_bytes(const qgraph::Graph& graph, const std::string& origin);

}  // namespace physiolite::exporting
