/* Internal: AVX2 helpers of the optimised kernels (conv_avx2.c, eltwise_avx2.c). Every function
 * carries the target attribute, so that a baseline x86-64 build compiles them and runs them only
 * where plrt_cpu_has_avx2() says so. Each computes, on eight int32 lanes, exactly what the
 * scalar helper of plrt_fixed_point.h named beside it computes. */
#ifndef PLRT_SIMD_AVX2_H
#define PLRT_SIMD_AVX2_H

#include <immintrin.h>
#include <stdint.h>

#define PLRT_AVX2 __attribute__((target("avx2")))
#define PLRT_AVX2_INLINE static inline __attribute__((always_inline, target("avx2")))

/* SaturatingRoundingDoublingHighMul(v, m) in the short form of
 * plrt_multiply_by_quantized_multiplier_fast, (v * m + 2^30) >> 31, for m in {0} u [2^30, 2^31):
 * two 32 x 32 -> 64-bit products per 64-bit lane pair; the result's bits 31..62 are the int32
 * value (it fits: |v * m| < 2^62), so logical shifts can pick them. */
PLRT_AVX2_INLINE __m256i plrt_avx2_high_mul(__m256i v, __m256i m) {
  const __m256i round = _mm256_set1_epi64x(INT64_C(1) << 30);
  const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(v, m), round);
  const __m256i odd =
      _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(v, 32), _mm256_srli_epi64(m, 32)), round);
  return _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);
}

/* floor(h * 2^-r + 0.5) per lane (plrt_pow2_round's right shift), r = right in [0, 31],
 * rm1 = max(r - 1, 0), rbit = (r > 0): (h >> r) + bit r - 1 of h, which cannot overflow. */
PLRT_AVX2_INLINE __m256i plrt_avx2_round_shift(__m256i h, __m256i right, __m256i rm1,
                                               __m256i rbit) {
  return _mm256_add_epi32(_mm256_srav_epi32(h, right),
                          _mm256_and_si256(_mm256_srav_epi32(h, rm1), rbit));
}

/* TFLite's RoundingDivideByPOT(h, r) = (h + 2^(r-1) - (h < 0)) >> r for r >= 1 (ties away from
 * zero), h for r = 0: plrt_avx2_round_shift of h - 1 for negative h where negadj = -1 (lanes
 * with r >= 1; 0 elsewhere). h - 1 cannot overflow: SaturatingRoundingDoublingHighMul of a
 * multiplier below 2^31 is above INT32_MIN. */
PLRT_AVX2_INLINE __m256i plrt_avx2_rounding_divide_by_pot(__m256i h, __m256i right, __m256i rm1,
                                                          __m256i rbit, __m256i negadj) {
  h = _mm256_add_epi32(h, _mm256_and_si256(_mm256_srai_epi32(h, 31), negadj));
  return plrt_avx2_round_shift(h, right, rm1, rbit);
}

/* v * 2^left saturated to int32 exactly (lo = INT32_MIN >> left, hi = INT32_MAX >> left). */
PLRT_AVX2_INLINE __m256i plrt_avx2_saturating_shift(__m256i v, __m256i left, __m256i lo,
                                                    __m256i hi) {
  const __m256i shifted = _mm256_sllv_epi32(v, left);
  const __m256i high =
      _mm256_blendv_epi8(shifted, _mm256_set1_epi32(INT32_MAX), _mm256_cmpgt_epi32(v, hi));
  return _mm256_blendv_epi8(high, _mm256_set1_epi32(INT32_MIN), _mm256_cmpgt_epi32(lo, v));
}

/* clamp(v, lo - zy, hi - zy) + zy with lo_zy = lo - zy, hi_zy = hi - zy: the output clamp,
 * without int32 overflow for any v. */
PLRT_AVX2_INLINE __m256i plrt_avx2_clamp_offset(__m256i v, __m256i zy, __m256i lo_zy,
                                                __m256i hi_zy) {
  return _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(v, lo_zy), hi_zy), zy);
}

/* Eight int32 lanes already in [-128, 127] to eight bytes (the low 8 of the result). */
PLRT_AVX2_INLINE __m128i plrt_avx2_narrow8(__m256i v) {
  const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  return _mm_packs_epi16(w, w);
}

#endif /* PLRT_SIMD_AVX2_H */
