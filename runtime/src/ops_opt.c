/* Optimised kernels, bit-identical to ops_ref.c (runtime/tests/ops_opt_test.c checks it): the
 * portable C versions, and the entry points of plrt_ops.h, which run the AVX2 versions
 * (conv_avx2.c, eltwise_avx2.c) instead where the CPU has AVX2, and the AVX-512 VNNI convolution
 * and AVX-512 TFLITE add where it has AVX-512 F, BW, VL and VNNI (opt_kernels.h), and on Arm
 * cores with the DSP extension the SMLAD convolution, QADD8 add and SADD16 average pool
 * (conv_dsp.c, eltwise_dsp.c, pool_dsp.c), with Helium the MVE convolution, add and average pool
 * (conv_mve.c, eltwise_mve.c, pool_mve.c; both chosen at compile time).
 *
 * Portable convolution as a tiled matrix product. In channel-last layout the kernel window of
 * output step t is one contiguous run of the input: bytes [(t - pad) * C_in, (t - pad + kernel) *
 * C_in), with positions outside [0, L_in * C_in) standing for the zero padding. So every conv (1x1
 * or k > 1) is out[t][o] = dot(window(t), w[o]) over n = kernel * C_in elements, and w[o] is
 * contiguous too ([C_out][kernel][C_in]).
 *   - A tile of TILE_T windows is copied once to the stack as int16 (x - zx, 0 in the padding),
 *     as CMSIS-NN's im2col does: the zero point and the padding then cost nothing in the inner
 *     loop, and int16 x int8 products vectorise well (pmaddwd on x86, SMLAD/VMLADAV on Arm).
 *   - Each tile is multiplied by TILE_O weight rows at a time into TILE_T x TILE_O int32
 *     accumulators: every loaded window element is used TILE_O times and every weight TILE_T
 *     times, instead of twice per multiply-accumulate in the reference.
 *   - The inner loop runs over contiguous elements with no branch, so GCC and Clang vectorise it
 *     at -O3 (GCC 12 at -O2 does not).
 * Windows longer than PLRT_OPT_CHUNK elements are processed in chunks (the accumulators persist
 * across chunks; the tile is then reloaded per weight-row block). */
#include <string.h>

#include "opt_kernels.h"
#if PLRT_ARM_DSP
#include <arm_acle.h>
#endif
#include "plrt_fixed_point.h"
#include "plrt_ops.h"

typedef char plrt_opt_chunk_is_a_multiple_of_16[PLRT_OPT_CHUNK % 16 == 0 ? 1 : -1];
#define TILE_T PLRT_OPT_TILE_T /* dot_tile is written out for 4 x 4 */
#define TILE_O PLRT_OPT_TILE_O

/* Columns [j0, j0 + n) of the windows of output steps t0 .. t0 + rows - 1, as int16 x - zx (0
 * where the window lies in the padding), then zeros up to the next multiple of 16 (n <=
 * PLRT_OPT_CHUNK, itself a multiple of 16); rows >= `rows` are zero. */
void plrt_opt_load_windows(const plrt_conv_params* params, const plrt_dims* in_dims,
                           const int8_t* in, uint32_t t0, uint32_t rows, size_t j0, size_t n,
                           int16_t tile[TILE_T][PLRT_OPT_CHUNK]) {
  const int64_t total = (int64_t)in_dims->length * in_dims->channels;
  const int16_t zx = (int16_t)params->input_zero_point;
  uint32_t r;
  for (r = 0; r < TILE_T; ++r) {
    int16_t* dst = tile[r];
    /* flat input index of column j0 */
    const int64_t first = ((int64_t)t0 + r - params->pad) * in_dims->channels + (int64_t)j0;
    int64_t lead = 0, copy = 0;
    size_t j;
    if (r < rows) {
      lead = first < 0 ? (-first < (int64_t)n ? -first : (int64_t)n) : 0;
      copy = total - (first + lead);
      if (copy > (int64_t)n - lead) copy = (int64_t)n - lead;
      if (copy < 0) copy = 0;
    }
    for (j = 0; j < (size_t)lead; ++j) dst[j] = 0;
    if (copy > 0) {
      const int8_t* src = in + (first + lead);
      int16_t* d = dst + lead;
      for (j = 0; j < (size_t)copy; ++j) d[j] = (int16_t)(src[j] - zx);
    }
    for (j = (size_t)(lead + copy); j < ((n + 15u) & ~(size_t)15u); ++j) dst[j] = 0;
  }
}

