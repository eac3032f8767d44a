/* AVGPOOL1D on the Arm DSP extension (Cortex-M4, M7, M33; compiled where the compiler defines
 * __ARM_FEATURE_DSP), bit-identical to ops_ref.c (runtime/tests/ops_opt_test.c checks it on the
 * emulated cores). Four channels at a time, their sums over the kernel rows held in two
 * registers as int16 pairs: per row one LDR, SXTB16 and SXTB16 rotated by 8 (channels [0 2] and
 * [1 3]) and two SADD16, where the portable kernel loads, adds and stores an int32 sum per
 * channel and row. |sum| <= 128 kernel fits int16 for a kernel <= 256; longer kernels run the
 * portable kernel. Then opt_kernels.h's division without a division per channel, as the
 * portable kernel does. */
#include "opt_kernels.h"

#if PLRT_ARM_DSP

#include "simd_dsp.h"

static inline int8_t pool_mean_clamped(int32_t s, const plrt_pool_divisor* d, int32_t lo,
                                       int32_t hi) {
  const int32_t v = d->log2_n >= 0 ? plrt_pool_mean_shift(s, d) : plrt_pool_mean_reciprocal(s, d);
  return (int8_t)(v < lo ? lo : (v > hi ? hi : v));
}

void plrt_avgpool1d_s8_dsp(const plrt_pool_params* params, const plrt_dims* in_dims,
                           const int8_t* in, const plrt_dims* out_dims, int8_t* out) {
  const size_t channels = in_dims->channels, kernel = params->kernel;
  const plrt_pool_divisor d = plrt_pool_divisor_make((int32_t)kernel, params->rounding);
  const int32_t lo = params->act_min, hi = params->act_max;
  size_t t, c, k;
  if (kernel > 256) {
    plrt_avgpool1d_s8_portable(params, in_dims, in, out_dims, out);
    return;
  }
  for (t = 0; t < out_dims->length; ++t) {
    const int8_t* window = in + t * params->stride * channels;
    int8_t* y = out + t * channels;
    for (c = 0; c + 4 <= channels; c += 4) {
      const int8_t* x = window + c;
      int16x2_t even = 0, odd = 0; /* channels [c, c + 2] and [c + 1, c + 3] */
      for (k = 0; k < kernel; ++k, x += channels) {
        const uint32_t v = plrt_dsp_load_word(x);
        even = __sadd16(even, __sxtb16(v));
        odd = __sadd16(odd, plrt_dsp_sxtb16_ror8(v));
      }
      y[c] = pool_mean_clamped((int16_t)(uint16_t)even, &d, lo, hi);
      y[c + 1] = pool_mean_clamped((int16_t)(uint16_t)odd, &d, lo, hi);
      y[c + 2] = pool_mean_clamped((int16_t)((uint32_t)even >> 16), &d, lo, hi);
      y[c + 3] = pool_mean_clamped((int16_t)((uint32_t)odd >> 16), &d, lo, hi);
    }
    for (; c < channels; ++c) {
      int32_t s = 0;
      for (k = 0; k < kernel; ++k) s += window[k * channels + c];
      y[c] = pool_mean_clamped(s, &d, lo, hi);
    }
  }
}

#else
typedef int plrt_pool_dsp_is_empty_here; /* ISO C: a translation unit needs a declaration */
#endif
