/* ADD on the Arm DSP extension (Cortex-M4, M7, M33; compiled where the compiler defines
 * __ARM_FEATURE_DSP), bit-identical to ops_ref.c (runtime/tests/ops_opt_test.c checks it on the
 * emulated cores).
 *   POW2: the reference saturates in0 + in1 to int8 then clamps to [act_min, act_max] (within
 *     int8): four elements per word with QADD8 (four saturating int8 adds), then the clamp as
 *     SSUB8 + SEL twice (SSUB8 sets each byte's GE flag where the exact difference is >= 0, SEL
 *     picks per byte by it): 10 instructions per 4 elements with the loads and the loop, where
 *     the portable loop takes about 13 per element.
 *   TFLITE: the portable kernel (a 256-entry table per input and one rescale per element). */
#include "opt_kernels.h"

#if PLRT_ARM_DSP

#include "simd_dsp.h"

/* Per byte max(a, b) and min(a, b), signed: one SSUB8 and one SEL each (the GE flags pass
 * between them inside the statement; the compiler does not track them across statements). */
static inline uint32_t max_s8x4(uint32_t a, uint32_t b) {
  uint32_t d, r;
  __asm__("ssub8 %0, %2, %3\n\tsel %1, %2, %3" : "=&r"(d), "=r"(r) : "r"(a), "r"(b) : "cc");
  (void)d;
  return r;
}

static inline uint32_t min_s8x4(uint32_t a, uint32_t b) {
  uint32_t d, r;
  __asm__("ssub8 %0, %2, %3\n\tsel %1, %3, %2" : "=&r"(d), "=r"(r) : "r"(a), "r"(b) : "cc");
  (void)d;
  return r;
}

static inline uint32_t qadd_s8x4(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm__("qadd8 %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}

void plrt_add_s8_dsp(const plrt_add_params* params, size_t count, const int8_t* in0,
                     const int8_t* in1, int8_t* out) {
  const uint32_t lo = (uint8_t)params->act_min * 0x01010101u;
  const uint32_t hi = (uint8_t)params->act_max * 0x01010101u;
  size_t i;
  if (params->mode != PLRT_REQUANT_POW2) {
    plrt_add_s8_portable(params, count, in0, in1, out);
    return;
  }
  for (i = 0; i + 4 <= count; i += 4) {
    const uint32_t s = qadd_s8x4(plrt_dsp_load_word(in0 + i), plrt_dsp_load_word(in1 + i));
    const uint32_t y = min_s8x4(max_s8x4(s, lo), hi);
    memcpy(out + i, &y, sizeof y);
  }
  for (; i < count; ++i) {
    const int32_t s = in0[i] + in1[i];
    out[i] = (int8_t)(s < params->act_min ? params->act_min
                                          : (s > params->act_max ? params->act_max : s));
  }
}

#else
typedef int plrt_eltwise_dsp_is_empty_here; /* ISO C: a translation unit needs a declaration */
#endif