/* One step j of the 4 x 4 tile: four window elements times four weights into 16 sums. Written
 * out, not as loops over r and o, so that the loop over j is the innermost one at -O2 too (GCC
 * fully unrolls small loops only at -O3). */
#define PLRT_MAC_4X4(j)                                                     \
  do {                                                                      \
    const int32_t x0j = x0[j], x1j = x1[j], x2j = x2[j], x3j = x3[j];       \
    const int32_t w0j = w0[j], w1j = w1[j], w2j = w2[j], w3j = w3[j];       \
    a00 += x0j * w0j, a01 += x0j * w1j, a02 += x0j * w2j, a03 += x0j * w3j; \
    a10 += x1j * w0j, a11 += x1j * w1j, a12 += x1j * w2j, a13 += x1j * w3j; \
    a20 += x2j * w0j, a21 += x2j * w1j, a22 += x2j * w2j, a23 += x2j * w3j; \
    a30 += x3j * w0j, a31 += x3j * w1j, a32 += x3j * w2j, a33 += x3j * w3j; \
  } while (0)

/* acc[r][o] += sum_j tile[r][j] * w[o][j], j < n: the hot loop. It runs over multiples of 16
 * elements, which GCC vectorises even at -O2 (its cheapest cost model refuses loops that would
 * need a scalar epilogue): the bulk in place, then the last n % 16 weights of each row copied to
 * a zero-padded 16-byte block (the tile is zero there already), so that no row is read past its
 * end. */
static void dot_tile(const int16_t tile[TILE_T][PLRT_OPT_CHUNK], const int8_t* const w[TILE_O],
                     size_t n, int32_t acc[TILE_T][TILE_O]) {
  const int16_t *x0 = tile[0], *x1 = tile[1], *x2 = tile[2], *x3 = tile[3];
  const int8_t *w0 = w[0], *w1 = w[1], *w2 = w[2], *w3 = w[3];
  const size_t bulk = n & ~(size_t)15;
  int32_t a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
  int32_t a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
  size_t j;
  for (j = 0; j < bulk; ++j) PLRT_MAC_4X4(j);
  if (bulk < n) {
    int8_t tail[TILE_O][16];
    int o;
    memset(tail, 0, sizeof tail);
    for (o = 0; o < TILE_O; ++o) memcpy(tail[o], w[o] + bulk, n - bulk);
    x0 += bulk, x1 += bulk, x2 += bulk, x3 += bulk;
    w0 = tail[0], w1 = tail[1], w2 = tail[2], w3 = tail[3];
    for (j = 0; j < 16; ++j) PLRT_MAC_4X4(j);
  }
  acc[0][0] += a00, acc[0][1] += a01, acc[0][2] += a02, acc[0][3] += a03;
  acc[1][0] += a10, acc[1][1] += a11, acc[1][2] += a12, acc[1][3] += a13;
  acc[2][0] += a20, acc[2][1] += a21, acc[2][2] += a22, acc[2][3] += a23;
  acc[3][0] += a30, acc[3][1] += a31, acc[3][2] += a32, acc[3][3] += a33;
}

/* x clamped to [lo, hi] (lo <= hi) */
static inline int32_t clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  x = x < lo ? lo : x;
  return x > hi ? hi : x;
}

/* a + b saturated to int32 (the reference adds in int64 and saturates): one QADD on the DSP
 * extension, else overflow exactly when a and b share a sign that the wrapped sum lacks. */
static inline int32_t saturating_add_i32(int32_t a, int32_t b) {
#if PLRT_ARM_DSP
  return __qadd(a, b);
#else
  const int32_t s = (int32_t)((uint32_t)a + (uint32_t)b);
  return ((a ^ s) & (b ^ s)) < 0 ? (a < 0 ? INT32_MIN : INT32_MAX) : s;
#endif
}

