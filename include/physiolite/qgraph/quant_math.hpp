// The scalar rules that turn float scales into the integers of a graph, for both schemes:
// TFLite's QuantizeMultiplier and activation parameters, the MAX78000 (ai8x) power-of-two rules
// of docs/quantization.md Torch-free; the quantiser calls them, tests check them on hand-worked
// values.
#pragma once

#include <cstdint>

namespace physiolite::qgraph {

struct QuantizedMultiplier {
  int32_t multiplier = 0;  // in [2^30, 2^31), or 0
  int32_t shift = 0;       // in [-31, 30]; real = multiplier * 2^(shift - 31)
};

// TFLite's QuantizeMultiplier (quantization_util.cc) for a real multiplier >= 0: frexp, the
// mantissa rounded half away from zero to Q31, the 2^31 carry into the exponent, shifts below
// -31 flushed to (0, 0), shifts above 30 saturated to (2^31 - 1, 30).
QuantizedMultiplier quantize_multiplier(double real_multiplier);

// TFLite's asymmetric int8 activation parameters for the range [min, max]: the range is widened
// to hold 0, scale = (max - min) / 255, zero point -128 - min / scale rounded and clamped to
// [-128, 127]. A range narrower than `kMinRange` is widened to it (an all-zero tensor).
struct AffineParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};
AffineParams tflite_activation_params(double min, double max);

// TFLITE parameters of a tensor an average pool reads (and writes: a pool keeps its input's
// parameters): zero point 0 and scale max|x| / 127 with its mantissa rounded up to
// kPooledScaleBits bits. TFLite's int8 pool rounds the mean of the raw codes half away from zero;
// float executors (Arm NN's reference backend, ONNX Runtime) dequantise, average and requantise,
// i.e. round the mean of (code - zero point). With zero point 0 the two means are one number, and
// with a short mantissa every product code * scale, their sum, and the division back by the scale
// are exact in float32 (8 + 14 + 2 bits < 24), so exact .5 ties round the same way everywhere.
// The price is one bit on non-negative tensors (codes 0..127 instead of -128..127).
inline constexpr int kPooledScaleBits = 14;
AffineParams tflite_pooled_activation_params(double max_abs);

// Symmetric int8 scale max|x| / 127 (TFLite weights per channel, the graph input per channel).
float symmetric_scale(double max_abs);

inline constexpr double kMinRange = 1e-6;

// MAX78000 activations: the smallest integer e with max_abs <= 2^e (max_abs below kMinRange
// counts as kMinRange), so the tensor's scale is 2^e / 128 and [-2^e, 2^e) is representable.
int pow2_exponent(double max_abs);

// ai8x's layer shift for the largest |weight| q of the layer (weights already rescaled to the
// layer's input/output scales): output_shift = -floor(log2(1/q)) clamped to [-15, 15], so that
// q * 2^-output_shift lands in (0.5, 1]. 0 for an all-zero layer.
int pow2_output_shift(double max_abs_weight);

// One weight of that layer: clamp(floor(w * 2^-output_shift * 128 + 0.5), -128, 127).
int8_t pow2_weight(double w, int output_shift);

}  // namespace physiolite::qgraph
