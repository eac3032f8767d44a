/* Internal: Arm DSP-extension helpers of the optimised kernels (conv_dsp.c, eltwise_dsp.c,
 * pool_dsp.c). */
#ifndef PLRT_SIMD_DSP_H
#define PLRT_SIMD_DSP_H

#include <arm_acle.h>
#include <stdint.h>
#include <string.h>

/* Four bytes at p in one LDR: v7E-M and v8-M load unaligned words. */
static inline uint32_t plrt_dsp_load_word(const void* p) {
  uint32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* SXTB16 of v rotated by 8 in one instruction: GCC 12 neither has ACLE's __ror nor folds a
 * rotate into SXTB16's operand. With __sxtb16(v) it widens v = [b0 b1 b2 b3] to the int16 pairs
 * [b0 b2] and [b1 b3]. */
static inline int16x2_t plrt_dsp_sxtb16_ror8(uint32_t v) {
  int16x2_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
}

#endif /* PLRT_SIMD_DSP_H */
