/* AVX2 versions of ADD, RELU and AVGPOOL1D with a kernel of 2^L <= 128 (the optimised kernels
 * call them where plrt_cpu_has_avx2()), equal to the reference kernels element for element
 * (runtime/tests/ops_opt_test.c). Explicit, so that builds at -O2 or -Os, where GCC leaves the
 * portable loops scalar, are as fast as -O3 ones. */
#include <string.h>

#include "opt_kernels.h"

#if PLRT_X86_SIMD

#include "simd_avx512.h"

/* One MultiplyByQuantizedMultiplier(., multiplier, shift), every lane alike. */
typedef struct mbqm_vectors {
  __m256i multiplier, left, lo, hi, right, rm1, rbit, negadj;
  int shifts_left; /* shift > 0 (rare): the saturating left shift is needed */
} mbqm_vectors;

PLRT_AVX2_INLINE mbqm_vectors mbqm_setup(int32_t multiplier, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  mbqm_vectors v;
  v.multiplier = _mm256_set1_epi32(multiplier);
  v.left = _mm256_set1_epi32(left);
  v.lo = _mm256_set1_epi32(INT32_MIN >> left);
  v.hi = _mm256_set1_epi32(INT32_MAX >> left);
  v.right = _mm256_set1_epi32(right);
  v.rm1 = _mm256_set1_epi32(right > 0 ? right - 1 : 0);
  v.rbit = _mm256_set1_epi32(right > 0 ? 1 : 0);
  v.negadj = _mm256_set1_epi32(right > 0 ? -1 : 0);
  v.shifts_left = left > 0;
  return v;
}

PLRT_AVX2_INLINE __m256i mbqm(__m256i x, const mbqm_vectors* v) {
  const __m256i scaled = v->shifts_left ? plrt_avx2_saturating_shift(x, v->left, v->lo, v->hi) : x;
  return plrt_avx2_rounding_divide_by_pot(plrt_avx2_high_mul(scaled, v->multiplier), v->right,
                                          v->rm1, v->rbit, v->negadj);
}

/* a + b saturated to int32: on overflow (both operands' signs differ from the sum's) the sum
 * takes the bound on a's side. */
PLRT_AVX2_INLINE __m256i saturating_add(__m256i a, __m256i b) {
  const __m256i sum = _mm256_add_epi32(a, b);
  const __m256i overflow = _mm256_and_si256(_mm256_xor_si256(a, sum), _mm256_xor_si256(b, sum));
  const __m256i bound = _mm256_xor_si256(_mm256_srai_epi32(a, 31), _mm256_set1_epi32(INT32_MAX));
  return _mm256_blendv_epi8(sum, bound, _mm256_srai_epi32(overflow, 31));
}

/* One input's rescale a = MBQM((x - z) * 2^left_shift, m, shift) of the ADD. With d = x - z
 * (|d| <= 255) it fits int32 as it is ((x - z) * 2^left_shift for left_shift <= 23), and the
 * usual parameters (shift <= 0, left_shift >= 8, right = -shift <= 23) allow a shorter exact
 * form with k = 31 - left_shift <= 23 and m = mh * 2^k + ml:
 *   SaturatingRoundingDoublingHighMul(d * 2^left_shift, m) = floor((d m 2^left_shift + 2^30) /
 *   2^31) = floor((d m + 2^(k-1)) / 2^k) = d mh + ((d ml + 2^(k-1)) >> k)
 * where |d mh| < 255 * 2^23 and |d ml| < 255 * 2^23, and the result h has |h| < 2^31 - 2^23,
 * so RoundingDivideByPOT's (h + 2^(r-1) - (h < 0)) >> r cannot overflow for r <= 23. */
typedef struct input_vectors {
  __m256i zero_point, left_shift, high, low, half_k, nudge, negadj, right;
  __m128i k;
  int short_form;
  mbqm_vectors mbqm; /* the general form */
} input_vectors;

