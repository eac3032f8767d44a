/* AVX2 convolution (plrt_conv1d_s8 calls it where plrt_cpu_has_avx2()), equal to
 * plrt_conv1d_s8_ref bit for bit (runtime/tests/ops_opt_test.c).
 *
 * Every conv is a matrix product over the window of output step t, the contiguous input run
 * [(t - pad) * C_in, (t - pad + kernel) * C_in) (see ops_opt.c), here vectorised over output
 * channels so that no horizontal sums are needed and the requantisation and the stores run on
 * whole vectors:
 *   - a tile of windows is copied to the stack as x - zx (0 in the padding);
 *   - the weights of NB = 16 output channels are repacked, once per tile, so that one vector
 *     holds a group of consecutive window elements of 8 output channels;
 *   - a block of TB = 4 output steps x 16 channels keeps its sums in 8 registers; each step
 *     broadcasts a group of window elements of a row and multiplies it by the two weight
 *     vectors, summing the products of a group into each int32 lane;
 *   - the sums are requantised per lane (each lane's own shift and multiplier) and narrowed.
 * Two products, both exact:
 *   - wide (any input): groups of 2, x - zx and w as int16 (x - zx in [-255, 255]), VPMADDWD:
 *     16 products per instruction, the pair sums fit int32;
 *   - narrow (every x - zx in [0, 127], as after a POW2 ReLU): groups of 4 bytes, VPMADDUBSW
 *     of unsigned x - zx and signed w, then VPMADDWD by 1 into int32: 32 products per pair of
 *     instructions. VPMADDUBSW saturates its int16 pair sums, but |u0 w0 + u1 w1| <=
 *     2 * 127 * 128 = 32512 < 32767 here, so it never does. About 1.4x the wide rate.
 * Windows longer than CHUNK elements are processed in chunks, the sums kept in `carry`.
 *
 * AVX-512 VNNI (plrt_conv1d_s8 calls plrt_conv1d_s8_vnni instead where plrt_cpu_has_avx512()),
 * one exact path for any input and both schemes, in the same loops (conv_blocks, KIND_VNNI):
 *   - VPDPBUSD multiplies 4 unsigned by 4 signed bytes and adds the 4 products to an int32 lane,
 *     without saturation: 64 products per instruction. The tile holds u = x + 128 (the byte
 *     x ^ 0x80, in [0, 255]) and, in the padding, zx + 128. The convolution's sum is
 *     sum_j (x_j - zx) w_j = sum_j (u_j - (zx + 128)) w_j (the padding's terms vanish) = the
 *     VPDPBUSD sum - (zx + 128) sum_j w_j. Each channel's sum of weights over the window is taken
 *     while packing them and the correction folded into the bias lanes. All of it is int32
 *     arithmetic that wraps (VPDPBUSD, VPADDD, VPMULLD): the result is congruent modulo 2^32 to
 *     the true sum plus the bias, which fits int32 (the verifier's bound), so it equals it.
 *     Bytes of a quad past the window meet zero weights.
 *   - Where VB output steps' input rows fit the tile, the tile is those rows themselves (one copy
 *     per tile, row stride C_in, the windows overlapping), whatever the chunking; else windows as
 *     above, as bytes.
 *   - The weights are packed with AVX-512 (pack_quads16), one zmm per quad of 16 channels.
 *   - A block of VB = 8 output steps x 16 channels keeps its sums in 8 zmm (two sets, quads in
 *     pairs); unchunked windows take 32 channels at a time (block_pair_vnni: 16 zmm of sums,
 *     each broadcast quad used twice). At the end of the last chunk the sums are requantised in
 *     registers on 16 lanes (requantize16, requantize8's arithmetic), narrowed by VPMOVSDB. */
#include <string.h>

#include "opt_kernels.h"

#if PLRT_X86_SIMD

#include "simd_avx512.h"

/* Stack: the tile, the packed weights (CHUNK * 32 bytes) and the carried sums (TILE_BYTES / CHUNK
 * rows of 64 bytes), about 35.6 KiB by default (the VNNI path shares the frame). Smaller values
 * cost speed where a window exceeds CHUNK elements or a tile holds fewer than all output steps. */
#ifndef PLRT_AVX2_TILE_BYTES
#define PLRT_AVX2_TILE_BYTES 16384
#endif
#ifndef PLRT_AVX2_CHUNK
#define PLRT_AVX2_CHUNK 512
#endif
#define TILE_BYTES PLRT_AVX2_TILE_BYTES /* the window tile */
#define CHUNK \
  PLRT_AVX2_CHUNK /* window elements per chunk (packed weights: 16 KiB wide, 8 narrow) */
typedef char plrt_avx2_tile_sizes_ok[CHUNK % 32 == 0 && TILE_BYTES >= 2 * CHUNK * 4 ? 1 : -1];
#define NB 16                           /* output channels per block: two vectors */
#define TB 4                            /* output steps per block: 4 x 2 vectors of sums */
#define VB 8                            /* output steps per VNNI block: 8 zmm of sums */
#define CARRY_ROWS (TILE_BYTES / CHUNK) /* most tile rows when the window is chunked */

/* The requantisation of NB output channels as vectors, one lane per channel (lanes past the
 * channel count: shift 0, their results are not stored). A local object, so that the compiler
 * knows the int8 stores of the results cannot change it. */
typedef struct lane_vectors {
  __m256i bias, multiplier, left, lo, hi, right, rm1, rbit, negadj;
  __m256i half, below; /* POW2: 2^(r-1) (0 for r <= 0) and INT32_MAX - half */
} lane_vectors;

typedef struct requant_vectors {
  lane_vectors lanes[NB / 8];
  __m256i zy, lo_zy, hi_zy; /* output zero point, clamp bounds less it */
  int tflite, any_left;     /* any_left: some lane shifts left (POW2 r < 0, TFLITE shift > 0) */
} requant_vectors;

/* The tile's element kinds: int16 x - zx (wide), uint8 x - zx (narrow), uint8 x + 128 (VNNI). */
enum tile_kind { KIND_WIDE, KIND_NARROW, KIND_VNNI };

/* Rows [0, rows) of the tile: the windows of output steps t0 + r, elements [j0, j0 + len), for
 * r < valid (rows >= valid hold the padding value), then the padding value up to the row stride
 * of xs elements. Wide and narrow: x - zx (int16, uint8), padding 0; VNNI: u = x + 128 (the
 * byte x ^ 0x80), padding zx + 128 (see conv_blocks). Each row is first filled with the padding
 * value in whole vectors (up to 31 bytes into the next row or the tile's slack), then copied. */
