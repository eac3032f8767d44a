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

/* SMMULR: floor((a b + 2^31) / 2^32), the rounded high word of the 64-bit product, in one
 * instruction (GCC 12 makes SMULL and three more of the C form). */
static inline int32_t plrt_dsp_smmulr(int32_t a, int32_t b) {
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}

/* SMMLAR: a + floor((b c + 2^31) / 2^32), in one instruction. */
static inline int32_t plrt_dsp_smmlar(int32_t b, int32_t c, int32_t a) {
  int32_t r;
  __asm__("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(b), "r"(c), "r"(a));
  return r;
}

#endif /* PLRT_SIMD_DSP_H */