PLRT_AVX2_INLINE input_vectors input_setup(int32_t zero_point, int32_t left_shift,
                                           int32_t multiplier, int32_t shift) {
  const int32_t k = 31 - left_shift, right = shift < 0 ? -shift : 0;
  input_vectors v;
  v.zero_point = _mm256_set1_epi32(zero_point);
  v.left_shift = _mm256_set1_epi32(left_shift);
  v.short_form = shift <= 0 && left_shift >= 8 && right <= 23;
  v.high = _mm256_set1_epi32(multiplier >> (k & 31));
  v.low = _mm256_set1_epi32((int32_t)((uint32_t)multiplier & ((1u << (k & 31)) - 1u)));
  v.half_k = _mm256_set1_epi32((int32_t)(1u << ((k - 1) & 31)));
  v.k = _mm_cvtsi32_si128(k);
  v.nudge = _mm256_set1_epi32(right > 0 ? (int32_t)(1u << (right - 1)) : 0);
  v.negadj = _mm256_set1_epi32(right > 0 ? -1 : 0);
  v.right = _mm256_set1_epi32(right);
  v.mbqm = mbqm_setup(multiplier, shift);
  return v;
}

PLRT_AVX2_INLINE __m256i input_rescale(__m128i x8, const input_vectors* v) {
  const __m256i d = _mm256_sub_epi32(_mm256_cvtepi8_epi32(x8), v->zero_point);
  __m256i h;
  if (!v->short_form) return mbqm(_mm256_sllv_epi32(d, v->left_shift), &v->mbqm);
  h = _mm256_add_epi32(
      _mm256_mullo_epi32(d, v->high),
      _mm256_sra_epi32(_mm256_add_epi32(_mm256_mullo_epi32(d, v->low), v->half_k), v->k));
  h = _mm256_add_epi32(_mm256_add_epi32(h, v->nudge),
                       _mm256_and_si256(_mm256_srai_epi32(h, 31), v->negadj));
  return _mm256_srav_epi32(h, v->right);
}

PLRT_AVX2 void plrt_add_s8_tflite_avx2(const plrt_add_params* params, size_t count,
                                       const int8_t* in0, const int8_t* in1, int8_t* out) {
  const input_vectors side0 = input_setup(params->input_zero_point[0], params->left_shift,
                                          params->multiplier[0], params->shift[0]);
  const input_vectors side1 = input_setup(params->input_zero_point[1], params->left_shift,
                                          params->multiplier[1], params->shift[1]);
  const mbqm_vectors output = mbqm_setup(params->multiplier[2], params->shift[2]);
  const __m256i zy = _mm256_set1_epi32(params->output_zero_point);
  const __m256i lo_zy = _mm256_set1_epi32(params->act_min - params->output_zero_point);
  const __m256i hi_zy = _mm256_set1_epi32(params->act_max - params->output_zero_point);
  size_t i;
  for (i = 0; i < count; i += 8) {
    const size_t n = count - i < 8 ? count - i : 8;
    int8_t a[8] = {0}, b[8] = {0}, y[8];
    __m128i x0, x1, result;
    __m256i sum;
    if (n == 8) {
      x0 = _mm_loadl_epi64((const __m128i*)(in0 + i));
      x1 = _mm_loadl_epi64((const __m128i*)(in1 + i));
    } else { /* the tail through zero-padded copies, so that nothing is read past the end */
      memcpy(a, in0 + i, n);
      memcpy(b, in1 + i, n);
      x0 = _mm_loadl_epi64((const __m128i*)a);
      x1 = _mm_loadl_epi64((const __m128i*)b);
    }
    sum = saturating_add(input_rescale(x0, &side0), input_rescale(x1, &side1));
    result = plrt_avx2_narrow8(plrt_avx2_clamp_offset(mbqm(sum, &output), zy, lo_zy, hi_zy));
    if (n == 8) {
      _mm_storel_epi64((__m128i*)(out + i), result);
    } else {
      _mm_storel_epi64((__m128i*)y, result);
      memcpy(out + i, y, n);
    }
  }
}