PLRT_AVX2_INLINE void load_windows(const plrt_conv_params* params, const plrt_dims* in_dims,
                                   const int8_t* in, uint32_t t0, uint32_t rows, uint32_t valid,
                                   size_t j0, size_t len, size_t xs, enum tile_kind kind,
                                   void* tile) {
  const int64_t total = (int64_t)in_dims->length * in_dims->channels;
  const int32_t zx = params->input_zero_point;
  const size_t row_bytes = xs * (kind == KIND_WIDE ? 2 : 1);
  const int64_t step = kind == KIND_WIDE ? 16 : 32; /* elements per vector */
  const __m256i fill = _mm256_set1_epi8(kind == KIND_VNNI ? (char)(zx + 128) : 0);
  uint32_t r;
  for (r = 0; r < rows; ++r) {
    uint8_t* dst = (uint8_t*)tile + (size_t)r * row_bytes;
    /* flat input index of element j0 of the window */
    const int64_t first = ((int64_t)t0 + r - params->pad) * in_dims->channels + (int64_t)j0;
    int64_t lead = 0, copy = 0, j;
    size_t k;
    for (k = 0; k < row_bytes; k += 32) _mm256_storeu_si256((__m256i*)(dst + k), fill);
    if (r < valid) {
      lead = first < 0 ? (-first < (int64_t)len ? -first : (int64_t)len) : 0;
      copy = total - (first + lead);
      if (copy > (int64_t)len - lead) copy = (int64_t)len - lead;
    }
    if (copy <= 0) continue;
    if (copy < step) {
      for (j = 0; j < copy; ++j) {
        if (kind == KIND_VNNI) {
          dst[lead + j] = (uint8_t)((uint8_t)in[first + lead + j] ^ 0x80u);
        } else if (kind == KIND_NARROW) {
          dst[lead + j] = (uint8_t)(in[first + lead + j] - zx);
        } else {
          ((int16_t*)dst)[lead + j] = (int16_t)(in[first + lead + j] - zx);
        }
      }
      continue;
    }
    for (j = 0;; j += step) { /* whole vectors, the last overlapping the one before */
      const int8_t* src = in + first + lead;
      if (j > copy - step) j = copy - step;
      if (kind == KIND_VNNI) {
        const __m256i v = _mm256_loadu_si256((const __m256i*)(src + j));
        _mm256_storeu_si256((__m256i*)(dst + lead + j),
                            _mm256_xor_si256(v, _mm256_set1_epi8((char)0x80)));
      } else if (kind == KIND_NARROW) { /* x - zx in [0, 127]: the byte difference does not wrap */
        const __m256i v = _mm256_loadu_si256((const __m256i*)(src + j));
        _mm256_storeu_si256((__m256i*)(dst + lead + j),
                            _mm256_sub_epi8(v, _mm256_set1_epi8((char)zx)));
      } else {
        const __m256i v = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(src + j)));
        _mm256_storeu_si256((__m256i*)((int16_t*)dst + lead + j),
                            _mm256_sub_epi16(v, _mm256_set1_epi16((short)zx)));
      }
      if (j == copy - step) break;
    }
  }
}

/* Eight weight rows o0 + 8g + i (i < 8), bytes [j, j + 32) of the chunk starting at j0: rows
 * >= cols and bytes past len are 0. A partial row is read as a whole vector and masked where the
 * 32 bytes stay inside the weights (they run into the next row), else through a zero-padded
 * copy (the array's last row). */
PLRT_AVX2_INLINE void load_weight_rows(const int8_t* weights, const int8_t* end, size_t window,
                                       uint32_t o0, uint32_t cols, uint32_t g, size_t j0, size_t j,
                                       size_t len, __m256i r[8]) {
  const size_t n = len - j < 32 ? len - j : 32;
  const __m256i keep = _mm256_cmpgt_epi8(
      _mm256_set1_epi8((char)n),
      _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                       22, 23, 24, 25, 26, 27, 28, 29, 30, 31));
  int i;
  for (i = 0; i < 8; ++i) {
    const uint32_t o = g * 8 + (uint32_t)i;
    const int8_t* row = weights + (size_t)(o0 + o) * window + j0 + j;
    if (o >= cols) {
      r[i] = _mm256_setzero_si256();
    } else if (n == 32) {
      r[i] = _mm256_loadu_si256((const __m256i*)row);
    } else if (end - row >= 32) {
      r[i] = _mm256_and_si256(_mm256_loadu_si256((const __m256i*)row), keep);
    } else {
      int8_t part[32];
      memset(part, 0, sizeof part);
      memcpy(part, row, n);
      r[i] = _mm256_loadu_si256((const __m256i*)part);
    }
  }
}

/* Wide: wp[p][o] = (w[o][j0 + 2p], w[o][j0 + 2p + 1]) as two int16, o < NB, p < ceil(len / 2),
 * 64 bytes per p; zero for o >= cols and past len. Eight rows of 32 bytes at a time: three
 * rounds of unpacks transpose them as 8 x 16 byte pairs, then each pair row is sign-extended. */
