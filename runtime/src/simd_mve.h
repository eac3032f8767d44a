/* Internal: Helium (MVE) helpers of the optimised kernels (conv_mve.c, eltwise_mve.c). Each
 * computes, on four int32 lanes, exactly what the scalar helper of plrt_fixed_point.h named
 * beside it computes. */
#ifndef PLRT_SIMD_MVE_H
#define PLRT_SIMD_MVE_H

#include <arm_mve.h>
#include <stdint.h>

/* plrt_multiply_by_quantized_multiplier_fast(v, m, shift) per lane, for m in {0} u [2^30, 2^31)
 * and shift in [-31, 30]: VQSHL by max(shift, 0) (the saturating left shift), VQRDMULH ((v m +
 * 2^30) >> 31; it saturates only for v = m = INT32_MIN, outside m's range), then VRSHL by
 * min(shift, 0), a rounding right shift with ties up, made ties-away-from-zero by taking 1 off
 * negative values first where the right shift is > 0 (the result of VQRDMULH is > INT32_MIN, so
 * that cannot wrap). */
static inline int32x4_t plrt_mve_mbqm(int32x4_t v, int32x4_t m, int32x4_t shift) {
  const int32x4_t zero = vdupq_n_s32(0);
  const int32x4_t right = vminq_s32(shift, zero); /* -(right shift) */
  v = vqrdmulhq_s32(vqshlq_s32(v, vmaxq_s32(shift, zero)), m);
  v = vaddq_s32(v, vshrq_n_s32(vandq_s32(v, right), 31));
  return vrshlq_s32(v, right);
}

/* plrt_mve_mbqm for shifts in [-31, -1] only (right shifts, as in most TFLite layers): no left
 * shift, and every lane takes the 1 off negative values. */
static inline int32x4_t plrt_mve_mbqm_right(int32x4_t v, int32x4_t m, int32x4_t shift) {
  v = vqrdmulhq_s32(v, m);
  v = vaddq_s32(v, vshrq_n_s32(v, 31));
  return vrshlq_s32(v, shift);
}

/* The same with one multiplier and shift for every lane, as scalars (VQSHL, VQRDMULH and VRSHL
 * by a register), so that no vector register holds them: Helium has eight. */
static inline int32x4_t plrt_mve_mbqm_n(int32x4_t v, int32_t m, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : shift;
  v = vqrdmulhq_n_s32(vqshlq_r_s32(v, left), m);
  v = vaddq_s32(v, vmulq_n_s32(vshrq_n_s32(v, 31), right < 0)); /* ties away from zero */
  return vrshlq_n_s32(v, right);
}

/* plrt_clamp_i8(v + zero_point, lo, hi) per lane (the saturating add clamps the same). */
static inline int32x4_t plrt_mve_add_clamp(int32x4_t v, int32_t zero_point, int32x4_t lo,
                                           int32x4_t hi) {
  return vminq_s32(vmaxq_s32(vqaddq_n_s32(v, zero_point), lo), hi);
}

#endif /* PLRT_SIMD_MVE_H */