/* The same TFLITE ADD on 16 lanes (AVX-512; only where plrt_cpu_has_avx512()): each vector
 * below is the 16-lane form of the one of the same name above, from the same setup, and the
 * tail is read and written with byte masks (masked-off bytes are not accessed). */
typedef struct mbqm_vectors16 {
  __m512i multiplier, left, lo, hi, right, rm1, rbit, negadj;
  int shifts_left;
} mbqm_vectors16;

typedef struct input_vectors16 {
  __m512i zero_point, left_shift, high, low, half_k, nudge, negadj, right;
  __m128i k;
  int short_form;
  mbqm_vectors16 mbqm;
} input_vectors16;

PLRT_AVX512_INLINE mbqm_vectors16 mbqm_widen(const mbqm_vectors* v) {
  mbqm_vectors16 w;
  w.multiplier = plrt_avx512_join(v->multiplier, v->multiplier);
  w.left = plrt_avx512_join(v->left, v->left);
  w.lo = plrt_avx512_join(v->lo, v->lo);
  w.hi = plrt_avx512_join(v->hi, v->hi);
  w.right = plrt_avx512_join(v->right, v->right);
  w.rm1 = plrt_avx512_join(v->rm1, v->rm1);
  w.rbit = plrt_avx512_join(v->rbit, v->rbit);
  w.negadj = plrt_avx512_join(v->negadj, v->negadj);
  w.shifts_left = v->shifts_left;
  return w;
}

PLRT_AVX512_INLINE input_vectors16 input_widen(const input_vectors* v) {
  input_vectors16 w;
  w.zero_point = plrt_avx512_join(v->zero_point, v->zero_point);
  w.left_shift = plrt_avx512_join(v->left_shift, v->left_shift);
  w.high = plrt_avx512_join(v->high, v->high);
  w.low = plrt_avx512_join(v->low, v->low);
  w.half_k = plrt_avx512_join(v->half_k, v->half_k);
  w.nudge = plrt_avx512_join(v->nudge, v->nudge);
  w.negadj = plrt_avx512_join(v->negadj, v->negadj);
  w.right = plrt_avx512_join(v->right, v->right);
  w.k = v->k;
  w.short_form = v->short_form;
  w.mbqm = mbqm_widen(&v->mbqm);
  return w;
}

PLRT_AVX512_INLINE __m512i mbqm16(__m512i x, const mbqm_vectors16* v) {
  const __m512i scaled =
      v->shifts_left ? plrt_avx512_saturating_shift(x, v->left, v->lo, v->hi) : x;
  return plrt_avx512_rounding_divide_by_pot(plrt_avx512_high_mul(scaled, v->multiplier), v->right,
                                            v->rm1, v->rbit, v->negadj);
}

/* saturating_add: the overflow lanes, (a ^ sum) & (b ^ sum) < 0, by one ternary logic op. */
PLRT_AVX512_INLINE __m512i saturating_add16(__m512i a, __m512i b) {
  const __m512i sum = _mm512_add_epi32(a, b);
  const __m512i overflow = _mm512_ternarylogic_epi32(a, b, sum, 0x42);
  const __m512i bound = _mm512_xor_si512(_mm512_srai_epi32(a, 31), _mm512_set1_epi32(INT32_MAX));
  return _mm512_mask_mov_epi32(sum, _mm512_cmplt_epi32_mask(overflow, _mm512_setzero_si512()),
                               bound);
}