/* Requantises and stores a rows x cols block of accumulators, one output channel at a time so
 * that its bias, multiplier and shift are read once per block. Shared with conv_dsp.c.
 * All in int32 (a 32-bit core pays 2-4 instructions for each int64 add, shift and compare):
 *   - the output zero point zy is added after the clamp, to [lo - zy, hi - zy] (no overflow,
 *     and clamp(q + zy, lo, hi) = clamp(q, lo - zy, hi - zy) + zy);
 *   - POW2 with r > 0: floor((v + 2^(r-1)) / 2^r) = (v >> r) + bit r - 1 of v (v = q 2^r + m:
 *     adding 2^(r-1) carries into q exactly when m >= 2^(r-1)), which cannot overflow;
 *   - POW2 with r <= 0 (a left shift by at most 8): v saturated to +-2^22 first, which changes
 *     no clamped result (|v 2^-r| >= 2^22 lies outside [-256, 255] either way) and fits int32. */
/* The POW2 and the usual TFLITE (shift <= 0) requantisation of one column of a block: rows
 * outputs of channel o, c_out apart. Inlined with rows = TILE_T (the common case) so that the
 * loop unrolls. */
static inline void store_pow2_right(int32_t acc[PLRT_OPT_TILE_T][PLRT_OPT_TILE_O], uint32_t o,
                                    uint32_t rows, int32_t b, int32_t shift, int32_t lo, int32_t hi,
                                    int32_t zy, int8_t* y, uint32_t c_out) {
  const int32_t half = shift - 1;
  uint32_t r;
  for (r = 0; r < rows; ++r, y += c_out) {
    const int32_t v = acc[r][o] + b;
    *y = (int8_t)(clamp_i32((v >> shift) + ((v >> half) & 1), lo, hi) + zy);
  }
}

static inline void store_tflite_right(int32_t acc[PLRT_OPT_TILE_T][PLRT_OPT_TILE_O], uint32_t o,
                                      uint32_t rows, int32_t b, int32_t m,
                                      const plrt_opt_right_shift* rs, int32_t lo, int32_t hi,
                                      int32_t zy, int8_t* y, uint32_t c_out) {
  uint32_t r;
  for (r = 0; r < rows; ++r, y += c_out) {
    *y = (int8_t)(clamp_i32(plrt_opt_mbqm_right(acc[r][o] + b, m, rs), lo, hi) + zy);
  }
}

/* store_tflite_right for the two usual activation ranges, on the DSP extension: all of int8
 * (no activation) as SSAT #8 of q + zy, [0, 127] (a ReLU with zy = 0) as USAT #7; one
 * instruction where the clamp's two compares and the add took about seven. q + zy cannot wrap
 * (|q| <= 2^30). */
typedef enum store_clamp { CLAMP_ANY, CLAMP_INT8, CLAMP_RELU7 } store_clamp;

static store_clamp store_clamp_of(const plrt_requant* quant) {
#if PLRT_ARM_DSP
  if (quant->act_min == -128 && quant->act_max == 127) return CLAMP_INT8;
  if (quant->act_min == 0 && quant->act_max == 127) return CLAMP_RELU7;
#else
  (void)quant;
#endif
  return CLAMP_ANY;
}

static inline void store_tflite_saturate(int32_t acc[PLRT_OPT_TILE_T][PLRT_OPT_TILE_O], uint32_t o,
                                         int32_t b, int32_t m, const plrt_opt_right_shift* rs,
                                         store_clamp kind, int32_t zy, int8_t* y, uint32_t c_out) {
#if PLRT_ARM_DSP
  uint32_t r;
  for (r = 0; r < TILE_T; ++r, y += c_out) {
    const int32_t v = plrt_opt_mbqm_right(acc[r][o] + b, m, rs) + zy;
    *y = (int8_t)(kind == CLAMP_INT8 ? __ssat(v, 8) : __usat(v, 7));
  }
#else
  (void)acc, (void)o, (void)b, (void)m, (void)rs, (void)kind, (void)zy, (void)y, (void)c_out;
#endif
}

