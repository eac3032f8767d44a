/* Fixed-point requantisation shared by the reference and the optimised kernels (C99, inline), so
 * that both round identically. The TFLite helpers follow TFLite's published definitions
 * (gemmlowp's SaturatingRoundingDoublingHighMul and RoundingDivideByPOT, TFLite's
 * MultiplyByQuantizedMultiplier); docs/int8_model_format.md states where this runtime defines
 * what TFLite leaves undefined (int32 overflow of the left shift). */
#ifndef PLRT_FIXED_POINT_H
#define PLRT_FIXED_POINT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline int32_t plrt_saturate_i32(int64_t v) {
  return v > INT32_MAX ? INT32_MAX : (v < INT32_MIN ? INT32_MIN : (int32_t)v);
}

static inline int8_t plrt_clamp_i8(int64_t v, int32_t act_min, int32_t act_max) {
  return (int8_t)(v < act_min ? act_min : (v > act_max ? act_max : v));
}

/* round(a * b / 2^31) with ties away from zero; the one overflowing case (INT32_MIN squared)
 * saturates to INT32_MAX. */
static inline int32_t plrt_saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  const int64_t ab = (int64_t)a * (int64_t)b;
  const int64_t nudge = ab >= 0 ? (INT64_C(1) << 30) : 1 - (INT64_C(1) << 30);
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return (int32_t)((ab + nudge) / (INT64_C(1) << 31)); /* C division truncates toward zero */
}

/* x / 2^exponent rounded to nearest, ties away from zero; exponent in [0, 31]. */
static inline int32_t plrt_rounding_divide_by_pot(int32_t x, int32_t exponent) {
  const int64_t mask = (INT64_C(1) << exponent) - 1;
  const int64_t remainder = (int64_t)x & mask;
  const int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (int32_t)(((int64_t)x >> exponent) + (remainder > threshold ? 1 : 0));
}

/* TFLite's MultiplyByQuantizedMultiplier: x * multiplier * 2^(shift - 31), shift in [-31, 30].
 * x * 2^left saturates to int32 (TFLite overflows there; any such value clamps to the int8
 * range either way). */
static inline int32_t plrt_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                            int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  const int32_t scaled = plrt_saturate_i32((int64_t)x * (INT64_C(1) << left));
  return plrt_rounding_divide_by_pot(plrt_saturating_rounding_doubling_high_mul(scaled, multiplier),
                                     right);
}

/* MultiplyByQuantizedMultiplier in fewer steps (the optimised kernels'), equal to the form above
 * for every int32 x, multiplier in {0} u [2^30, 2^31) and shift in [-31, 30] (the verifier's
 * ranges; runtime/tests/fixed_point_test.c checks it on the boundaries and a random sweep):
 *   - SaturatingRoundingDoublingHighMul(x, m) = (x * m + 2^30) >> 31. For x * m >= 0 that is
 *     TFLite's floor((x * m + 2^30) / 2^31); for y = x * m < 0 TFLite truncates
 *     (y + 1 - 2^30) / 2^31 toward zero, i.e. takes the ceiling, and ceil((y + 1 - 2^30) / 2^31)
 *     = floor((y + 2^30) / 2^31). Its saturating case needs m = INT32_MIN, outside the range.
 *   - RoundingDivideByPOT(h, r) = (h + 2^(r-1) - (h < 0)) >> r for r >= 1: ties go up for
 *     h >= 0 and down for h < 0, away from zero as TFLite's remainder test does. */
static inline int32_t plrt_multiply_by_quantized_multiplier_fast(int32_t x, int32_t multiplier,
                                                                 int32_t shift) {
  const int64_t scaled = shift > 0 ? plrt_saturate_i32((int64_t)x * (INT64_C(1) << shift)) : x;
  const int64_t high = (scaled * multiplier + (INT64_C(1) << 30)) >> 31;
  const int32_t right = shift > 0 ? 0 : -shift;
  return right == 0 ? (int32_t)high
                    : (int32_t)((high + (INT64_C(1) << (right - 1)) - (high < 0)) >> right);
}

/* MAX78000 output scaling: floor(acc * 2^-r + 0.5), in int64; r in [-8, 22]. */
static inline int64_t plrt_pow2_round(int32_t acc, int32_t r) {
  return r > 0 ? ((int64_t)acc + (INT64_C(1) << (r - 1))) >> r : (int64_t)acc * (INT64_C(1) << -r);
}

/* One requantised conv output, per scheme: POW2 (multiplier unused) or TFLITE. */
static inline int8_t plrt_requantize_pow2(int32_t acc, int32_t shift, int32_t output_zero_point,
                                          int32_t act_min, int32_t act_max) {
  return plrt_clamp_i8(plrt_pow2_round(acc, shift) + output_zero_point, act_min, act_max);
}

static inline int8_t plrt_requantize_tflite(int32_t acc, int32_t multiplier, int32_t shift,
                                            int32_t output_zero_point, int32_t act_min,
                                            int32_t act_max) {
  return plrt_clamp_i8(
      (int64_t)plrt_multiply_by_quantized_multiplier(acc, multiplier, shift) + output_zero_point,
      act_min, act_max);
}

/* Mean of n >= 1 raw int8 values summing to s, with AVGPOOL1D's four roundings. */
typedef enum plrt_pool_rounding {
  PLRT_POOL_ROUNDING_FLOOR = 0,     /* POW2, no flag (format version 1's default): toward -inf */
  PLRT_POOL_ROUNDING_HALF_UP = 1,   /* POW2, flags bit 0: floor((2s + n) / 2n) */
  PLRT_POOL_ROUNDING_HALF_AWAY = 2, /* TFLITE: ties away from zero, as TFLite's kernel */
  PLRT_POOL_ROUNDING_TRUNCATE = 3   /* POW2, flags bit 1: s / n toward zero, the MAX78000's
                                       1-D average (izer's bit-accurate model of the chip) */
} plrt_pool_rounding;

static inline int32_t plrt_floor_div(int32_t a, int32_t b) { /* b > 0 */
  return a / b - (a % b != 0 && a < 0 ? 1 : 0);
}

static inline int32_t plrt_pool_mean(int32_t s, int32_t n, plrt_pool_rounding rounding) {
  switch (rounding) {
    case PLRT_POOL_ROUNDING_HALF_UP:
      return plrt_floor_div(2 * s + n, 2 * n);
    case PLRT_POOL_ROUNDING_HALF_AWAY:
      return s > 0 ? (s + n / 2) / n : (s - n / 2) / n;
    case PLRT_POOL_ROUNDING_TRUNCATE:
      return s / n;
    default:
      return plrt_floor_div(s, n);
  }
}

#ifdef __cplusplus
}
#endif

#endif /* PLRT_FIXED_POINT_H */