PLRT_AVX2 static void pack_pairs(const int8_t* weights, const int8_t* end, size_t window,
                                 uint32_t o0, uint32_t cols, size_t j0, size_t len, int32_t* wp) {
  const size_t pairs = (len + 1) / 2;
  uint32_t g;
  size_t j;
  for (g = 0; g < NB / 8; ++g) {
    for (j = 0; j < len; j += 32) {
      __m256i r[8], t[8];
      int i;
      load_weight_rows(weights, end, window, o0, cols, g, j0, j, len, r);
      for (i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_epi16(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_epi16(r[i], r[i + 1]);
      }
      for (i = 0; i < 8; i += 4) {
        r[i] = _mm256_unpacklo_epi32(t[i], t[i + 2]);
        r[i + 1] = _mm256_unpackhi_epi32(t[i], t[i + 2]);
        r[i + 2] = _mm256_unpacklo_epi32(t[i + 1], t[i + 3]);
        r[i + 3] = _mm256_unpackhi_epi32(t[i + 1], t[i + 3]);
      }
      for (i = 0; i < 4; ++i) {
        t[2 * i] = _mm256_unpacklo_epi64(r[i], r[i + 4]);
        t[2 * i + 1] = _mm256_unpackhi_epi64(r[i], r[i + 4]);
      }
      /* t[i]: pair i of rows 0-7 in its low 128 bits, pair 8 + i in its high 128 bits */
      for (i = 0; i < 16; ++i) {
        const size_t p = j / 2 + (size_t)i;
        const __m128i v =
            i < 8 ? _mm256_castsi256_si128(t[i]) : _mm256_extracti128_si256(t[i - 8], 1);
        if (p >= pairs) break;
        _mm256_storeu_si256((__m256i*)(wp + p * NB + g * 8), _mm256_cvtepi8_epi16(v));
      }
    }
  }
}

/* Narrow: wq[q][o] = w[o][j0 + 4q .. j0 + 4q + 3] as 4 bytes, o < NB, q < ceil(len / 4), 64
 * bytes per q; zero for o >= cols and past len. An 8 x 8 transpose of 4-byte units. */
PLRT_AVX2 static void pack_quads(const int8_t* weights, const int8_t* end, size_t window,
                                 uint32_t o0, uint32_t cols, size_t j0, size_t len, int32_t* wq) {
  const size_t quads = (len + 3) / 4;
  uint32_t g;
  size_t j;
  for (g = 0; g < NB / 8; ++g) {
    for (j = 0; j < len; j += 32) {
      __m256i r[8], t[8];
      int i;
      load_weight_rows(weights, end, window, o0, cols, g, j0, j, len, r);
      for (i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_epi32(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_epi32(r[i], r[i + 1]);
      }
      for (i = 0; i < 8; i += 4) {
        r[i] = _mm256_unpacklo_epi64(t[i], t[i + 2]);
        r[i + 1] = _mm256_unpackhi_epi64(t[i], t[i + 2]);
        r[i + 2] = _mm256_unpacklo_epi64(t[i + 1], t[i + 3]);
        r[i + 3] = _mm256_unpackhi_epi64(t[i + 1], t[i + 3]);
      }
      /* r[q] (q < 4) and r[4 + q]: quad q of rows 0-3 and 4-7 in the low 128 bits, quad 4 + q in
       * the high */
      for (i = 0; i < 8; ++i) {
        const size_t q = j / 4 + (size_t)i;
        const int k = i & 3;
        const __m256i v = i < 4 ? _mm256_permute2x128_si256(r[k], r[k + 4], 0x20)
                                : _mm256_permute2x128_si256(r[k], r[k + 4], 0x31);
        if (q >= quads) break;
        _mm256_storeu_si256((__m256i*)(wq + q * NB + g * 8), v);
      }
    }
  }
}

PLRT_AVX2 static void make_requant_vectors(const plrt_requant* quant, const int32_t* bias,
                                           uint32_t o0, uint32_t cols, requant_vectors* rv) {
  int32_t part[3][NB] = {{0}}; /* a partial block's shifts, biases, multipliers, zero-padded */
  const int32_t *shifts = quant->shift + o0, *biases = part[1], *multipliers = part[2];
  const __m256i zero = _mm256_setzero_si256(), one = _mm256_set1_epi32(1);
  __m256i any = zero;
  int g;
  rv->tflite = quant->mode == PLRT_REQUANT_TFLITE;
  if (cols == NB) { /* read in place (the usual case) */
    if (bias != NULL) biases = bias + o0;
    if (rv->tflite) multipliers = quant->multiplier + o0;
  } else {
    memcpy(part[0], shifts, cols * sizeof(int32_t));
    shifts = part[0];
    if (bias != NULL) memcpy(part[1], bias + o0, cols * sizeof(int32_t));
    if (rv->tflite) memcpy(part[2], quant->multiplier + o0, cols * sizeof(int32_t));
  }
  for (g = 0; g < NB / 8; ++g) {
    lane_vectors* v = &rv->lanes[g];
    const __m256i s = _mm256_loadu_si256((const __m256i*)(shifts + 8 * g));
    const __m256i minus_s = _mm256_sub_epi32(zero, s);
    /* POW2: r = s > 0 shifts right, else left; TFLITE: shift > 0 left, else right */
    v->left = _mm256_max_epi32(rv->tflite ? s : minus_s, zero);
    v->right = _mm256_max_epi32(rv->tflite ? minus_s : s, zero);
    v->lo = _mm256_srav_epi32(_mm256_set1_epi32(INT32_MIN), v->left);
    v->hi = _mm256_srav_epi32(_mm256_set1_epi32(INT32_MAX), v->left);
    v->rm1 = _mm256_max_epi32(_mm256_sub_epi32(v->right, one), zero);
    v->rbit = _mm256_min_epi32(v->right, one);
    v->negadj = rv->tflite ? _mm256_sub_epi32(zero, v->rbit) : zero;
    v->half = _mm256_and_si256(_mm256_sllv_epi32(one, v->rm1), _mm256_sub_epi32(zero, v->rbit));
    v->below = _mm256_sub_epi32(_mm256_set1_epi32(INT32_MAX), v->half);
    v->bias = _mm256_loadu_si256((const __m256i*)(biases + 8 * g));
    v->multiplier = _mm256_loadu_si256((const __m256i*)(multipliers + 8 * g));
    any = _mm256_or_si256(any, v->left);
  }
  rv->any_left = !_mm256_testz_si256(any, any);
  rv->zy = _mm256_set1_epi32(quant->output_zero_point);
  rv->lo_zy = _mm256_set1_epi32(quant->act_min - quant->output_zero_point);
  rv->hi_zy = _mm256_set1_epi32(quant->act_max - quant->output_zero_point);
}

/* Eight lanes of a row of sums, requantised and clamped: POW2 floor(acc * 2^-r + 0.5); TFLITE
 * MultiplyByQuantizedMultiplier, whose left shift saturates as in
 * plrt_multiply_by_quantized_multiplier_fast. */
PLRT_AVX2_INLINE __m256i requantize8(__m256i acc, const requant_vectors* rv,
                                     const lane_vectors* v) {
  acc = _mm256_add_epi32(acc, v->bias);
  if (rv->any_left) acc = plrt_avx2_saturating_shift(acc, v->left, v->lo, v->hi);
  if (rv->tflite) {
    acc = plrt_avx2_rounding_divide_by_pot(plrt_avx2_high_mul(acc, v->multiplier), v->right, v->rm1,
                                           v->rbit, v->negadj);
  } else {
    /* floor(acc * 2^-r + 0.5) = (acc + 2^(r-1)) >> r, the sum capped at INT32_MAX: where the cap
     * applies the exact value is at least 2^(31-r) >= 2^9 (r <= 22) and ours 2^(31-r) - 1, both
     * beyond any clamp; one variable shift instead of plrt_avx2_round_shift's two */
    acc = _mm256_srav_epi32(_mm256_add_epi32(_mm256_min_epi32(acc, v->below), v->half), v->right);
  }
  return plrt_avx2_clamp_offset(acc, rv->zy, rv->lo_zy, rv->hi_zy);
}

/* Two rows of requantised lanes (channels 0-7 and 8-15 of each) to 32 bytes, row a then b.
 * The packs work per 128-bit half, giving dwords [a 0-3, a 8-11, b 0-3, b 8-11 | a 4-7, a 12-15,
 * b 4-7, b 12-15]; one dword permutation restores the order. */
PLRT_AVX2_INLINE __m256i narrow_two_rows(__m256i a0, __m256i a1, __m256i b0, __m256i b1) {
  const __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(a0, a1), _mm256_packs_epi32(b0, b1));
  return _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

PLRT_AVX2_INLINE void store16(int8_t* y, __m128i v, uint32_t cols) {
  if (cols == NB) {
    _mm_storeu_si128((__m128i*)y, v);
  } else {
    int8_t part[16];
    _mm_storeu_si128((__m128i*)part, v);
    memcpy(y, part, cols);
  }
}

/* Requantises a block's TB rows of NB sums together (eight independent chains, which overlap)
 * and stores the first `rows` rows, `cols` bytes each, `stride` bytes apart. */
PLRT_AVX2_INLINE void store_block(int32_t acc[][NB], uint32_t rows, const requant_vectors* rv,
                                  uint32_t cols, size_t stride, int8_t* y) {
  const lane_vectors *g0 = &rv->lanes[0], *g1 = &rv->lanes[1];
  const __m256i r0 =
      narrow_two_rows(requantize8(_mm256_loadu_si256((const __m256i*)acc[0]), rv, g0),
                      requantize8(_mm256_loadu_si256((const __m256i*)(acc[0] + 8)), rv, g1),
                      requantize8(_mm256_loadu_si256((const __m256i*)acc[1]), rv, g0),
                      requantize8(_mm256_loadu_si256((const __m256i*)(acc[1] + 8)), rv, g1));
  const __m256i r2 =
      narrow_two_rows(requantize8(_mm256_loadu_si256((const __m256i*)acc[2]), rv, g0),
                      requantize8(_mm256_loadu_si256((const __m256i*)(acc[2] + 8)), rv, g1),
                      requantize8(_mm256_loadu_si256((const __m256i*)acc[3]), rv, g0),
                      requantize8(_mm256_loadu_si256((const __m256i*)(acc[3] + 8)), rv, g1));
  store16(y, _mm256_castsi256_si128(r0), cols);
  if (rows > 1) store16(y + stride, _mm256_extracti128_si256(r0, 1), cols);
  if (rows > 2) store16(y + 2 * stride, _mm256_castsi256_si128(r2), cols);
  if (rows > 3) store16(y + 3 * stride, _mm256_extracti128_si256(r2, 1), cols);
}

/* The 8 vectors of sums of a TB x NB block (row t, channels 8g .. 8g + 7), as named variables:
 * GCC keeps them in registers this way, where an array of them costs copies and a spill per
 * step. */
#define BLOCK_SUMS_LOAD(acc)                                        \
  __m256i c00 = _mm256_loadu_si256((const __m256i*)(acc)[0]);       \
  __m256i c01 = _mm256_loadu_si256((const __m256i*)((acc)[0] + 8)); \
  __m256i c10 = _mm256_loadu_si256((const __m256i*)(acc)[1]);       \
  __m256i c11 = _mm256_loadu_si256((const __m256i*)((acc)[1] + 8)); \
  __m256i c20 = _mm256_loadu_si256((const __m256i*)(acc)[2]);       \
  __m256i c21 = _mm256_loadu_si256((const __m256i*)((acc)[2] + 8)); \
  __m256i c30 = _mm256_loadu_si256((const __m256i*)(acc)[3]);       \
  __m256i c31 = _mm256_loadu_si256((const __m256i*)((acc)[3] + 8))
#define BLOCK_SUMS_STORE(acc)                         \
  _mm256_storeu_si256((__m256i*)(acc)[0], c00);       \
  _mm256_storeu_si256((__m256i*)((acc)[0] + 8), c01); \
  _mm256_storeu_si256((__m256i*)(acc)[1], c10);       \
  _mm256_storeu_si256((__m256i*)((acc)[1] + 8), c11); \
  _mm256_storeu_si256((__m256i*)(acc)[2], c20);       \
  _mm256_storeu_si256((__m256i*)((acc)[2] + 8), c21); \
  _mm256_storeu_si256((__m256i*)(acc)[3], c30);       \
  _mm256_storeu_si256((__m256i*)((acc)[3] + 8), c31)

static const int32_t kZeroSums[VB][NB]; /* where a block's sums start (read only) */

/* The int32 at p, broadcast (a group of window elements). */
PLRT_AVX2_INLINE __m256i broadcast32(const void* p) {
  int32_t v;
  memcpy(&v, p, sizeof v);
  return _mm256_set1_epi32(v);
}

typedef char plrt_block_is_4_rows[TB == 4 ? 1 : -1]; /* the code below is written out for 4 */

/* acc[t][o] = from[t][o] + sum_p tile[t][2p, 2p + 1] . wp[p][o] for a block of TB x NB (from:
 * acc itself, or zeros): two exact int16 products summed per lane by VPMADDWD, then added. Kept
 * apart from the requantisation. */
PLRT_AVX2 static void block_sums_wide(const int16_t* tile, size_t xs, const int32_t* wp,
                                      size_t pairs, const int32_t from[][NB], int32_t acc[][NB]) {
  const int16_t *x0 = tile, *x1 = tile + xs, *x2 = tile + 2 * xs, *x3 = tile + 3 * xs;
  size_t p;
  BLOCK_SUMS_LOAD(from);
  for (p = 0; p < pairs; ++p) {
    const __m256i w0 = _mm256_loadu_si256((const __m256i*)(wp + p * NB));
    const __m256i w1 = _mm256_loadu_si256((const __m256i*)(wp + p * NB + 8));
    __m256i x = broadcast32(x0 + 2 * p);
    c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(x, w0));
    c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(x, w1));
    x = broadcast32(x1 + 2 * p);
    c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(x, w0));
    c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(x, w1));
    x = broadcast32(x2 + 2 * p);
    c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(x, w0));
    c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(x, w1));
    x = broadcast32(x3 + 2 * p);
    c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(x, w0));
    c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(x, w1));
  }
  BLOCK_SUMS_STORE(acc);
}

