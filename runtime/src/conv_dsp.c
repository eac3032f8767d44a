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

#include <stddef.h>
#include <string.h>

#include "simd_dsp.h"

#define TILE_T PLRT_OPT_TILE_T
#define TILE_O PLRT_OPT_TILE_O

/* a[0..3] += dot over n4 groups of four of windows x0 and x0 + PLRT_OPT_CHUNK (two tile rows,
 * reordered) and weight rows w0, w1: a = {x0.w0, x0.w1, x1.w0, x1.w1}. In assembly, because
 * the loop needs 14 registers at once (4 sums, 3 pointers, a count, 4 window pairs, 2 weight
 * pairs), which GCC 12 does not find: it keeps the second window's pair in one register and
 * reloads it, and compares against an end pointer, 20 instructions per group. Here a group is
 *   2 LDRD (both windows' four int16; the second at a constant 992-byte offset, within LDRD's
 *   reach, so that no register holds its pointer), per weight row 1 LDR + 2 SXTB16 (the pairs
 *   [w0 w2], [w1 w3]) + 4 SMLAD: 16 instructions for 16 multiply-accumulates,
 * and the loop runs two groups per count (an odd first group peeled), so 17 per group in all.
 * AAPCS: r0 x0, r1 w0, r2 w1, r3 n4, a on the stack; saves r4-r11 and returns through pc. */
#define PLRT_DSP_STR2(x) #x
#define PLRT_DSP_STR(x) PLRT_DSP_STR2(x)
#define PLRT_DSP_GROUP \
  "ldrd r10, r11, [r0, #(" PLRT_DSP_STR(PLRT_OPT_CHUNK) " * 2)]\n" \
  "ldrd r8, r9, [r0], #8\n"                          \
  "ldr lr, [r1], #4\n"                               \
  "sxtb16 r12, lr\n"                                 \
  "sxtb16 lr, lr, ror #8\n"                          \
  "smlad r4, r8, r12, r4\n"                          \
  "smlad r4, r9, lr, r4\n"                           \
  "smlad r6, r10, r12, r6\n"                         \
  "smlad r6, r11, lr, r6\n"                          \
  "ldr lr, [r2], #4\n"                               \
  "sxtb16 r12, lr\n"                                 \
  "sxtb16 lr, lr, ror #8\n"                          \
  "smlad r5, r8, r12, r5\n"                          \
  "smlad r5, r9, lr, r5\n"                           \
  "smlad r7, r10, r12, r7\n"                         \
  "smlad r7, r11, lr, r7\n"

#define UNUSED __attribute__((unused)) /* read by the assembly, not by C */
__attribute__((naked, noinline)) static void dot_2x2(UNUSED const int16_t* x0,
                                                     UNUSED const int8_t* w0,
                                                     UNUSED const int8_t* w1, UNUSED size_t n4,
                                                     UNUSED int32_t a[4]) {
  __asm__(
      "push {r4-r11, lr}\n"
      "ldr r12, [sp, #36]\n" /* a: the fifth argument, above the 9 saved registers */
      "ldm r12, {r4-r7}\n"
      "lsrs r3, r3, #1\n" /* pairs of groups (Z: none); the carry: an odd group first */
      "bcc 1f\n" PLRT_DSP_GROUP
      "1:\n"
      "beq 3f\n" /* a group leaves the flags alone (SMLAD sets only Q) */
      "2:\n" PLRT_DSP_GROUP PLRT_DSP_GROUP
      "subs r3, r3, #1\n"
      "bne 2b\n"
      "3:\n"
      "ldr r12, [sp, #36]\n"
      "stm r12, {r4-r7}\n"
      "pop {r4-r11, pc}\n");
}

typedef uint32_t __attribute__((may_alias)) tile_word; /* two int16 of the tile */

/* Tile elements j in [from, to) of a row whose input lies in columns [lead, end), column j at
 * src[j - lead] (0 elsewhere), element by element, each at its place in the pair order (bits 0 and
 * 1 of j swapped). */
