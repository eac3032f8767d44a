/* Internal: AVX-512 helpers of the optimised kernels (conv_avx2.c's VNNI convolution,
 * eltwise_avx2.c's TFLITE add). Each computes on sixteen int32 lanes exactly what the AVX2
 * helper of simd_avx2.h of the same name computes on eight (and so what plrt_fixed_point.h's
 * scalar helper named there computes); the arguments and their bounds are the same. They run
 * only where plrt_cpu_has_avx512() says so. */
#ifndef PLRT_SIMD_AVX512_H
#define PLRT_SIMD_AVX512_H

#include "simd_avx2.h"

/* AVX-512 F, BW, VL and VNNI functions; they may inline simd_avx2.h's PLRT_AVX2_INLINE helpers
 * (a superset target), not the reverse. */
#define PLRT_AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512vnni")))
#define PLRT_AVX512_INLINE                                                             \
  static inline __attribute__((always_inline, target("avx2,avx512f,avx512bw,avx512vl," \
                                                     "avx512vnni")))

/* plrt_avx2_high_mul: (v * m + 2^30) >> 31 for m in {0} u [2^30, 2^31). */
PLRT_AVX512_INLINE __m512i plrt_avx512_high_mul(__m512i v, __m512i m) {
  const __m512i round = _mm512_set1_epi64(INT64_C(1) << 30);
  const __m512i even = _mm512_add_epi64(_mm512_mul_epi32(v, m), round);
  const __m512i odd =
      _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(v, 32), _mm512_srli_epi64(m, 32)), round);
  return _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 31), _mm512_slli_epi64(odd, 1));
}

/* plrt_avx2_round_shift: (h >> r) + bit r - 1 of h. */
PLRT_AVX512_INLINE __m512i plrt_avx512_round_shift(__m512i h, __m512i right, __m512i rm1,
                                                   __m512i rbit) {
  return _mm512_add_epi32(_mm512_srav_epi32(h, right),
                          _mm512_and_si512(_mm512_srav_epi32(h, rm1), rbit));
}

/* plrt_avx2_rounding_divide_by_pot: TFLite's RoundingDivideByPOT(h, r). */
PLRT_AVX512_INLINE __m512i plrt_avx512_rounding_divide_by_pot(__m512i h, __m512i right, __m512i rm1,
                                                              __m512i rbit, __m512i negadj) {
  h = _mm512_add_epi32(h, _mm512_and_si512(_mm512_srai_epi32(h, 31), negadj));
  return plrt_avx512_round_shift(h, right, rm1, rbit);
}

/* plrt_avx2_saturating_shift: v * 2^left saturated to int32 (lo = INT32_MIN >> left, hi =
 * INT32_MAX >> left). */
PLRT_AVX512_INLINE __m512i plrt_avx512_saturating_shift(__m512i v, __m512i left, __m512i lo,
                                                        __m512i hi) {
  const __m512i shifted = _mm512_sllv_epi32(v, left);
  const __m512i high =
      _mm512_mask_mov_epi32(shifted, _mm512_cmpgt_epi32_mask(v, hi), _mm512_set1_epi32(INT32_MAX));
  return _mm512_mask_mov_epi32(high, _mm512_cmpgt_epi32_mask(lo, v), _mm512_set1_epi32(INT32_MIN));
}

/* plrt_avx2_clamp_offset: clamp(v, lo - zy, hi - zy) + zy. */
PLRT_AVX512_INLINE __m512i plrt_avx512_clamp_offset(__m512i v, __m512i zy, __m512i lo_zy,
                                                    __m512i hi_zy) {
  return _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(v, lo_zy), hi_zy), zy);
}

/* Two AVX2 halves (lanes 0-7, 8-15) as one vector. */
PLRT_AVX512_INLINE __m512i plrt_avx512_join(__m256i lo, __m256i hi) {
  return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

#endif /* PLRT_SIMD_AVX512_H */
