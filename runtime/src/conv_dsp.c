/* The convolution on the Arm DSP extension (Cortex-M4, M7, M33, M55; compiled where the compiler
 * defines __ARM_FEATURE_DSP), bit-identical to ops_ref.c (runtime/tests/ops_opt_test.c checks
 * it on the emulated cores).
 *
 * The same tiled matrix product as the portable kernel (ops_opt.c): a tile of 4 windows as
 * int16 x - zx (zero point and padding then cost nothing in the inner loop), multiplied by 4
 * weight rows at a time into 4 x 4 int32 sums, requantised by the shared store. The inner loop
 * uses SMLAD, two 16 x 16-bit products added to a 32-bit sum in one instruction:
 *   - a weight word w = [w0 w1 w2 w3] (int8) widens to two int16 pairs with SXTB16: [w0 w2] and
 *     (rotated by 8) [w1 w3]; two instructions for four weights, shared by two windows;
 *   - so each group of four window elements is stored as [x0 x2 x1 x3] (one pass over the tile
 *     after loading it), and the pairs line up with those of the weights.
 * Per four elements of a 2 x 2 block: 2 weight loads, 4 SXTB16, 4 window loads, 8 SMLAD for 16
 * multiply-accumulates. SMLAD wraps modulo 2^32 as the reference's int32 sum does (it only
 * sets the Q flag). */
#include "opt_kernels.h"

#if PLRT_ARM_DSP

#include <arm_acle.h>
#include <string.h>

#define TILE_T PLRT_OPT_TILE_T
#define TILE_O PLRT_OPT_TILE_O

static inline uint32_t load_u32(const void* p) { /* unaligned-safe: one LDR on v7E-M */
  uint32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* SXTB16 of v rotated by 8 in one instruction: GCC 12 neither has ACLE's __ror nor folds a
 * rotate into SXTB16's operand. */
static inline int16x2_t sxtb16_ror8(uint32_t v) {
  int16x2_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
}

/* Four int16 of the tile, which is 8-byte aligned with rows of a multiple of 8 bytes
 * (ops_opt.c): one LDRD. */
typedef uint64_t __attribute__((may_alias, aligned(8))) tile_group;

/* a[0..3] += dot over n4 groups of four of windows x0 and x0 + PLRT_OPT_CHUNK (two tile rows,
 * reordered) and weight rows w0, w1: a = {x0.w0, x0.w1, x1.w0, x1.w1}. The second window is
 * addressed at a constant offset from the first (992 bytes, within LDRD's reach) so that no
 * register holds its pointer: per group 2 weight loads, 4 SXTB16, 2 LDRD, 8 SMLAD. */
static void dot_2x2(const int16_t* x0, const int8_t* w0, const int8_t* w1, size_t n4,
                    int32_t a[4]) {
  int32_t a00 = a[0], a01 = a[1], a10 = a[2], a11 = a[3];
  const tile_group* x = (const tile_group*)(const void*)x0;
  const tile_group* const x_end = x + n4;
  for (; x != x_end; w0 += 4, w1 += 4, ++x) {
    const uint32_t wa = load_u32(w0), wb = load_u32(w1);
    const int16x2_t w0e = __sxtb16(wa), w0o = sxtb16_ror8(wa);
    const int16x2_t w1e = __sxtb16(wb), w1o = sxtb16_ror8(wb);
    const uint64_t g0 = x[0], g1 = x[PLRT_OPT_CHUNK / 4];
    const int16x2_t x0e = (int16x2_t)(uint32_t)g0, x0o = (int16x2_t)(uint32_t)(g0 >> 32);
    const int16x2_t x1e = (int16x2_t)(uint32_t)g1, x1o = (int16x2_t)(uint32_t)(g1 >> 32);
    a00 = __smlad(x0e, w0e, a00), a00 = __smlad(x0o, w0o, a00);
    a01 = __smlad(x0e, w1e, a01), a01 = __smlad(x0o, w1o, a01);
    a10 = __smlad(x1e, w0e, a10), a10 = __smlad(x1o, w0o, a10);
    a11 = __smlad(x1e, w1e, a11), a11 = __smlad(x1o, w1o, a11);
  }
  a[0] = a00, a[1] = a01, a[2] = a10, a[3] = a11;
}

/* acc[r][o] += sum_j tile[r][j] * w[o][j], j < n: whole groups of four in place, the last n % 4
 * weights of each row through a zero-padded copy (the tile is zero there already). */
static void dot_tile(const int16_t tile[TILE_T][PLRT_OPT_CHUNK], const int8_t* const w[TILE_O],
                     size_t n, int32_t acc[TILE_T][TILE_O]) {
  const size_t n4 = n / 4, rest = n % 4;
  int8_t tail[TILE_O][4];
  const int8_t* wt[TILE_O];
  int r, o;
  for (o = 0; rest && o < TILE_O; ++o) { /* byte by byte: a library call per row costs more */
    size_t j;
    for (j = 0; j < 4; ++j) tail[o][j] = j < rest ? w[o][4 * n4 + j] : 0;
    wt[o] = tail[o];
  }
  for (r = 0; r < TILE_T; r += 2) {
    for (o = 0; o < TILE_O; o += 2) {
      int32_t a[4];
      a[0] = acc[r][o], a[1] = acc[r][o + 1], a[2] = acc[r + 1][o], a[3] = acc[r + 1][o + 1];
      dot_2x2(tile[r], w[o], w[o + 1], n4, a);
      if (rest) { /* the last, partial group of four */
        dot_2x2(tile[r] + 4 * n4, wt[o], wt[o + 1], 1, a);
      }
      acc[r][o] = a[0], acc[r][o + 1] = a[1], acc[r + 1][o] = a[2], acc[r + 1][o + 1] = a[3];
    }
  }
}

void plrt_conv1d_s8_dsp(const plrt_conv_params* params, const plrt_requant* quant,
                        const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                        const int32_t* bias, const plrt_dims* out_dims, int8_t* out) {
  plrt_opt_conv_tiled(params, quant, in_dims, in, weights, bias, out_dims, out, dot_tile, 1);
}

#else
typedef int plrt_conv_dsp_is_empty_here; /* ISO C: a translation unit needs a declaration */
#endif