/* The same over quads of unsigned bytes, acc = from + sum_q tile[t][4q .. 4q + 3] . wq[q][o]:
 * VPMADDUBSW's pair sums (exact here, see the top), summed by VPMADDWD by 1, then added. */
PLRT_AVX2 static void block_sums_narrow(const uint8_t* tile, size_t xs, const int32_t* wq,
                                        size_t quads, const int32_t from[][NB], int32_t acc[][NB]) {
  const uint8_t *x0 = tile, *x1 = tile + xs, *x2 = tile + 2 * xs, *x3 = tile + 3 * xs;
  const __m256i ones = _mm256_set1_epi16(1);
  size_t q;
  BLOCK_SUMS_LOAD(from);
  for (q = 0; q < quads; ++q) {
    const __m256i w0 = _mm256_loadu_si256((const __m256i*)(wq + q * NB));
    const __m256i w1 = _mm256_loadu_si256((const __m256i*)(wq + q * NB + 8));
    __m256i x = broadcast32(x0 + 4 * q);
    c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w0), ones));
    c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w1), ones));
    x = broadcast32(x1 + 4 * q);
    c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w0), ones));
    c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w1), ones));
    x = broadcast32(x2 + 4 * q);
    c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w0), ones));
    c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w1), ones));
    x = broadcast32(x3 + 4 * q);
    c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w0), ones));
    c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w1), ones));
  }
  BLOCK_SUMS_STORE(acc);
}

