#include "physiolite/qgraph/quant_math.hpp"

#include <algorithm>
#include <cmath>

#include "physiolite/core/error.hpp"

namespace physiolite::qgraph {

QuantizedMultiplier quantize_multiplier(double real) {
  PL_CHECK(real >= 0 && std::isfinite(real), "quantize_multiplier: needs a finite real >= 0");
  if (real == 0) return {};
  int shift = 0;
  const double q = std::frexp(real, &shift);  // real = q * 2^shift, q in [0.5, 1)
  auto q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
  if (q_fixed == (int64_t{1} << 31)) {  // q rounded up to 1.0
    q_fixed /= 2;
    ++shift;
  }
  if (shift < -31) return {};  // every bit would be shifted out
  if (shift > 30) return {static_cast<int32_t>((int64_t{1} << 31) - 1), 30};
  return {static_cast<int32_t>(q_fixed), shift};
}

AffineParams tflite_activation_params(double min, double max) {
  min = std::min(min, 0.0);
  max = std::max(max, 0.0);
  if (max - min < kMinRange) max = min + kMinRange;
  const auto scale = static_cast<float>((max - min) / 255.0);
  const double zero_from_min = -128.0 - min / static_cast<double>(scale);
  const auto zero_point =
      static_cast<int32_t>(std::clamp(std::round(zero_from_min), -128.0, 127.0));
  return {scale, zero_point};
}

AffineParams tflite_pooled_activation_params(double max_abs) {
  int exponent = 0;
  const double mantissa = std::frexp(std::max(max_abs, kMinRange) / 127.0, &exponent);
  const double rounded_up = std::ceil(std::ldexp(mantissa, kPooledScaleBits));
  return {static_cast<float>(std::ldexp(rounded_up, exponent - kPooledScaleBits)), 0};
}

float symmetric_scale(double max_abs) {
  return static_cast<float>(std::max(max_abs, kMinRange) / 127.0);
}

int pow2_exponent(double max_abs) {
  return static_cast<int>(std::ceil(std::log2(std::max(max_abs, kMinRange))));
}

int pow2_output_shift(double q) {
  if (q <= 0) return 0;
  const double shift = -std::floor(std::log2(1.0 / q));
  return static_cast<int>(std::clamp(shift, -15.0, 15.0));
}

int8_t pow2_weight(double w, int output_shift) {
  const double v = std::floor(std::ldexp(w, 7 - output_shift) + 0.5);
  return static_cast<int8_t>(std::clamp(v, -128.0, 127.0));
}

}  // namespace physiolite::qgraph