PLRT_AVX512_INLINE __m512i input_rescale16(__m128i x16, const input_vectors16* v) {
  const __m512i d = _mm512_sub_epi32(_mm512_cvtepi8_epi32(x16), v->zero_point);
  __m512i h;
  if (!v->short_form) return mbqm16(_mm512_sllv_epi32(d, v->left_shift), &v->mbqm);
  h = _mm512_add_epi32(
      _mm512_mullo_epi32(d, v->high),
      _mm512_sra_epi32(_mm512_add_epi32(_mm512_mullo_epi32(d, v->low), v->half_k), v->k));
  h = _mm512_add_epi32(_mm512_add_epi32(h, v->nudge),
                       _mm512_and_si512(_mm512_srai_epi32(h, 31), v->negadj));
  return _mm512_srav_epi32(h, v->right);
}

PLRT_AVX512 void plrt_add_s8_tflite_avx512(const plrt_add_params* params, size_t count,
                                           const int8_t* in0, const int8_t* in1, int8_t* out) {
  const input_vectors narrow0 = input_setup(params->input_zero_point[0], params->left_shift,
                                            params->multiplier[0], params->shift[0]);
  const input_vectors narrow1 = input_setup(params->input_zero_point[1], params->left_shift,
                                            params->multiplier[1], params->shift[1]);
  const mbqm_vectors narrow_out = mbqm_setup(params->multiplier[2], params->shift[2]);
  const input_vectors16 side0 = input_widen(&narrow0), side1 = input_widen(&narrow1);
  const mbqm_vectors16 output = mbqm_widen(&narrow_out);
  const __m512i zy = _mm512_set1_epi32(params->output_zero_point);
  const __m512i lo_zy = _mm512_set1_epi32(params->act_min - params->output_zero_point);
  const __m512i hi_zy = _mm512_set1_epi32(params->act_max - params->output_zero_point);
  size_t i;
  for (i = 0; i < count; i += 16) {
    const size_t n = count - i < 16 ? count - i : 16;
    const __mmask16 keep = (__mmask16)((1u << n) - 1u);
    const __m128i x0 = _mm_maskz_loadu_epi8(keep, in0 + i),
                  x1 = _mm_maskz_loadu_epi8(keep, in1 + i);
    const __m512i sum = saturating_add16(input_rescale16(x0, &side0), input_rescale16(x1, &side1));
    _mm_mask_storeu_epi8(
        out + i, keep,
        _mm512_cvtsepi32_epi8(plrt_avx512_clamp_offset(mbqm16(sum, &output), zy, lo_zy, hi_zy)));
  }
}

/* clamp(x) of 32 bytes at a time into [lo, hi]; the last 32 overlap the ones before (the
 * output never overlaps the inputs, so recomputing is harmless); fewer than 32 one by one. */
#define BYTES_CLAMPED(count, expr, scalar)                                                       \
  do {                                                                                           \
    size_t i_;                                                                                   \
    if ((count) < 32) {                                                                          \
      for (i_ = 0; i_ < (count); ++i_) out[i_] = (scalar);                                       \
      break;                                                                                     \
    }                                                                                            \
    for (i_ = 0;; i_ += 32) {                                                                    \
      if (i_ + 32 > (count)) i_ = (count)-32;                                                    \
      _mm256_storeu_si256((__m256i*)(out + i_), _mm256_min_epi8(_mm256_max_epi8(expr, lo), hi)); \
      if (i_ + 32 == (count)) break;                                                             \
    }                                                                                            \
  } while (0)

/* POW2 ADD: the saturating int8 sum, which the clamp (inside the int8 range) then equals. */
PLRT_AVX2 void plrt_add_s8_pow2_avx2(const plrt_add_params* params, size_t count, const int8_t* in0,
                                     const int8_t* in1, int8_t* out) {
  const __m256i lo = _mm256_set1_epi8((char)params->act_min);
  const __m256i hi = _mm256_set1_epi8((char)params->act_max);
  const int32_t lo32 = params->act_min, hi32 = params->act_max;
  BYTES_CLAMPED(count,
                _mm256_adds_epi8(_mm256_loadu_si256((const __m256i*)(in0 + i_)),
                                 _mm256_loadu_si256((const __m256i*)(in1 + i_))),
                (int8_t)(in0[i_] + in1[i_] < lo32   ? lo32
                         : in0[i_] + in1[i_] > hi32 ? hi32
                                                    : in0[i_] + in1[i_]));
}

