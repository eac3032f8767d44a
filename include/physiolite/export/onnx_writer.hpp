// An int8 graph (either scheme) as an ONNX model (opset 13), in one of four forms built by one
// builder (OnnxForm). Tensors are channel-first [1, C, L] (ONNX's NCW); the output is [1, K, 1].
//
// The QDQ forms: every int8 tensor is DequantizeLinear'd before the float op that reads it
// (Conv, AveragePool, Add, Concat) and QuantizeLinear'd after the op that writes it, with the
// .plq's scale and zero point; weights per output channel (axis 0), biases int32 with scale
// s_in * s_w. A clamp at the zero point (ReLU) stays a Relu before the Q where the Q's
// saturation does not imply it (zero point above -128).
//   kQdq      int8 activations, int8 weights (zero point 0): input "input", output "logits".
//   kQdqU8    activations and weights as uint8 = int8 + 128 (zero points + 128): input
//             "input_u8", output "logits_u8". ONNX Runtime's x86 kernels fuse every group into
//             QLinearConv / QLinearAdd / ... only where activations are uint8 (given int8 it
//             converts a Q -> DQ pair itself, but only where the Q feeds a single DQ), and with
//             uint8 weights (U8U8) its integer products are exact.
//   kQdqU8S8  uint8 activations, int8 weights: ONNX Runtime's usual U8S8 form, faster on AVX2
//             but its VPMADDUBSW sums two u8 x s8 products in int16, which saturates
//             (2 * 255 * 127 > 32767): not exact.
//   kFloat    dequantised weights (q * weight_scale) and biases (q * s_in * weight_scale), no
//             Q/DQ: input "input" float, the real window as plrt_quantize_input takes it (the
//             host's per-channel input scales s_c are folded into the convs that read the window
//             through average pools only, as s_t / s_c per input channel), output "logits" float.
//             A conv whose clamp starts at or above real 0 gets a Relu; no other clamp.
//
// ONNX Runtime requantises in float (round half to even), our runtime in integers: the QDQ forms'
// codes may differ from the .plq's arithmetic on rounding ties (docs/export.md gives the measured
// figures). Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "physiolite/qgraph/graph.hpp"

namespace physiolite::exporting {

enum class OnnxForm : uint8_t { kQdq, kQdqU8, kQdqU8S8, kFloat };

// "qdq", "qdq-u8", "qdq-u8s8", "float" (the CLI's --onnx-form); UsageError otherwise.
OnnxForm parse_onnx_form(std::string_view text);
std::string_view to_string(OnnxForm form);
// The model's input and output names in that form ("input" / "logits", "input_u8" / ...).
std::string onnx_input_name(OnnxForm form);
std::string onnx_output_name(OnnxForm form);

// The serialised ModelProto, checked by onnx::checker::check_model and strict shape inference
// before it is returned. InputError naming the op when a clamp is neither the int8 range nor a
// ReLU, or (kFloat) when the per-channel input quantisation cannot be folded into the graph.
std::vector<uint8_t> onnx_bytes(const qgraph::Graph& graph, const std::string& origin,
                                OnnxForm form = OnnxForm::kQdq);

}  // namespace physiolite::exporting