void plrt_opt_store_tile(const plrt_requant* quant, const int32_t* bias, uint32_t c_out,
                         uint32_t t0, uint32_t rows, uint32_t o0, uint32_t cols,
                         int32_t acc[PLRT_OPT_TILE_T][PLRT_OPT_TILE_O], int8_t* out) {
  const int32_t zy = quant->output_zero_point;
  const int32_t lo = quant->act_min - zy, hi = quant->act_max - zy;
  const int32_t* const shifts = quant->shift + o0;
  const int32_t* const biases = bias != NULL ? bias + o0 : NULL;
  int8_t* const y = out + (size_t)t0 * c_out + o0;
  uint32_t r, o;
  store_clamp kind;
  if (quant->mode == PLRT_REQUANT_POW2) { /* the scheme's test once per block */
    for (o = 0; o < cols; ++o) {
      const int32_t b = biases != NULL ? biases[o] : 0, shift = shifts[o];
      int8_t* yo = y + o;
      if (shift > 0 && rows == TILE_T) {
        store_pow2_right(acc, o, TILE_T, b, shift, lo, hi, zy, yo, c_out);
      } else if (shift > 0) {
        store_pow2_right(acc, o, rows, b, shift, lo, hi, zy, yo, c_out);
      } else { /* shift in [-8, 0] (verify.c) */
        const int32_t left = -shift, limit = INT32_C(1) << 22;
        for (r = 0; r < rows; ++r, yo += c_out) {
          const int32_t v = clamp_i32(acc[r][o] + b, -limit, limit);
          *yo = (int8_t)(clamp_i32((int32_t)((uint32_t)v << left), lo, hi) + zy);
        }
      }
    }
    return;
  }
  kind = rows == TILE_T ? store_clamp_of(quant) : CLAMP_ANY;
  for (o = 0; o < cols; ++o) {
    const int32_t b = biases != NULL ? biases[o] : 0, shift = shifts[o];
    const int32_t m = quant->multiplier[o0 + o];
    int8_t* yo = y + o;
    if (shift <= 0) { /* the usual case, in a few instructions per output */
      const plrt_opt_right_shift rs = plrt_opt_right_shift_make(shift);
      if (kind == CLAMP_INT8) {
        store_tflite_saturate(acc, o, b, m, &rs, CLAMP_INT8, zy, yo, c_out);
      } else if (kind == CLAMP_RELU7) {
        store_tflite_saturate(acc, o, b, m, &rs, CLAMP_RELU7, zy, yo, c_out);
      } else if (rows == TILE_T) {
        store_tflite_right(acc, o, TILE_T, b, m, &rs, lo, hi, zy, yo, c_out);
      } else {
        store_tflite_right(acc, o, rows, b, m, &rs, lo, hi, zy, yo, c_out);
      }
    } else {
      for (r = 0; r < rows; ++r, yo += c_out) {
        *yo =
            (int8_t)(clamp_i32(plrt_multiply_by_quantized_multiplier_fast(acc[r][o] + b, m, shift),
                               lo, hi) +
                     zy);
      }
    }
  }
}

void plrt_opt_conv_tiled(const plrt_conv_params* params, const plrt_requant* quant,
                         const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                         const int32_t* bias, const plrt_dims* out_dims, int8_t* out,
                         plrt_opt_load_fn load, plrt_opt_dot_tile_fn dot, plrt_opt_tile* tile) {
  const size_t n = (size_t)params->kernel * in_dims->channels; /* window length */
  const uint32_t c_out = out_dims->channels;
  const int chunked = n > PLRT_OPT_CHUNK;
  uint32_t t0, o0;
  for (t0 = 0; t0 < out_dims->length; t0 += TILE_T) {
    const uint32_t rows = out_dims->length - t0 < TILE_T ? out_dims->length - t0 : TILE_T;
    if (!chunked) load(params, in_dims, in, t0, rows, 0, n, tile->rows);
    for (o0 = 0; o0 < c_out; o0 += TILE_O) {
      const uint32_t cols = c_out - o0 < TILE_O ? c_out - o0 : TILE_O;
      int32_t acc[TILE_T][TILE_O] = {{0}};
      const int8_t* w[TILE_O];
      size_t j0;
      uint32_t o;
      for (j0 = 0; j0 < n; j0 += PLRT_OPT_CHUNK) {
        const size_t len = n - j0 < PLRT_OPT_CHUNK ? n - j0 : PLRT_OPT_CHUNK;
        if (chunked) load(params, in_dims, in, t0, rows, j0, len, tile->rows);
        /* a partial block repeats its last row; the extra sums are not stored */
        for (o = 0; o < TILE_O; ++o)
          w[o] = weights + (size_t)(o0 + (o < cols ? o : cols - 1)) * n + j0;
        dot((const int16_t(*)[PLRT_OPT_CHUNK])tile->rows, w, len, acc);
      }
      plrt_opt_store_tile(quant, bias, c_out, t0, rows, o0, cols, acc, out);
    }
  }
}

