/* Internal: the optimised kernels' instruction-set variants, the choice between them, and the
 * pool mean without a division. plrt_ops.h's optimised functions pick a variant at run time; the
 * tests call each variant directly (runtime/tests/ops_opt_test.c). */
#ifndef PLRT_OPT_KERNELS_H
#define PLRT_OPT_KERNELS_H

#include "plrt_fixed_point.h"
#include "plrt_ops.h"

/* The AVX2 variants are compiled by GCC and Clang for any x86 target (with target attributes,
 * so a baseline x86-64 build has them too) and run where the CPU has AVX2. */
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
#define PLRT_X86_SIMD 1
#else
#define PLRT_X86_SIMD 0
#endif

/* The Arm DSP extension's SIMD multiply-accumulate (SMLAD: two 16 x 16-bit products per
 * instruction; Cortex-M4, M7, M33, M55), chosen at compile time. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#define PLRT_ARM_DSP 1
#else
#define PLRT_ARM_DSP 0
#endif

/* Helium, the M-profile vector extension (VMLADAVA: 16 int8 products into a 32-bit sum per
 * instruction; Cortex-M55, M85), chosen at compile time before the DSP extension. */
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#define PLRT_ARM_MVE 1
#else
#define PLRT_ARM_MVE 0
#endif

/* The optimised convolutions' output tile: 4 steps x 4 output channels of int32 sums. */
#define PLRT_OPT_TILE_T 4
#define PLRT_OPT_TILE_O 4
/* int16 elements per window row of the convolutions' stack tile (4 rows x 1 KiB, 8-byte
 * aligned); a multiple of 16. */
#ifndef PLRT_OPT_CHUNK
#if PLRT_ARM_DSP
/* 992 bytes: the DSP kernel reads a row pair with LDRD at offsets up to 1020 (conv_dsp.c) */
#define PLRT_OPT_CHUNK 496
#else
#define PLRT_OPT_CHUNK 512
#endif
#endif
/* The tile of the tiled convolutions: 8-byte aligned rows (the DSP kernel reads them with LDRD),
 * on the stack of the plain entry points or in the caller's scratch (plrt_conv1d_s8_scratch). */
typedef union plrt_opt_tile {
  int16_t rows[PLRT_OPT_TILE_T][PLRT_OPT_CHUNK];
  uint64_t align;
} plrt_opt_tile;

/* Columns [j0, j0 + n) (n <= PLRT_OPT_CHUNK) of the windows of output steps t0 .. t0 + rows - 1
 * as int16 x - zx, 0 in the padding and up to the next multiple of 16; rows >= `rows` are 0.
 * plrt_opt_load_windows keeps the columns in order (the portable kernel); conv_dsp.c's loader
 * stores each group of four as [x0 x2 x1 x3] (the order of SXTB16's pairs). */
typedef void (*plrt_opt_load_fn)(const plrt_conv_params* params, const plrt_dims* in_dims,
                                 const int8_t* in, uint32_t t0, uint32_t rows, size_t j0, size_t n,
                                 int16_t tile[PLRT_OPT_TILE_T][PLRT_OPT_CHUNK]);
void plrt_opt_load_windows(const plrt_conv_params* params, const plrt_dims* in_dims,
                           const int8_t* in, uint32_t t0, uint32_t rows, size_t j0, size_t n,
                           int16_t tile[PLRT_OPT_TILE_T][PLRT_OPT_CHUNK]);
/* Requantises rows x cols sums of acc (bias added here) into out[t0 + r][o0 + o]. */
void plrt_opt_store_tile(const plrt_requant* quant, const int32_t* bias, uint32_t c_out,
                         uint32_t t0, uint32_t rows, uint32_t o0, uint32_t cols,
                         int32_t acc[PLRT_OPT_TILE_T][PLRT_OPT_TILE_O], int8_t* out);

/* The tiled convolution of ops_opt.c around a tile loader `load` (the tile's rows are 8-byte
 * aligned) and a tile product `dot`: acc[r][o] += sum_j tile[r][j] * w[o][j], j < n (the tile
 * is zero from n to the next multiple of 16). */
typedef void (*plrt_opt_dot_tile_fn)(const int16_t tile[PLRT_OPT_TILE_T][PLRT_OPT_CHUNK],
                                     const int8_t* const w[PLRT_OPT_TILE_O], size_t n,
                                     int32_t acc[PLRT_OPT_TILE_T][PLRT_OPT_TILE_O]);