static void load_elements(int16_t* dst, const int8_t* src, int32_t zx, size_t from, size_t to,
                          size_t lead, size_t end) {
  size_t j;
  for (j = from; j < to; ++j) {
    dst[(j & ~(size_t)3) | ((j & 1) << 1) | ((j >> 1) & 1)] =
        (int16_t)(j >= lead && j < end ? src[j - lead] - zx : 0);
  }
}

/* plrt_opt_load_windows's tile in the pair order straight from the int8 input: per group of
 * four inside the input, one LDR, SXTB16 and SXTB16 rotated by 8 (the pairs [x0 x2], [x1 x3]),
 * two SSUB16 of [zx zx] (|x - zx| <= 255: exact), one STRD; the group or two that straddle the
 * padding, and the zeros after, element by element. */
static void load_windows_pairs(const plrt_conv_params* params, const plrt_dims* in_dims,
                               const int8_t* in, uint32_t t0, uint32_t rows, size_t j0, size_t n,
                               int16_t tile[TILE_T][PLRT_OPT_CHUNK]) {
  const int64_t total = (int64_t)in_dims->length * in_dims->channels;
  const int32_t zx = params->input_zero_point;
  const int16x2_t zz = (int16x2_t)((uint32_t)(uint16_t)zx * 0x10001u);
  const size_t padded = (n + 15u) & ~(size_t)15u;
  uint32_t r;
  for (r = 0; r < TILE_T; ++r) {
    int16_t* dst = tile[r];
    /* flat input index of column j0 */
    const int64_t first = ((int64_t)t0 + r - params->pad) * in_dims->channels + (int64_t)j0;
    int64_t lead = 0, copy = 0;
    size_t g0, g1;
    const int8_t* src;
    if (r < rows) {
      lead = first < 0 ? (-first < (int64_t)n ? -first : (int64_t)n) : 0;
      copy = total - (first + lead);
      if (copy > (int64_t)n - lead) copy = (int64_t)n - lead;
      if (copy < 0) copy = 0;
    }
    /* whole groups inside the input: [4 g0, 4 g1) */
    g0 = ((size_t)lead + 3) / 4, g1 = (size_t)(lead + copy) / 4;
    src = copy > 0 ? in + (first + lead) : in; /* column lead */
    if (copy == 0) { /* all padding, or a row past the last output step: word stores */
      memset(dst, 0, padded * sizeof *dst);
      continue;
    }
    if (g0 >= g1) { /* no whole group: a short row */
      load_elements(dst, src, zx, 0, padded, (size_t)lead, (size_t)(lead + copy));
      continue;
    }
    {
      const int8_t* s = src + (4 * g0 - (size_t)lead);
      const int8_t* const s_end = src + (4 * g1 - (size_t)lead);
      tile_word* d = (tile_word*)(void*)(dst + 4 * g0);
      load_elements(dst, src, zx, 0, 4 * g0, (size_t)lead, (size_t)(lead + copy));
      for (; s != s_end; s += 4, d += 2) {
        const uint32_t v = plrt_dsp_load_word(s);
        d[0] = (uint32_t)__ssub16(__sxtb16(v), zz);
        d[1] = (uint32_t)__ssub16(plrt_dsp_sxtb16_ror8(v), zz);
      }
      load_elements(dst, src, zx, 4 * g1, padded, (size_t)lead, (size_t)(lead + copy));
    }
  }
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
  plrt_opt_tile tile;
  plrt_conv1d_s8_dsp_scratch(params, quant, in_dims, in, weights, bias, out_dims, out, &tile);
}

void plrt_conv1d_s8_dsp_scratch(const plrt_conv_params* params, const plrt_requant* quant,
                                const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                                const int32_t* bias, const plrt_dims* out_dims, int8_t* out,
                                plrt_opt_tile* tile) {
  plrt_opt_conv_tiled(params, quant, in_dims, in, weights, bias, out_dims, out, load_windows_pairs,
                      dot_tile, tile);
}

#else
typedef int plrt_conv_dsp_is_empty_here; /* ISO C: a translation unit needs a declaration */
#endif