void plrt_conv1d_s8_portable(const plrt_conv_params* params, const plrt_requant* quant,
                             const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                             const int32_t* bias, const plrt_dims* out_dims, int8_t* out) {
  plrt_opt_tile tile;
  plrt_opt_conv_tiled(params, quant, in_dims, in, weights, bias, out_dims, out,
                      plrt_opt_load_windows, dot_tile, &tile);
}

/* Scratch: the variant plrt_conv1d_s8 runs here, with its buffers in the caller's memory
 * (8-byte aligned by plrt_conv1d_s8_scratch) instead of on the stack. The x86 SIMD kernels keep
 * their small stack blocks and take none. */
#define SCRATCH_ALIGN 8u

size_t plrt_conv1d_s8_scratch_size(const plrt_conv_params* params, const plrt_dims* in_dims,
                                   const plrt_dims* out_dims) {
#if PLRT_ARM_MVE
  return plrt_conv1d_s8_mve_scratch_size(params, in_dims, out_dims) + SCRATCH_ALIGN - 1;
#endif
#if PLRT_X86_SIMD
  if (plrt_cpu_has_avx512() || plrt_cpu_has_avx2()) return 0;
#endif
  (void)params, (void)in_dims, (void)out_dims;
  return sizeof(plrt_opt_tile) + SCRATCH_ALIGN - 1;
}

void plrt_conv1d_s8_scratch(const plrt_conv_params* params, const plrt_requant* quant,
                            const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                            const int32_t* bias, const plrt_dims* out_dims, int8_t* out,
                            void* scratch) {
  void* const aligned =
      (void*)(((uintptr_t)scratch + (SCRATCH_ALIGN - 1)) & ~(uintptr_t)(SCRATCH_ALIGN - 1));
#if PLRT_ARM_MVE
  plrt_conv1d_s8_mve_scratch(params, quant, in_dims, in, weights, bias, out_dims, out, aligned);
  return;
#elif PLRT_ARM_DSP
  plrt_conv1d_s8_dsp_scratch(params, quant, in_dims, in, weights, bias, out_dims, out,
                             (plrt_opt_tile*)aligned);
  return;
#endif
#if PLRT_X86_SIMD
  if (plrt_cpu_has_avx512() || plrt_cpu_has_avx2()) {
    plrt_conv1d_s8(params, quant, in_dims, in, weights, bias, out_dims, out);
    return;
  }
#endif
  plrt_opt_conv_tiled(params, quant, in_dims, in, weights, bias, out_dims, out,
                      plrt_opt_load_windows, dot_tile, (plrt_opt_tile*)aligned);
}

void plrt_conv1d_s8(const plrt_conv_params* params, const plrt_requant* quant,
                    const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                    const int32_t* bias, const plrt_dims* out_dims, int8_t* out) {
#if PLRT_ARM_MVE
  plrt_conv1d_s8_mve(params, quant, in_dims, in, weights, bias, out_dims, out);
  return;
#elif PLRT_ARM_DSP
  plrt_conv1d_s8_dsp(params, quant, in_dims, in, weights, bias, out_dims, out);
  return;
#endif
#if PLRT_X86_SIMD
  if (plrt_cpu_has_avx512()) {
    plrt_conv1d_s8_vnni(params, quant, in_dims, in, weights, bias, out_dims, out);
    return;
  }
  if (plrt_cpu_has_avx2()) {
    plrt_conv1d_s8_avx2(params, quant, in_dims, in, weights, bias, out_dims, out);
    return;
  }
#endif
  plrt_conv1d_s8_portable(params, quant, in_dims, in, weights, bias, out_dims, out);
}

/* The 1x1 case needs nothing special: its windows are the input rows (no padding). */
void plrt_pointwise_conv_s8(const plrt_conv_params* params, const plrt_requant* quant,
                            const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                            const int32_t* bias, const plrt_dims* out_dims, int8_t* out) {
  plrt_conv1d_s8(params, quant, in_dims, in, weights, bias, out_dims, out);
}

#define POOL_CHANNELS 256 /* channel block of the pooling sums */

/* clamp(plrt_pool_mean(...)) of a block of sums without a division (opt_kernels.h), so that it
 * vectorises; a kernel that is a power of two divides by a shift. */
