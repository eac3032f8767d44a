/* AVGPOOL1D on Arm Helium (MVE with its floating-point part, as on the Cortex-M55; compiled
 * where the compiler defines __ARM_FEATURE_MVE with float), bit-identical to ops_ref.c
 * (runtime/tests/ops_opt_test.c checks it on the emulated Cortex-M55): four channels per vector
 * of int32 sums over the kernel rows (VLDRB.S32 widens four bytes), then the division of
 * opt_kernels.h's plrt_pool_mean_reciprocal (or _shift for a power of two) per lane, the same
 * float estimate and integer correction in the same order, so the same result. */
#include "opt_kernels.h"

#if PLRT_ARM_MVE_FLOAT

#include <arm_mve.h>

/* plrt_pool_mean_reciprocal / plrt_pool_mean_shift per lane. flip is -1 where s <= 0 and the
 * rounding is mirrored (|s| <= 128 n, so s - 1 cannot wrap). */
static inline int32x4_t pool_mean(int32x4_t s, const plrt_pool_divisor* d) {
  const int32x4_t flip =
      vandq_s32(vshrq_n_s32(vsubq_s32(s, vdupq_n_s32(1)), 31), vdupq_n_s32(d->away));
  const int32x4_t u = vaddq_s32(vsubq_s32(veorq_s32(s, flip), flip), vdupq_n_s32(d->add));
  int32x4_t q;
  if (d->log2_n >= 0) {
    q = vshlq_s32(u, vdupq_n_s32(-d->log2_n));
  } else {
    const int32x4_t q0 = vcvtq_s32_f32(vmulq_n_f32(vcvtq_f32_s32(u), d->inverse));
    const int32x4_t r = vsubq_s32(u, vmulq_n_s32(q0, d->n));
    /* q0 + (r >= n) - (r < 0) */
    q = vaddq_s32(vsubq_s32(q0, vshrq_n_s32(vsubq_s32(vdupq_n_s32(d->n - 1), r), 31)),
                  vshrq_n_s32(r, 31));
  }
  return vsubq_s32(vsubq_s32(veorq_s32(q, flip), flip), vdupq_n_s32(d->offset));
}

void plrt_avgpool1d_s8_mve(const plrt_pool_params* params, const plrt_dims* in_dims,
                           const int8_t* in, const plrt_dims* out_dims, int8_t* out) {
  const uint32_t channels = in_dims->channels;
  const plrt_pool_divisor d = plrt_pool_divisor_make((int32_t)params->kernel, params->rounding);
  const int32x4_t lo = vdupq_n_s32(params->act_min), hi = vdupq_n_s32(params->act_max);
  uint32_t t, c, k;
  for (t = 0; t < out_dims->length; ++t) {
    const int8_t* window = in + (size_t)t * params->stride * channels;
    int8_t* y = out + (size_t)t * channels;
    for (c = 0; c < channels; c += 4) {
      const mve_pred16_t p = vctp32q(channels - c);
      const int8_t* row = window + c;
      int32x4_t s = vldrbq_z_s32(row, p);
      for (k = 1; k < params->kernel; ++k) {
        row += channels;
        s = vaddq_s32(s, vldrbq_z_s32(row, p));
      }
      vstrbq_p_s32(y + c, vminq_s32(vmaxq_s32(pool_mean(s, &d), lo), hi), p);
    }
  }
}

#else
typedef int plrt_pool_mve_is_empty_here; /* ISO C: a translation unit needs a declaration */
#endif