/* RELU as one clamp into [min(max(zp, act_min), act_max), act_max] (as ops_opt.c derives). */
PLRT_AVX2 void plrt_relu_s8_avx2(const plrt_relu_params* params, size_t count, const int8_t* in,
                                 int8_t* out) {
  const int32_t floor_value =
      params->zero_point > params->act_min ? params->zero_point : params->act_min;
  const int32_t lo32 = floor_value < params->act_max ? floor_value : params->act_max;
  const int32_t hi32 = params->act_max;
  const __m256i lo = _mm256_set1_epi8((char)lo32), hi = _mm256_set1_epi8((char)hi32);
  BYTES_CLAMPED(count, _mm256_loadu_si256((const __m256i*)(in + i_)),
                (int8_t)(in[i_] < lo32   ? lo32
                         : in[i_] > hi32 ? hi32
                                         : in[i_]));
}

/* A power-of-two pool on 16 channels at a time, the sums in int16 (|s| <= 128 * 128 = 16384)
 * and the mean by an arithmetic shift: FLOOR s >> L; HALF_UP floor((2s + n) / 2n) =
 * (s + n / 2) >> L; HALF_AWAY sign(s) * ((|s| + n / 2) >> L); TRUNCATE sign(s) * (|s| >> L). The
 * last 16 channels of a row overlap the ones before (same values written twice), so channels >= 16
 * need no tail. */
PLRT_AVX2 void plrt_avgpool1d_s8_pow2_avx2(const plrt_pool_params* params, const plrt_dims* in_dims,
                                           const int8_t* in, const plrt_dims* out_dims,
                                           int8_t* out) {
  const size_t channels = in_dims->channels;
  int log2_n = 0;
  __m128i count;
  __m256i half, lo, hi;
  size_t t, c, k;
  while ((1u << log2_n) < params->kernel) ++log2_n;
  count = _mm_cvtsi32_si128(log2_n);
  half = _mm256_set1_epi16((short)(params->rounding == PLRT_POOL_ROUNDING_FLOOR ||
                                           params->rounding == PLRT_POOL_ROUNDING_TRUNCATE
                                       ? 0
                                       : (int)params->kernel / 2));
  lo = _mm256_set1_epi16((short)params->act_min);
  hi = _mm256_set1_epi16((short)params->act_max);
  for (t = 0; t < out_dims->length; ++t) {
    const int8_t* window = in + t * params->stride * channels;
    for (c = 0;; c += 16) {
      __m256i s, q;
      if (c + 16 > channels) c = channels - 16;
      s = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(window + c)));
      for (k = 1; k < params->kernel; ++k) {
        s = _mm256_add_epi16(
            s, _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(window + k * channels + c))));
      }
      if (params->rounding == PLRT_POOL_ROUNDING_HALF_AWAY ||
          params->rounding == PLRT_POOL_ROUNDING_TRUNCATE) {
        q = _mm256_sign_epi16(_mm256_sra_epi16(_mm256_add_epi16(_mm256_abs_epi16(s), half), count),
                              s);
      } else {
        q = _mm256_sra_epi16(_mm256_add_epi16(s, half), count);
      }
      q = _mm256_min_epi16(_mm256_max_epi16(q, lo), hi);
      _mm_storeu_si128((__m128i*)(out + t * channels + c),
                       _mm_packs_epi16(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1)));
      if (c + 16 == channels) break;
    }
  }
}

#else
typedef int plrt_eltwise_avx2_not_built; /* ISO C wants a declaration per file */
#endif
