/* ADD on Arm Helium (MVE; compiled where the compiler defines __ARM_FEATURE_MVE), bit-identical
 * to ops_ref.c (runtime/tests/ops_opt_test.c checks it on the emulated Cortex-M55).
 *   POW2: a saturating int8 add (VQADD.S8, 16 elements per instruction), then the clamp.
 *   TFLITE: four elements per vector of int32 lanes, each input rescaled as the reference's
 *     table does, MBQM((x - zp) 2^left_shift) (|x - zp| 2^23 < 2^31: no overflow before it),
 *     computed instead of looked up (the table costs 512 scalar MBQMs per call); the sum
 *     saturates to int32 as the reference's does (VQADD), then the output MBQM, zero point and
 *     clamp. plrt_multiply_by_quantized_multiplier_fast equals the reference's form for every
 *     int32 input in the verifier's multiplier and shift ranges (fixed_point_test.c). */
#include "opt_kernels.h"

#if PLRT_ARM_MVE

#include "simd_mve.h"

static void add_pow2(const plrt_add_params* params, size_t count, const int8_t* in0,
                     const int8_t* in1, int8_t* out) {
  const int8x16_t lo = vdupq_n_s8((int8_t)params->act_min);
  const int8x16_t hi = vdupq_n_s8((int8_t)params->act_max);
  int32_t left = (int32_t)count;
  for (; left > 0; left -= 16, in0 += 16, in1 += 16, out += 16) {
    const mve_pred16_t p = vctp8q((uint32_t)left);
    const int8x16_t s = vqaddq_s8(vldrbq_z_s8(in0, p), vldrbq_z_s8(in1, p));
    vstrbq_p_s8(out, vminq_s8(vmaxq_s8(s, lo), hi), p);
  }
}

static void add_tflite(const plrt_add_params* params, size_t count, const int8_t* in0,
                       const int8_t* in1, int8_t* out) {
  const int32_t zp0 = params->input_zero_point[0], zp1 = params->input_zero_point[1];
  const int32_t left_shift = params->left_shift;
  const int32_t m0 = params->multiplier[0], s0 = params->shift[0];
  const int32_t m1 = params->multiplier[1], s1 = params->shift[1];
  const int32_t m2 = params->multiplier[2], s2 = params->shift[2];
  const int32_t zy = params->output_zero_point;
  const int32x4_t lo = vdupq_n_s32(params->act_min), hi = vdupq_n_s32(params->act_max);
  int32_t left = (int32_t)count;
  for (; left > 0; left -= 4, in0 += 4, in1 += 4, out += 4) {
    const mve_pred16_t p = vctp32q((uint32_t)left);
    const int32x4_t a = vshlq_r_s32(vsubq_n_s32(vldrbq_z_s32(in0, p), zp0), left_shift);
    const int32x4_t b = vshlq_r_s32(vsubq_n_s32(vldrbq_z_s32(in1, p), zp1), left_shift);
    const int32x4_t sum = vqaddq_s32(plrt_mve_mbqm_n(a, m0, s0), plrt_mve_mbqm_n(b, m1, s1));
    vstrbq_p_s32(out, plrt_mve_add_clamp(plrt_mve_mbqm_n(sum, m2, s2), zy, lo, hi), p);
  }
}

void plrt_add_s8_mve(const plrt_add_params* params, size_t count, const int8_t* in0,
                     const int8_t* in1, int8_t* out) {
  (params->mode == PLRT_REQUANT_POW2 ? add_pow2 : add_tflite)(params, count, in0, in1, out);
}

#else
typedef int plrt_eltwise_mve_is_empty_here; /* ISO C: a translation unit needs a declaration */
#endif