/* requant_vectors on 16 lanes (one zmm per row of a block's sums). */
typedef struct requant_vectors16 {
  __m512i bias, multiplier, left, lo, hi, right, rm1, rbit, negadj, half, below;
  __m512i zy, lo_zy, hi_zy;
  int tflite, any_left;
} requant_vectors16;

/* make_requant_vectors on 16 lanes (byte-masked loads for a partial block), the VNNI correction
 * folded into the bias (see conv_blocks): bias - (zx + 128) * sums. */
PLRT_AVX512 static void make_requant_vectors16(const plrt_requant* quant, const int32_t* bias,
                                               uint32_t o0, uint32_t cols, const int32_t sums[NB],
                                               int32_t zx, requant_vectors16* v) {
  const __mmask16 keep = (__mmask16)((1u << cols) - 1u);
  const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi32(1);
  const __m512i s = _mm512_maskz_loadu_epi32(keep, quant->shift + o0);
  const __m512i minus_s = _mm512_sub_epi32(zero, s);
  const __m512i b = bias != NULL ? _mm512_maskz_loadu_epi32(keep, bias + o0) : zero;
  v->tflite = quant->mode == PLRT_REQUANT_TFLITE;
  /* POW2: r = s > 0 shifts right, else left; TFLITE: shift > 0 left, else right */
  v->left = _mm512_max_epi32(v->tflite ? s : minus_s, zero);
  v->right = _mm512_max_epi32(v->tflite ? minus_s : s, zero);
  v->lo = _mm512_srav_epi32(_mm512_set1_epi32(INT32_MIN), v->left);
  v->hi = _mm512_srav_epi32(_mm512_set1_epi32(INT32_MAX), v->left);
  v->rm1 = _mm512_max_epi32(_mm512_sub_epi32(v->right, one), zero);
  v->rbit = _mm512_min_epi32(v->right, one);
  v->negadj = v->tflite ? _mm512_sub_epi32(zero, v->rbit) : zero;
  v->half = _mm512_and_si512(_mm512_sllv_epi32(one, v->rm1), _mm512_sub_epi32(zero, v->rbit));
  v->below = _mm512_sub_epi32(_mm512_set1_epi32(INT32_MAX), v->half);
  v->bias = _mm512_sub_epi32(
      b, _mm512_mullo_epi32(_mm512_loadu_si512(sums), _mm512_set1_epi32(zx + 128)));
  v->multiplier = v->tflite ? _mm512_maskz_loadu_epi32(keep, quant->multiplier + o0) : zero;
  v->any_left = _mm512_test_epi32_mask(v->left, v->left) != 0;
  v->zy = _mm512_set1_epi32(quant->output_zero_point);
  v->lo_zy = _mm512_set1_epi32(quant->act_min - quant->output_zero_point);
  v->hi_zy = _mm512_set1_epi32(quant->act_max - quant->output_zero_point);
}

/* requantize8 on 16 lanes. */
PLRT_AVX512_INLINE __m512i requantize16(__m512i acc, const requant_vectors16* v) {
  acc = _mm512_add_epi32(acc, v->bias);
  if (v->any_left) acc = plrt_avx512_saturating_shift(acc, v->left, v->lo, v->hi);
  if (v->tflite) {
    acc = plrt_avx512_rounding_divide_by_pot(plrt_avx512_high_mul(acc, v->multiplier), v->right,
                                             v->rm1, v->rbit, v->negadj);
  } else {
    acc = _mm512_srav_epi32(_mm512_add_epi32(_mm512_min_epi32(acc, v->below), v->half), v->right);
  }
  return plrt_avx512_clamp_offset(acc, v->zy, v->lo_zy, v->hi_zy);
}

/* One row of 16 sums requantised, `cols` bytes of it stored at y: VPMOVSDB narrows (the values
 * are in [-128, 127] already), a byte-masked store writes a partial row. */
PLRT_AVX512_INLINE void store_row16(__m512i sums, const requant_vectors16* v, uint32_t cols,
                                    int8_t* y) {
  const __m128i bytes = _mm512_cvtsepi32_epi8(requantize16(sums, v));
  if (cols == NB) {
    _mm_storeu_si128((__m128i*)y, bytes);
  } else {
    _mm_mask_storeu_epi8(y, (__mmask16)((1u << cols) - 1u), bytes);
  }
}

/* One VPDPBUSD: the sums s plus the quad at byte k of tile row r (broadcast) times weights w. */
#define VNNI_STEP(s, r, k, w) \
  s = _mm512_dpbusd_epi32(s, _mm512_set1_epi32(load32(tile + (r)*xs + (k))), w)
