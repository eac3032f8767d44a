/* ADD on the Arm DSP extension (Cortex-M4, M7, M33; compiled where the compiler defines
 * __ARM_FEATURE_DSP), bit-identical to ops_ref.c (runtime/tests/ops_opt_test.c checks it on the
 * emulated cores).
 *   POW2: the reference saturates in0 + in1 to int8 then clamps to [act_min, act_max] (within
 *     int8): four elements per word with QADD8 (four saturating int8 adds), then the clamp as
 *     SSUB8 + SEL twice (SSUB8 sets each byte's GE flag where the exact difference is >= 0, SEL
 *     picks per byte by it): 10 instructions per 4 elements with the loads and the loop, where
 *     the portable loop takes about 13 per element.
 *   TFLITE: each input's rescale t = MBQM((x - zp) 2^left_shift, m, shift) depends on the int8
 *     value alone, so it comes from a 256-entry table per input (as in the portable kernel),
 *     here holding 2 t. Where |t0| + |t1| < 2^30 for every pair (a left shift of 20, TFLite's,
 *     keeps |t| below 2^28), s = t0 + t1 needs no saturation and 2 s fits int32, so
 *     SaturatingRoundingDoublingHighMul(s, m) = floor((s m + 2^30) / 2^31) = floor((2 s m +
 *     2^31) / 2^32) is one SMMULR(2 t0 + 2 t1, m); then RoundingDivideByPOT by r = -shift
 *     (h + 2^(r-1) - [h < 0]) >> r, h + 2^(r-1) in the same instruction (SMMLAR), + zero point and,
 * where [act_min, act_max] is all of int8, SSAT: about 14 instructions per element against 23.
 * Other parameters take the portable kernel */
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

/* Input `side`'s rescale of the int8 value q (the reference's MBQM). */
static inline int32_t rescale(const plrt_add_params* params, int32_t side, int32_t q,
                              const plrt_opt_right_shift* rs) {
  const int32_t x = (q - params->input_zero_point[side]) * (1 << params->left_shift);
  return params->shift[side] <= 0 ? plrt_opt_mbqm_right(x, params->multiplier[side], rs)
                                  : plrt_multiply_by_quantized_multiplier_fast(
                                        x, params->multiplier[side], params->shift[side]);
}

/* The TFLITE form above; 0 (nothing written) where its conditions do not hold. */
static int add_tflite_doubled(const plrt_add_params* params, size_t count, const int8_t* in0,
                              const int8_t* in1, int8_t* out) {
  int32_t table[2][256], largest[2];
  const int32_t *t0 = table[0] + 128, *t1 = table[1] + 128; /* indexed by the int8 value */
  const int32_t m = params->multiplier[2], zy = params->output_zero_point;
  const int32_t right = -params->shift[2], half = right > 0 ? INT32_C(1) << (right - 1) : 0;
  plrt_opt_right_shift rs[2];
  int32_t side, q;
  size_t i;
  if (right < 0 || params->act_min != -128 || params->act_max != 127) return 0;
  for (side = 0; side < 2; ++side) {
    /* the rescale is non-decreasing in q (multiplier >= 0), so |t| is largest at an end */
    const int32_t shift = params->shift[side];
    int32_t lo, hi;
    rs[side] = plrt_opt_right_shift_make(shift <= 0 ? shift : 0);
    lo = rescale(params, side, -128, &rs[side]), hi = rescale(params, side, 127, &rs[side]);
    if (lo <= -(INT32_C(1) << 30) || hi >= INT32_C(1) << 30) return 0; /* |t| <= |x| < 2^31 */
    largest[side] = -lo > hi ? -lo : hi;
  }
  if (largest[1] >= (INT32_C(1) << 30) - largest[0]) return 0;
  for (side = 0; side < 2; ++side) {
    for (q = -128; q < 128; ++q) table[side][q + 128] = 2 * rescale(params, side, q, &rs[side]);
  }
  if (right == 0) {
    for (i = 0; i < count; ++i) {
      out[i] = (int8_t)__ssat(plrt_dsp_smmulr(t0[in0[i]] + t1[in1[i]], m) + zy, 8);
    }
    return 1;
  }
  /* h + 2^(r-1) in one SMMLAR; h < 0 exactly where 2 s < 0 but for h = 0 (2 s = -2 with
   * m = 2^30, or m = 0), where (2^(r-1) - 1) >> r = 2^(r-1) >> r = 0 anyway */
#define PLRT_ADD_ONE(j)                                                                   \
  do {                                                                                    \
    const int32_t doubled = t0[in0[i + (j)]] + t1[in1[i + (j)]];                          \
    const int32_t h_half = plrt_dsp_smmlar(doubled, m, half);                             \
    out[i + (j)] =                                                                        \
        (int8_t)__ssat(((h_half - (int32_t)((uint32_t)doubled >> 31)) >> right) + zy, 8); \
  } while (0)
  for (i = 0; i + 4 <= count; i += 4) { /* four per loop: the loop's compare and branch */
    PLRT_ADD_ONE(0);
    PLRT_ADD_ONE(1);
    PLRT_ADD_ONE(2);
    PLRT_ADD_ONE(3);
  }
  for (; i < count; ++i) PLRT_ADD_ONE(0);
#undef PLRT_ADD_ONE
  return 1;
}

void plrt_add_s8_dsp(const plrt_add_params* params, size_t count, const int8_t* in0,
                     const int8_t* in1, int8_t* out) {
  const uint32_t lo = (uint8_t)params->act_min * 0x01010101u;
  const uint32_t hi = (uint8_t)params->act_max * 0x01010101u;
  size_t i;
  if (params->mode != PLRT_REQUANT_POW2) {
    if (!add_tflite_doubled(params, count, in0, in1, out)) {
      plrt_add_s8_portable(params, count, in0, in1, out);
    }
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
