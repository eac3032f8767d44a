// A TFLITE-scheme int8 graph as a standard int8 TFLite flatbuffer (the model format of TFLite and
// TFLite Micro, schema version 3; our subset of the schema: src/export/tflite_schema.fbs), as Vela
// compiles it for the WE2's Ethos-U55 and TFLite's own interpreter runs it.
//
// Mapping (every tensor NHWC with N = H = 1, W = the graph's length, C its channels; int8 with
// the graph's scale and zero point):
//   CONV1D    -> CONV_2D: weights [C_out][1][k][C_in] int8 per output channel (scales = the
//                .plq's weight_scale, zero points 0, quantized_dimension 0), bias int32 [C_out]
//                (scale s_in * s_w, zero point 0; zeros when the conv has none), stride 1,
//                padding SAME when 2 * pad = k - 1, VALID when pad = 0
//   AVGPOOL1D -> AVERAGE_POOL_2D, filter 1 x k, stride 1 x s, VALID
//   ADD       -> ADD
//   CONCAT    -> CONCATENATION on axis 3 (channels)
// An op's clamp becomes the fused activation: [-128, 127] NONE, [zero point, 127] RELU.
//
// TFLite derives each op's integer multipliers from the float scales in the file (its
// QuantizeMultiplier on s_in * s_w / s_out in double; for ADD from the three tensor scales), so
// the file must make it derive exactly the .plq's: a weight scale that would not is nudged by
// the fewest float32 steps (at most 64) that make it, and a graph where none does is refused
// (a float32 step moves the multiplier by ~2^7, so only multipliers derived from float32 scales,
// as our quantiser derives them, can be written exactly).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "physiolite/qgraph/graph.hpp"

namespace physiolite::exporting {

// Everything the mapping needs, checked before anything is written: TFLITE scheme (UsageError
// naming the scheme), and per op (InputError "<origin>: field '<op> (<name>) <rule>'"): the
// padding, the clamp, the multipliers TFLite will derive, and the WE2's Ethos-U55 limits that
// Vela would otherwise send to the CPU (tensor dimensions, kernel sizes, pool strides, the
// per-channel weight sum).
void check_we2_graph(const qgraph::Graph& graph, const std::string& origin);

// The .tflite bytes (check_we2_graph first).
std::vector<uint8_t> tflite_bytes(const qgraph::Graph& graph, const std::string& origin);

// The float32 weight scale closest to `weight_scale` for which TFLite's
// QuantizeMultiplier(double(s_in) * double(s_w) / double(s_out)) gives (multiplier, shift);
// nullopt when none within 64 float32 steps does.
std::optional<float> tflite_weight_scale(float s_in, float weight_scale, float s_out,
                                         int32_t multiplier, int32_t shift);

}  // namespace physiolite::exporting