#define VNNI_ROWS(S, k, w)                                                          \
  VNNI_STEP(S##0, 0, k, w), VNNI_STEP(S##1, 1, k, w), VNNI_STEP(S##2, 2, k, w),     \
      VNNI_STEP(S##3, 3, k, w), VNNI_STEP(S##4, 4, k, w), VNNI_STEP(S##5, 5, k, w), \
      VNNI_STEP(S##6, 6, k, w), VNNI_STEP(S##7, 7, k, w)

PLRT_AVX2_INLINE int32_t load32(const uint8_t* p) {
  int32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

typedef char plrt_vnni_block_is_8_rows[VB == 8 ? 1 : -1]; /* written out for 8 */

/* VNNI: acc = from + sum_q tile[t][4q .. 4q + 3] . wq[q][o] for a block of VB rows x NB
 * channels, one zmm of 16 int32 sums per row: VPDPBUSD multiplies the four unsigned bytes u
 * (broadcast) by the four signed weights of each channel and adds the four products to the lane,
 * exactly and without saturation (int32 wraps, see conv_blocks). The quads run in pairs into two
 * sets of sums (16 independent chains, as VPDPBUSD's latency needs), added at the end. With v
 * (the last chunk), the first `rows` rows are requantised and stored instead (`cols` bytes each,
 * `stride` apart from y); else the sums go to acc. */
PLRT_AVX512 static void block_sums_vnni(const uint8_t* tile, size_t xs, const int32_t* wq,
                                        size_t quads, const int32_t from[][NB], int32_t acc[][NB],
                                        const requant_vectors16* v, uint32_t rows, uint32_t cols,
                                        size_t stride, int8_t* y) {
  /* named variables, not arrays, so that GCC keeps them in registers without copies */
  __m512i a0 = _mm512_loadu_si512(from[0]), a1 = _mm512_loadu_si512(from[1]);
  __m512i a2 = _mm512_loadu_si512(from[2]), a3 = _mm512_loadu_si512(from[3]);
  __m512i a4 = _mm512_loadu_si512(from[4]), a5 = _mm512_loadu_si512(from[5]);
  __m512i a6 = _mm512_loadu_si512(from[6]), a7 = _mm512_loadu_si512(from[7]);
  __m512i b0 = _mm512_setzero_si512(), b1 = b0, b2 = b0, b3 = b0, b4 = b0, b5 = b0, b6 = b0,
          b7 = b0;
  size_t q;
  for (q = 0; q + 2 <= quads; q += 2) {
    const __m512i w0 = _mm512_load_si512((const void*)(wq + q * NB));
    const __m512i w1 = _mm512_load_si512((const void*)(wq + (q + 1) * NB));
    VNNI_ROWS(a, 4 * q, w0);
    VNNI_ROWS(b, 4 * q + 4, w1);
  }
  if (q < quads) {
    const __m512i w0 = _mm512_load_si512((const void*)(wq + q * NB));
    VNNI_ROWS(a, 4 * q, w0);
  }
  a0 = _mm512_add_epi32(a0, b0), a1 = _mm512_add_epi32(a1, b1);
  a2 = _mm512_add_epi32(a2, b2), a3 = _mm512_add_epi32(a3, b3);
  a4 = _mm512_add_epi32(a4, b4), a5 = _mm512_add_epi32(a5, b5);
  a6 = _mm512_add_epi32(a6, b6), a7 = _mm512_add_epi32(a7, b7);
  if (v == NULL) {
    _mm512_storeu_si512(acc[0], a0), _mm512_storeu_si512(acc[1], a1);
    _mm512_storeu_si512(acc[2], a2), _mm512_storeu_si512(acc[3], a3);
    _mm512_storeu_si512(acc[4], a4), _mm512_storeu_si512(acc[5], a5);
    _mm512_storeu_si512(acc[6], a6), _mm512_storeu_si512(acc[7], a7);
    return;
  }
  {
    /* a local copy, so that the compiler knows the int8 stores cannot change it */
    const requant_vectors16 rq = *v;
    store_row16(a0, &rq, cols, y);
    if (rows > 1) store_row16(a1, &rq, cols, y + stride);
    if (rows > 2) store_row16(a2, &rq, cols, y + 2 * stride);
    if (rows > 3) store_row16(a3, &rq, cols, y + 3 * stride);
    if (rows > 4) store_row16(a4, &rq, cols, y + 4 * stride);
    if (rows > 5) store_row16(a5, &rq, cols, y + 5 * stride);
    if (rows > 6) store_row16(a6, &rq, cols, y + 6 * stride);
    if (rows > 7) store_row16(a7, &rq, cols, y + 7 * stride);
  }
}

/* block_sums_vnni's last chunk for 32 channels at once (two packed groups of 16, wq0 and wq1,
 * requantised by v0 and v1, cols1 >= 1): each broadcast quad feeds two VPDPBUSD (16 independent
 * chains), half the broadcasts per product. Unchunked windows only. y is restrict: the int8
 * stores cannot change *v0 or *v1 (no local copies of them needed, which would cost stack). */
#define VNNI_STEP2(r)                                                                 \
  do {                                                                                \
    const __m512i x = _mm512_set1_epi32(load32(tile + (r)*xs + 4 * q));               \
    a##r = _mm512_dpbusd_epi32(a##r, x, w0), c##r = _mm512_dpbusd_epi32(c##r, x, w1); \
  } while (0)
PLRT_AVX512 static void block_pair_vnni(const uint8_t* tile, size_t xs, const int32_t* wq0,
                                        const int32_t* wq1, size_t quads,
                                        const requant_vectors16* v0, const requant_vectors16* v1,
                                        uint32_t rows, uint32_t cols0, uint32_t cols1,
                                        size_t stride, int8_t* restrict y) {
  __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0,
          a7 = a0;
  __m512i c0 = a0, c1 = a0, c2 = a0, c3 = a0, c4 = a0, c5 = a0, c6 = a0, c7 = a0;
  size_t q;
  for (q = 0; q < quads; ++q) {
    const __m512i w0 = _mm512_load_si512((const void*)(wq0 + q * NB));
    const __m512i w1 = _mm512_load_si512((const void*)(wq1 + q * NB));
    VNNI_STEP2(0);
    VNNI_STEP2(1);
    VNNI_STEP2(2);
    VNNI_STEP2(3);
    VNNI_STEP2(4);
    VNNI_STEP2(5);
    VNNI_STEP2(6);
    VNNI_STEP2(7);
  }
  {
    int8_t* restrict z = y + NB;
    store_row16(a0, v0, cols0, y), store_row16(c0, v1, cols1, z);
    if (rows > 1) store_row16(a1, v0, cols0, y + stride), store_row16(c1, v1, cols1, z + stride);
    if (rows > 2) {
      store_row16(a2, v0, cols0, y + 2 * stride), store_row16(c2, v1, cols1, z + 2 * stride);
    }
    if (rows > 3) {
      store_row16(a3, v0, cols0, y + 3 * stride), store_row16(c3, v1, cols1, z + 3 * stride);
    }
    if (rows > 4) {
      store_row16(a4, v0, cols0, y + 4 * stride), store_row16(c4, v1, cols1, z + 4 * stride);
    }
    if (rows > 5) {
      store_row16(a5, v0, cols0, y + 5 * stride), store_row16(c5, v1, cols1, z + 5 * stride);
    }
    if (rows > 6) {
      store_row16(a6, v0, cols0, y + 6 * stride), store_row16(c6, v1, cols1, z + 6 * stride);
    }
    if (rows > 7) {
      store_row16(a7, v0, cols0, y + 7 * stride), store_row16(c7, v1, cols1, z + 7 * stride);
    }
  }
}

/* pack_quads for the VNNI path, on 16 rows of 64 bytes at a time, which also adds each channel's
 * sum of weights to sums[o] (VPDPBUSD of bytes of 1, four chains): byte-masked loads (masked
 * bytes are not read) give the rows, zero past len and for rows >= cols; two rounds of unpacks
 * transpose each group of four rows as 4 x 4 quads within 128-bit lanes, and two rounds of lane
 * shuffles the 4 x 4 lanes. */
PLRT_AVX512 static void pack_quads16(const int8_t* weights, size_t window, uint32_t o0,
                                     uint32_t cols, size_t j0, size_t len, int32_t* wq,
                                     int32_t sums[NB]) {
  const size_t quads = (len + 3) / 4;
  const __m512i ones = _mm512_set1_epi8(1);
  __m512i s[4];
  size_t j;
  int i;
  s[0] = _mm512_loadu_si512(sums);
  s[1] = s[2] = s[3] = _mm512_setzero_si512();
  for (j = 0; j < len; j += 64) {
    const size_t n = len - j < 64 ? len - j : 64;
    const __mmask64 keep = n == 64 ? ~(__mmask64)0 : (((__mmask64)1 << n) - 1);
    __m512i v[4][4]; /* v[a][k], lane L: quad 4L + k of rows 4a .. 4a + 3 */
    int a;
    for (a = 0; a < 4; ++a) {
      __m512i r[4], t[4];
      int k;
      for (k = 0; k < 4; ++k) {
        const uint32_t o = 4 * (uint32_t)a + (uint32_t)k;
        r[k] = o < cols
                   ? _mm512_maskz_loadu_epi8(keep, weights + (size_t)(o0 + o) * window + j0 + j)
                   : _mm512_setzero_si512();
      }
      t[0] = _mm512_unpacklo_epi32(r[0], r[1]);
      t[1] = _mm512_unpackhi_epi32(r[0], r[1]);
      t[2] = _mm512_unpacklo_epi32(r[2], r[3]);
      t[3] = _mm512_unpackhi_epi32(r[2], r[3]);
      v[a][0] = _mm512_unpacklo_epi64(t[0], t[2]);
      v[a][1] = _mm512_unpackhi_epi64(t[0], t[2]);
      v[a][2] = _mm512_unpacklo_epi64(t[1], t[3]);
      v[a][3] = _mm512_unpackhi_epi64(t[1], t[3]);
    }
    for (i = 0; i < 4; ++i) { /* quads 4L + i, L = 0 .. 3 */
      const __m512i s0 = _mm512_shuffle_i32x4(v[0][i], v[1][i], 0x44);
      const __m512i s1 = _mm512_shuffle_i32x4(v[0][i], v[1][i], 0xEE);
      const __m512i s2 = _mm512_shuffle_i32x4(v[2][i], v[3][i], 0x44);
      const __m512i s3 = _mm512_shuffle_i32x4(v[2][i], v[3][i], 0xEE);
      const __m512i out[4] = {
          _mm512_shuffle_i32x4(s0, s2, 0x88), _mm512_shuffle_i32x4(s0, s2, 0xDD),
          _mm512_shuffle_i32x4(s1, s3, 0x88), _mm512_shuffle_i32x4(s1, s3, 0xDD)};
      int lane;
      for (lane = 0; lane < 4; ++lane) {
        const size_t q = j / 4 + 4 * (size_t)lane + (size_t)i;
        if (q < quads) {
          _mm512_store_si512(wq + q * NB, out[lane]);
          s[lane] = _mm512_dpbusd_epi32(s[lane], ones, out[lane]);
        }
      }
    }
  }
  _mm512_storeu_si512(sums,
                      _mm512_add_epi32(_mm512_add_epi32(s[0], s[1]), _mm512_add_epi32(s[2], s[3])));
}

PLRT_AVX2 static void conv_blocks(const plrt_conv_params* params, const plrt_requant* quant,
                                  const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                                  const int32_t* bias, const plrt_dims* out_dims, int8_t* out,
                                  enum tile_kind kind) {
  const size_t window = (size_t)params->kernel * in_dims->channels;
  const size_t chunks = (window + CHUNK - 1) / CHUNK;
  const size_t group = kind == KIND_WIDE ? 2 : 4; /* window elements per broadcast */
  const size_t xs = ((chunks > 1 ? CHUNK : window) + group - 1) / group * group; /* row stride */
  const uint32_t block = kind == KIND_VNNI ? VB : TB; /* rows per block */
  const uint32_t l_out = out_dims->length, c_out = out_dims->channels;
  const int8_t* const weights_end = weights + (size_t)c_out * window;
  /* VNNI, where VB output steps' input fits the tile: the input rows themselves (row stride
   * C_in, the windows overlapping), loaded once per tile and chunk-independent */
  const int flat =
      kind == KIND_VNNI && (VB + params->kernel - 1) * (size_t)in_dims->channels + 4 <= TILE_BYTES;
  const size_t rs = flat ? in_dims->channels : xs; /* tile bytes (elements) between rows */
  const uint32_t flat_rows =
      flat ? (uint32_t)((TILE_BYTES - 4) / in_dims->channels - (params->kernel - 1)) / VB * VB : 0;
  const uint32_t tile_rows =
      flat ? (chunks > 1 && flat_rows > CARRY_ROWS / VB * VB ? CARRY_ROWS / VB * VB : flat_rows)
           : (uint32_t)(TILE_BYTES / (xs * (kind == KIND_WIDE ? 2 : 1))) / block * block;
  /* cache-line aligned: no vector load of the packed weights splits a line */
  int16_t tile[TILE_BYTES / 2 + 16] __attribute__((aligned(64))); /* + slack for clearing */
  int32_t wp[CHUNK / 2 * NB] __attribute__((aligned(64)));
  union { /* chunked windows' carried sums, or (unchunked VNNI) channels o0 + 16 .. o0 + 31's
           * requantisation: the two are never needed at once */
    int32_t sums[CARRY_ROWS][NB];
    requant_vectors16 second;
  } carry;
  int32_t wsums[2][NB]; /* VNNI: each channel's sum of weights over the window */
  union {               /* one or the other: the AVX2 blocks' or the VNNI blocks' */
    requant_vectors v8;
    requant_vectors16 v16;
  } rv;
  uint32_t t0, o0;
  for (t0 = 0; t0 < l_out; t0 += tile_rows) {
    const uint32_t valid = l_out - t0 < tile_rows ? l_out - t0 : tile_rows;
    const uint32_t rows = (valid + block - 1) / block * block;
    if (flat) { /* input elements [(t0 - pad) C_in, + span) as one row, + 4 bytes */
      const size_t span = (rows - 1 + params->kernel) * (size_t)in_dims->channels;
      load_windows(params, in_dims, in, t0, 1, 1, 0, span, span + 4, kind, tile);
    } else if (chunks == 1) {
      load_windows(params, in_dims, in, t0, rows, valid, 0, window, xs, kind, tile);
    }
    for (o0 = 0; o0 < c_out; o0 += NB) {
      const uint32_t cols = c_out - o0 < NB ? c_out - o0 : NB;
      size_t c;
      if (kind == KIND_VNNI && chunks == 1 && c_out - o0 > NB) { /* 32 channels at once */
        const uint32_t cols1 = c_out - o0 - NB < NB ? c_out - o0 - NB : NB;
        int32_t* const wq1 = wp + CHUNK / 4 * NB; /* the second half of wp */
        uint32_t b;
        memset(wsums, 0, sizeof wsums);
        pack_quads16(weights, window, o0, cols, 0, window, wp, wsums[0]);
        pack_quads16(weights, window, o0 + NB, cols1, 0, window, wq1, wsums[1]);
        make_requant_vectors16(quant, bias, o0, cols, wsums[0], params->input_zero_point, &rv.v16);
        make_requant_vectors16(quant, bias, o0 + NB, cols1, wsums[1], params->input_zero_point,
                               &carry.second);
        for (b = 0; b < rows; b += VB) {
          block_pair_vnni((const uint8_t*)tile + (size_t)b * rs, rs, wp, wq1, (window + 3) / 4,
                          &rv.v16, &carry.second, valid - b < VB ? valid - b : VB, cols, cols1,
                          c_out, out + (size_t)(t0 + b) * c_out + o0);
        }
        o0 += NB; /* and NB more by the loop */
        continue;
      }
      if (kind != KIND_VNNI) make_requant_vectors(quant, bias, o0, cols, &rv.v8);
      memset(wsums, 0, sizeof wsums);
      for (c = 0; c < chunks; ++c) {
        const size_t j0 = c * CHUNK, len = window - j0 < CHUNK ? window - j0 : CHUNK;
        uint32_t b;
        if (chunks > 1 && !flat) {
          load_windows(params, in_dims, in, t0, rows, valid, j0, len, xs, kind, tile);
        }
        if (kind == KIND_WIDE) {
          pack_pairs(weights, weights_end, window, o0, cols, j0, len, wp);
        } else if (kind == KIND_NARROW) {
          pack_quads(weights, weights_end, window, o0, cols, j0, len, wp);
        } else {
          pack_quads16(weights, window, o0, cols, j0, len, wp, wsums[0]);
          if (c + 1 == chunks) {
            make_requant_vectors16(quant, bias, o0, cols, wsums[0], params->input_zero_point,
                                   &rv.v16);
          }
        }
        for (b = 0; b < rows; b += block) {
          /* unchunked, one block's sums at a time; chunked, the tile's (rows <= CARRY_ROWS) */
          int32_t(*acc)[NB] = carry.sums + (chunks > 1 ? b : 0);
          const int32_t(*from)[NB] = c == 0 ? kZeroSums : (const int32_t(*)[NB])acc;
          uint32_t k;
          if (kind == KIND_VNNI) {
            block_sums_vnni((const uint8_t*)tile + (size_t)b * rs + (flat ? j0 : 0), rs, wp,
                            (len + 3) / 4, from, acc, c + 1 < chunks ? NULL : &rv.v16,
                            valid - b < VB ? valid - b : VB, cols, c_out,
                            out + (size_t)(t0 + b) * c_out + o0);
            continue;
          } else if (kind == KIND_NARROW) {
            block_sums_narrow((const uint8_t*)tile + (size_t)b * xs, xs, wp, (len + 3) / 4, from,
                              acc);
          } else {
            block_sums_wide(tile + (size_t)b * xs, xs, wp, (len + 1) / 2, from, acc);
          }
          if (c + 1 < chunks) continue;
          for (k = 0; k < block && b + k < valid; k += TB) {
            store_block(acc + k, valid - b - k < TB ? valid - b - k : TB, &rv.v8, cols, c_out,
                        out + (size_t)(t0 + b + k) * c_out + o0);
          }
        }
      }
    }
  }
}

PLRT_AVX2 void plrt_conv1d_s8_avx2_wide(const plrt_conv_params* params, const plrt_requant* quant,
                                        const plrt_dims* in_dims, const int8_t* in,
                                        const int8_t* weights, const int32_t* bias,
                                        const plrt_dims* out_dims, int8_t* out) {
  conv_blocks(params, quant, in_dims, in, weights, bias, out_dims, out, KIND_WIDE);
}

PLRT_AVX2 void plrt_conv1d_s8_avx2_narrow(const plrt_conv_params* params, const plrt_requant* quant,
                                          const plrt_dims* in_dims, const int8_t* in,
                                          const int8_t* weights, const int32_t* bias,
                                          const plrt_dims* out_dims, int8_t* out) {
  conv_blocks(params, quant, in_dims, in, weights, bias, out_dims, out, KIND_NARROW);
}

PLRT_AVX2 void plrt_conv1d_s8_vnni(const plrt_conv_params* params, const plrt_requant* quant,
                                   const plrt_dims* in_dims, const int8_t* in,
                                   const int8_t* weights, const int32_t* bias,
                                   const plrt_dims* out_dims, int8_t* out) {
  conv_blocks(params, quant, in_dims, in, weights, bias, out_dims, out, KIND_VNNI);
}

/* 1 if every x - zx of the n input bytes is in [0, 127]. */
PLRT_AVX2 int plrt_inputs_fit_narrow(const int8_t* in, size_t n, int32_t zx) {
  __m256i lo = _mm256_set1_epi8(127), hi = _mm256_set1_epi8(-128);
  int8_t lows[32], highs[32];
  int32_t min = 127, max = -128;
  size_t i = 0;
  int k;
  for (; i + 32 <= n; i += 32) {
    const __m256i v = _mm256_loadu_si256((const __m256i*)(in + i));
    lo = _mm256_min_epi8(lo, v);
    hi = _mm256_max_epi8(hi, v);
  }
  _mm256_storeu_si256((__m256i*)lows, lo);
  _mm256_storeu_si256((__m256i*)highs, hi);
  for (k = 0; k < 32; ++k) {
    min = lows[k] < min ? lows[k] : min;
    max = highs[k] > max ? highs[k] : max;
  }
  for (; i < n; ++i) {
    min = in[i] < min ? in[i] : min;
    max = in[i] > max ? in[i] : max;
  }
  return min >= zx && max <= zx + 127;
}

PLRT_AVX2 void plrt_conv1d_s8_avx2(const plrt_conv_params* params, const plrt_requant* quant,
                                   const plrt_dims* in_dims, const int8_t* in,
                                   const int8_t* weights, const int32_t* bias,
                                   const plrt_dims* out_dims, int8_t* out) {
  const size_t n = (size_t)in_dims->channels * in_dims->length;
  conv_blocks(params, quant, in_dims, in, weights, bias, out_dims, out,
              plrt_inputs_fit_narrow(in, n, params->input_zero_point) ? KIND_NARROW : KIND_WIDE);
}

int plrt_cpu_has_avx2(void) {
#if defined(__AVX2__)
  return 1;
#else
  return __builtin_cpu_supports("avx2");
#endif
}

/* GCC's and Clang's checks include the OS's support of the zmm state (XGETBV). */
int plrt_cpu_has_avx512(void) {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}

#else
typedef int plrt_conv_avx2_not_built; /* ISO C wants a declaration per file */
#endif