static void pool_means(const int32_t* sums, size_t width, const plrt_pool_divisor* d,
                       int32_t act_min, int32_t act_max, int8_t* out) {
  size_t c;
  if (d->log2_n >= 0) {
    for (c = 0; c < width; ++c) {
      const int32_t v = plrt_pool_mean_shift(sums[c], d);
      out[c] = (int8_t)(v < act_min ? act_min : (v > act_max ? act_max : v));
    }
  } else {
    for (c = 0; c < width; ++c) {
      const int32_t v = plrt_pool_mean_reciprocal(sums[c], d);
      out[c] = (int8_t)(v < act_min ? act_min : (v > act_max ? act_max : v));
    }
  }
}

/* Sums a block of channels over the kernel rows (contiguous, vectorised), then divides. */
void plrt_avgpool1d_s8_portable(const plrt_pool_params* params, const plrt_dims* in_dims,
                                const int8_t* in, const plrt_dims* out_dims, int8_t* out) {
  const size_t channels = in_dims->channels;
  const plrt_pool_divisor divisor =
      plrt_pool_divisor_make((int32_t)params->kernel, params->rounding);
  size_t t, c0, c, k;
  for (t = 0; t < out_dims->length; ++t) {
    const int8_t* window = in + t * params->stride * channels;
    for (c0 = 0; c0 < channels; c0 += POOL_CHANNELS) {
      const size_t width = channels - c0 < POOL_CHANNELS ? channels - c0 : POOL_CHANNELS;
      int32_t sums[POOL_CHANNELS];
      for (c = 0; c < width; ++c) sums[c] = window[c0 + c];
      for (k = 1; k < params->kernel; ++k) {
        const int8_t* row = window + k * channels + c0;
        for (c = 0; c < width; ++c) sums[c] += row[c];
      }
      pool_means(sums, width, &divisor, params->act_min, params->act_max, out + t * channels + c0);
    }
  }
}

void plrt_avgpool1d_s8(const plrt_pool_params* params, const plrt_dims* in_dims, const int8_t* in,
                       const plrt_dims* out_dims, int8_t* out) {
#if PLRT_ARM_MVE_FLOAT
  plrt_avgpool1d_s8_mve(params, in_dims, in, out_dims, out);
  return;
#elif PLRT_ARM_DSP
  plrt_avgpool1d_s8_dsp(params, in_dims, in, out_dims, out);
  return;
#endif
#if PLRT_X86_SIMD
  if (plrt_pool_fits_pow2_avx2(params, in_dims) && plrt_cpu_has_avx2()) {
    plrt_avgpool1d_s8_pow2_avx2(params, in_dims, in, out_dims, out);
    return;
  }
#endif
  plrt_avgpool1d_s8_portable(params, in_dims, in, out_dims, out);
}

/* POW2 is a saturating int8 add (in int16, which vectorises). TFLITE rescales each input
 * through a 256-entry table of its MBQM (a function of the int8 value alone), leaving one MBQM
 * (the short form) per element. */
void plrt_add_s8_portable(const plrt_add_params* params, size_t count, const int8_t* in0,
                          const int8_t* in1, int8_t* out) {
  size_t i;
  if (params->mode == PLRT_REQUANT_POW2) {
    const int16_t lo = (int16_t)params->act_min, hi = (int16_t)params->act_max;
    for (i = 0; i < count; ++i) {
      int16_t s = (int16_t)(in0[i] + in1[i]);
      s = s < lo ? lo : s;
      out[i] = (int8_t)(s > hi ? hi : s);
    }
  } else {
    int32_t table[2][256];
    int32_t q, side;
    for (side = 0; side < 2; ++side) { /* the short forms, equal to the reference's MBQM */
      const int32_t m = params->multiplier[side], shift = params->shift[side];
      const plrt_opt_right_shift rs = plrt_opt_right_shift_make(shift <= 0 ? shift : 0);
      for (q = -128; q < 128; ++q) {
        const int32_t x = (q - params->input_zero_point[side]) * (1 << params->left_shift);
        table[side][q + 128] = shift <= 0 ? plrt_opt_mbqm_right(x, m, &rs)
                                          : plrt_multiply_by_quantized_multiplier_fast(x, m, shift);
      }
    }
    if (params->shift[2] <= 0) { /* the usual case: the int32 form of the output rescale */
      const int32_t m = params->multiplier[2], zy = params->output_zero_point;
      const plrt_opt_right_shift rs = plrt_opt_right_shift_make(params->shift[2]);
      const int32_t lo = params->act_min - zy, hi = params->act_max - zy;
      for (i = 0; i < count; ++i) { /* int32 only: see plrt_opt_store_tile */
        const int32_t sum = saturating_add_i32(table[0][in0[i] + 128], table[1][in1[i] + 128]);
        out[i] = (int8_t)(clamp_i32(plrt_opt_mbqm_right(sum, m, &rs), lo, hi) + zy);
      }
      return;
    }
    for (i = 0; i < count; ++i) {
      const int64_t sum = (int64_t)table[0][in0[i] + 128] + table[1][in1[i] + 128];
      out[i] = plrt_clamp_i8((int64_t)plrt_multiply_by_quantized_multiplier_fast(
                                 plrt_saturate_i32(sum), params->multiplier[2], params->shift[2]) +
                                 params->output_zero_point,
                             params->act_min, params->act_max);
    }
  }
}