void plrt_opt_conv_tiled(const plrt_conv_params* params, const plrt_requant* quant,
                         const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                         const int32_t* bias, const plrt_dims* out_dims, int8_t* out,
                         plrt_opt_load_fn load, plrt_opt_dot_tile_fn dot, plrt_opt_tile* tile);

#if PLRT_ARM_DSP
/* The DSP-extension convolution (conv_dsp.c); exact for any input. _scratch: its tile in `tile`
 * instead of on the stack. */
void plrt_conv1d_s8_dsp(const plrt_conv_params* params, const plrt_requant* quant,
                        const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                        const int32_t* bias, const plrt_dims* out_dims, int8_t* out);
void plrt_conv1d_s8_dsp_scratch(const plrt_conv_params* params, const plrt_requant* quant,
                                const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                                const int32_t* bias, const plrt_dims* out_dims, int8_t* out,
                                plrt_opt_tile* tile);
/* The DSP-extension ADD (eltwise_dsp.c): QADD8 for POW2, the portable kernel for TFLITE. */
void plrt_add_s8_dsp(const plrt_add_params* params, size_t count, const int8_t* in0,
                     const int8_t* in1, int8_t* out);
/* The DSP-extension AVGPOOL1D (pool_dsp.c), every rounding. */
void plrt_avgpool1d_s8_dsp(const plrt_pool_params* params, const plrt_dims* in_dims,
                           const int8_t* in, const plrt_dims* out_dims, int8_t* out);
#endif

#if PLRT_ARM_MVE
/* The Helium convolution (conv_mve.c); exact for any input. _scratch: its sums and padded edge
 * windows in `scratch` (4-byte aligned, _scratch_size bytes) instead of on the stack. */
void plrt_conv1d_s8_mve(const plrt_conv_params* params, const plrt_requant* quant,
                        const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                        const int32_t* bias, const plrt_dims* out_dims, int8_t* out);
size_t plrt_conv1d_s8_mve_scratch_size(const plrt_conv_params* params, const plrt_dims* in_dims,
                                       const plrt_dims* out_dims);
void plrt_conv1d_s8_mve_scratch(const plrt_conv_params* params, const plrt_requant* quant,
                                const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                                const int32_t* bias, const plrt_dims* out_dims, int8_t* out,
                                void* scratch);
/* The Helium ADD (eltwise_mve.c), both schemes. */
void plrt_add_s8_mve(const plrt_add_params* params, size_t count, const int8_t* in0,
                     const int8_t* in1, int8_t* out);
#endif
#if PLRT_ARM_MVE && (__ARM_FEATURE_MVE & 2)
#define PLRT_ARM_MVE_FLOAT 1
/* The Helium AVGPOOL1D (pool_mve.c; its division uses MVE's float lanes), every rounding. */
void plrt_avgpool1d_s8_mve(const plrt_pool_params* params, const plrt_dims* in_dims,
                           const int8_t* in, const plrt_dims* out_dims, int8_t* out);
#else
#define PLRT_ARM_MVE_FLOAT 0
#endif

/* Portable C (any compiler, vectorised by GCC and Clang at -O2/-O3): the fallback. */
void plrt_conv1d_s8_portable(const plrt_conv_params* params, const plrt_requant* quant,
                             const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                             const int32_t* bias, const plrt_dims* out_dims, int8_t* out);
void plrt_add_s8_portable(const plrt_add_params* params, size_t count, const int8_t* in0,
                          const int8_t* in1, int8_t* out);
void plrt_avgpool1d_s8_portable(const plrt_pool_params* params, const plrt_dims* in_dims,
                                const int8_t* in, const plrt_dims* out_dims, int8_t* out);
void plrt_relu_s8_portable(const plrt_relu_params* params, size_t count, const int8_t* in,
                           int8_t* out);

#if PLRT_X86_SIMD
int plrt_cpu_has_avx2(void); /* 1 if the CPU (and the OS) run AVX2 */
/* The AVX2 convolution, wide or narrow products (conv_avx2.c) as the input allows. */
void plrt_conv1d_s8_avx2(const plrt_conv_params* params, const plrt_requant* quant,
                         const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                         const int32_t* bias, const plrt_dims* out_dims, int8_t* out);
void plrt_conv1d_s8_avx2_wide(const plrt_conv_params* params, const plrt_requant* quant,
                              const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                              const int32_t* bias, const plrt_dims* out_dims, int8_t* out);
/* Only where plrt_inputs_fit_narrow(in, C_in * L_in, input zero point). */
void plrt_conv1d_s8_avx2_narrow(const plrt_conv_params* params, const plrt_requant* quant,
                                const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                                const int32_t* bias, const plrt_dims* out_dims, int8_t* out);
/* AVX-512 VNNI (VPDPBUSD), exact for any input; only where plrt_cpu_has_avx512(). */
int plrt_cpu_has_avx512(void); /* 1 if the CPU (and the OS) run AVX-512 F, BW, VL and VNNI */
void plrt_conv1d_s8_vnni(const plrt_conv_params* params, const plrt_requant* quant,
                         const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                         const int32_t* bias, const plrt_dims* out_dims, int8_t* out);
void plrt_add_s8_tflite_avx512(const plrt_add_params* params, size_t count, const int8_t* in0,
                               const int8_t* in1, int8_t* out);     /* TFLITE mode only */
int plrt_inputs_fit_narrow(const int8_t* in, size_t n, int32_t zx); /* every x - zx in [0, 127] */
void plrt_add_s8_tflite_avx2(const plrt_add_params* params, size_t count, const int8_t* in0,
                             const int8_t* in1, int8_t* out); /* TFLITE mode only */
void plrt_add_s8_pow2_avx2(const plrt_add_params* params, size_t count, const int8_t* in0,
                           const int8_t* in1, int8_t* out); /* POW2 mode only */
void plrt_relu_s8_avx2(const plrt_relu_params* params, size_t count, const int8_t* in, int8_t* out);
/* Only for a kernel of 2^L <= 128 and at least 16 channels (plrt_pool_fits_pow2_avx2). */
void plrt_avgpool1d_s8_pow2_avx2(const plrt_pool_params* params, const plrt_dims* in_dims,
                                 const int8_t* in, const plrt_dims* out_dims, int8_t* out);
static inline int plrt_pool_fits_pow2_avx2(const plrt_pool_params* params,
                                           const plrt_dims* in_dims) {
  return params->kernel <= 128 && (params->kernel & (params->kernel - 1)) == 0 &&
         in_dims->channels >= 16;
}
#endif

/* plrt_multiply_by_quantized_multiplier_fast(x, m, shift) for a shift <= 0 (the usual case)
 * with one 64-bit multiply-accumulate (SMLAL on Arm) and the rounding terms made once per
 * multiplier (plrt_opt_right_shift_make). With P = x m and r = -shift:
 *   - r = 0: (P + 2^30) >> 31, SaturatingRoundingDoublingHighMul alone.
 *   - r >= 1: TFLite rounds twice, h = floor((P + 2^30) / 2^31), then RoundingDivideByPOT
 *     floor((h + 2^(r-1) - [h < 0]) / 2^r). For integer c, floor((floor(y) + c) / 2^r) =
 *     floor((y + c) / 2^r), so both are one floor: floor((P + K) / 2^(31+r)) with
 *     K = 2^30 + 2^(30+r) - 2^31 [h < 0], i.e. the high word of P + K shifted right by r - 1.
 *     For m in [2^30, 2^31), h < 0 exactly when x < 0 but for x = -1, m = 2^30 (h = 0), and
 *     there K's sign term gives floor((2^(30+r) - 2^31) / 2^(31+r)) = 0 as well; for m = 0,
 *     P = 0 and the result is 0 with either K. So K = k + (x >> 31) 2^31, with k =
 *     2^30 + 2^(30+r): on a 32-bit Arm core ASR, ADDS + ADC (K), SMLAL and ASR, five
 *     instructions where the two roundings took about a dozen. runtime/tests/ops_opt_test.c
 *     checks it against plrt_multiply_by_quantized_multiplier on int32 edge values and at
 *     random, for every r. */
typedef struct plrt_opt_right_shift {
  int64_t k;       /* 2^30 + 2^(30+r), or 2^30 for r = 0 */
  int32_t right_1; /* r - 1, or -1 for r = 0 */
} plrt_opt_right_shift;

static inline plrt_opt_right_shift plrt_opt_right_shift_make(int32_t shift) { /* shift <= 0 */
  plrt_opt_right_shift r;
  r.right_1 = -shift - 1;
  r.k = (INT64_C(1) << 30) + (shift < 0 ? (INT64_C(1) << (30 - shift)) : 0);
  return r;
}