void plrt_add_s8(const plrt_add_params* params, size_t count, const int8_t* in0, const int8_t* in1,
                 int8_t* out) {
#if PLRT_ARM_MVE
  plrt_add_s8_mve(params, count, in0, in1, out);
  return;
#elif PLRT_ARM_DSP
  plrt_add_s8_dsp(params, count, in0, in1, out);
  return;
#endif
#if PLRT_X86_SIMD
  if (params->mode == PLRT_REQUANT_TFLITE && plrt_cpu_has_avx512()) {
    plrt_add_s8_tflite_avx512(params, count, in0, in1, out);
    return;
  }
  if (plrt_cpu_has_avx2()) {
    (params->mode == PLRT_REQUANT_TFLITE ? plrt_add_s8_tflite_avx2 : plrt_add_s8_pow2_avx2)(
        params, count, in0, in1, out);
    return;
  }
#endif
  plrt_add_s8_portable(params, count, in0, in1, out);
}

/* n bytes, with memcpy calls of constant sizes only (which compilers inline as moves): a
 * CONCAT row is often a few dozen bytes, where a library call per row would dominate. */
static void copy_bytes(int8_t* dst, const int8_t* src, size_t n) {
  for (; n >= 32; n -= 32, dst += 32, src += 32) memcpy(dst, src, 32);
  if (n & 16) memcpy(dst, src, 16), dst += 16, src += 16;
  if (n & 8) memcpy(dst, src, 8), dst += 8, src += 8;
  if (n & 4) memcpy(dst, src, 4), dst += 4, src += 4;
  if (n & 2) memcpy(dst, src, 2), dst += 2, src += 2;
  if (n & 1) *dst = *src;
}

/* One row copy per input per time step (channel-last rows). */
void plrt_concat_s8(uint32_t n_inputs, const plrt_dims* in_dims, const int8_t* const* in,
                    const plrt_dims* out_dims, int8_t* out) {
  size_t t;
  uint32_t i;
  for (t = 0; t < out_dims->length; ++t) {
    int8_t* dst = out + t * out_dims->channels;
    for (i = 0; i < n_inputs; ++i) {
      copy_bytes(dst, in[i] + t * in_dims[i].channels, in_dims[i].channels);
      dst += in_dims[i].channels;
    }
  }
}

/* max(x, zero_point) then the clamp fold into one int8 clamp to [max(zp, act_min), act_max]
 * (or the single value act_max when that range is empty), which vectorises. */
void plrt_relu_s8_portable(const plrt_relu_params* params, size_t count, const int8_t* in,
                           int8_t* out) {
  const int32_t floor_value =
      params->zero_point > params->act_min ? params->zero_point : params->act_min;
  const int8_t hi = (int8_t)params->act_max;
  const int8_t lo = (int8_t)(floor_value < params->act_max ? floor_value : params->act_max);
  size_t i;
  for (i = 0; i < count; ++i) {
    const int8_t x = in[i] > lo ? in[i] : lo;
    out[i] = x < hi ? x : hi;
  }
}

void plrt_relu_s8(const plrt_relu_params* params, size_t count, const int8_t* in, int8_t* out) {
#if PLRT_X86_SIMD
  if (plrt_cpu_has_avx2()) {
    plrt_relu_s8_avx2(params, count, in, out);
    return;
  }
#endif
  plrt_relu_s8_portable(params, count, in, out);
}