static inline int32_t plrt_opt_mbqm_right(int32_t x, int32_t m, const plrt_opt_right_shift* r) {
  if (r->right_1 < 0) return (int32_t)(((int64_t)x * m + r->k) >> 31);
  {
#if PLRT_ARM_DSP
    /* GCC 12 spends six instructions on K and spills around them: the five by hand */
    const uint32_t k_lo = (uint32_t)r->k, k_hi = (uint32_t)((uint64_t)r->k >> 32);
    uint32_t lo, hi, s;
    __asm__(
        "asr %[s], %[x], #31\n\t"
        "adds %[lo], %[k_lo], %[s], lsl #31\n\t"
        "adc %[hi], %[k_hi], %[s]\n\t"
        "smlal %[lo], %[hi], %[x], %[m]"
        : [lo] "=&r"(lo), [hi] "=&r"(hi), [s] "=&r"(s)
        : [x] "r"(x), [m] "r"(m), [k_lo] "r"(k_lo), [k_hi] "r"(k_hi)
        : "cc");
    (void)lo;
    return (int32_t)hi >> r->right_1;
#else
    /* K = k + (x >> 31) 2^31 as an int64: high word (x >> 31), low word (x >> 31) << 31 */
    const int32_t s = x >> 31;
    const int64_t k = r->k + (int64_t)(((uint64_t)(int64_t)s) << 31);
    return (int32_t)((uint64_t)(k + (int64_t)x * m) >> 32) >> r->right_1;
#endif
  }
}

/* plrt_pool_mean(s, n, rounding) for |s| <= 128 n, 1 <= n <= 65535, without a division. Every
 * rounding is q = floor(u / n) of some 0 <= u < 2^24:
 *   FLOOR      floor(s / n) = floor((s + 128 n) / n) - 128
 *   HALF_UP    floor((2s + n) / 2n) = floor((s + 128 n + n / 2) / n) - 128 (for odd n the extra
 *              1/2n never reaches the next integer)
 *   HALF_AWAY  s > 0: (s + n / 2) / n, else -((-s + n / 2) / n) (C's truncation mirrored)
 * q is estimated in float (within 2^-15 of u / n <= 256, so off by at most one) and corrected
 * by the exact integer remainder. No branches, so that loops over it vectorise. */
typedef struct plrt_pool_divisor {
  int32_t n, add, offset, away; /* away: -1 for HALF_AWAY and TRUNCATE (|s|, sign restored) */
  int32_t log2_n;               /* n = 2^log2_n, or -1 */
  float inverse;
} plrt_pool_divisor;

static inline plrt_pool_divisor plrt_pool_divisor_make(int32_t n, plrt_pool_rounding rounding) {
  plrt_pool_divisor d;
  d.n = n;
  d.away =
      rounding == PLRT_POOL_ROUNDING_HALF_AWAY || rounding == PLRT_POOL_ROUNDING_TRUNCATE ? -1 : 0;
  d.add = rounding == PLRT_POOL_ROUNDING_TRUNCATE ? 0
          : d.away                                ? n / 2
                   : 128 * n + (rounding == PLRT_POOL_ROUNDING_HALF_UP ? n / 2 : 0);
  d.offset = d.away ? 0 : 128;
  d.inverse = 1.0f / (float)n;
  for (d.log2_n = 0; d.log2_n < 16 && (1 << d.log2_n) != n; ++d.log2_n) {
  }
  if (d.log2_n == 16) d.log2_n = -1;
  return d;
}

static inline int32_t plrt_pool_mean_reciprocal(int32_t s, const plrt_pool_divisor* d) {
  const int32_t flip = -(int32_t)(s <= 0) & d->away; /* -1: negate s in u and the result */
  const int32_t u = ((s ^ flip) - flip) + d->add;
  const int32_t q0 = (int32_t)((float)u * d->inverse);
  const int32_t r = u - q0 * d->n;
  const int32_t q = q0 + (r >= d->n) - (r < 0);
  return ((q ^ flip) - flip) - d->offset;
}

/* The same for n = 2^log2_n: q = u >> log2_n. */
static inline int32_t plrt_pool_mean_shift(int32_t s, const plrt_pool_divisor* d) {
  const int32_t flip = -(int32_t)(s <= 0) & d->away;
  const int32_t q = (((s ^ flip) - flip) + d->add) >> d->log2_n;
  return ((q ^ flip) - flip) - d->offset;
}

#endif /* PLRT_OPT_KERNELS_H */
