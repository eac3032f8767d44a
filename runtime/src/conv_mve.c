/* The convolution on Arm Helium (MVE, the M-profile vector extension: Cortex-M55, M85; compiled
 * where the compiler defines __ARM_FEATURE_MVE), bit-identical to ops_ref.c
 * (runtime/tests/ops_opt_test.c checks it on the emulated Cortex-M55).
 *
 * Every output is a dot product of one window of the input (contiguous in channel-last layout:
 * bytes [(t - pad) C_in, (t - pad) C_in + n), n = kernel C_in) with one weight row, so:
 *   - The inner product is VMLADAVA.S8: 16 int8 x int8 products added to a 32-bit sum in one
 *     instruction, on the raw int8 input, read in place (no window copy). The zero point is
 *     folded out: sum (x - zx) w = sum x w - zx sum w, with sum w of each weight row (VADDVA.S8)
 *     once per call; int32 arithmetic wraps, so the identity holds modulo 2^32 and the result is
 *     exact whenever the reference's own int32 sum is (the kernels' contract, plrt_ops.h).
 *   - A 3 x 2 block (three windows x two weight rows) per loop: 5 vector loads and 6 VMLADAVA
 *     for 96 multiply-accumulates (2 x 2 where 2 or 4 output steps remain); the last n % 16
 *     elements through tail-predicated loads, which read nothing past the end.
 *   - Windows that reach into the padding (at most `pad` at each end) are copied once per call
 *     with the padding as zx (x - zx = 0) where they fit EDGE_BYTES; larger ones take the
 *     in-range part of the window only, with sum w over that part.
 *   - The requantisation of 4 output channels at once (simd_mve.h): TFLITE with VQSHL (the left
 *     shift, saturating as plrt_multiply_by_quantized_multiplier_fast does), VQRDMULH ((x m +
 *     2^30) >> 31) and VRSHL (the rounding right shift, made ties-away-from-zero by subtracting 1
 *     from negative values first), POW2 with one VQRSHL; then + zero point, clamp, VSTRB.32. */
#include "opt_kernels.h"

#if PLRT_ARM_MVE

#include <stddef.h>

#include "simd_mve.h"

#define BLOCK_O 64 /* output channels per block of sums (a multiple of 4) */
#define ROWS 3     /* output steps (windows) per pass over the weights, or 2 */

/* For `pairs` pairs of weight rows (w, w + stride), then (w + 2 n, w + 2 n + stride), ...:
 * a0[2k + i] = window x0 . row i of pair k, a1[...] and a2[...] the same for x1 and x2. One loop
 * per pair of rows over the n elements, 16 at a time: 5 loads and 6 VMLADAVA for 96
 * multiply-accumulates (six accumulators: VMLADAVA's must be even registers); the last n % 16
 * through tail-predicated loads (nothing read past a row's end). (For n a non-zero multiple of
 * 16, dot_pairs_whole below.) */
static inline void dot_pairs(const int8_t* x0, const int8_t* x1, const int8_t* x2, const int8_t* w,
                             int32_t n, int32_t stride, uint32_t pairs, int32_t* a0, int32_t* a1,
                             int32_t* a2) {
  const int32_t blocks = n >> 4, rest = n & 15;
  const mve_pred16_t p = vctp8q((uint32_t)rest);
  for (; pairs > 0; --pairs, w += 2 * n, a0 += 2, a1 += 2, a2 += 2) {
    const int8_t *p0 = x0, *p1 = x1, *p2 = x2, *w0 = w, *w1 = w + stride;
    int32_t s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, i = blocks;
    for (; i > 0; --i) {
      const int8x16_t vw0 = vldrbq_s8(w0), vw1 = vldrbq_s8(w1);
      const int8x16_t vx0 = vldrbq_s8(p0), vx1 = vldrbq_s8(p1), vx2 = vldrbq_s8(p2);
      s00 = vmladavaq_s8(s00, vx0, vw0), s01 = vmladavaq_s8(s01, vx0, vw1);
      s10 = vmladavaq_s8(s10, vx1, vw0), s11 = vmladavaq_s8(s11, vx1, vw1);
      s20 = vmladavaq_s8(s20, vx2, vw0), s21 = vmladavaq_s8(s21, vx2, vw1);
      p0 += 16, p1 += 16, p2 += 16, w0 += 16, w1 += 16;
    }
    if (rest) {
      const int8x16_t vw0 = vldrbq_z_s8(w0, p), vw1 = vldrbq_z_s8(w1, p);
      const int8x16_t vx0 = vldrbq_z_s8(p0, p), vx1 = vldrbq_z_s8(p1, p);
      const int8x16_t vx2 = vldrbq_z_s8(p2, p);
      s00 = vmladavaq_s8(s00, vx0, vw0), s01 = vmladavaq_s8(s01, vx0, vw1);
      s10 = vmladavaq_s8(s10, vx1, vw0), s11 = vmladavaq_s8(s11, vx1, vw1);
      s20 = vmladavaq_s8(s20, vx2, vw0), s21 = vmladavaq_s8(s21, vx2, vw1);
    }
    a0[0] = s00, a0[1] = s01, a1[0] = s10, a1[1] = s11, a2[0] = s20, a2[1] = s21;
  }
}

/* dot_pairs and dot_pairs2 in assembly for n a non-zero multiple of 16 (rows w + 2 k n and
 * w + (2 k + 1) n) and at least one pair: GCC 12 keeps only some of the pass's values in
 * registers (six even-register sums, five pointers, the loop count) and spills the rest, ≈ 41
 * instructions of set-up per pass; here a pass reloads the windows and the loop count with one
 * LDM from `pass` and keeps the weight pointers running (the second row's end is the next pair's
 * first row): 12 instructions per pass besides the groups, and one LE per four groups. The first
 * group starts the sums (VMLADAV, no zeroing). The sums go to acc[2k], acc[2k + 1] and the same
 * places BLOCK_O and 2 BLOCK_O ints further on (acc[1], acc[2] of mve_sums). */
typedef struct mve_pass {
  const int8_t* x[3];     /* the three windows */
  uint32_t groups;        /* the loop's count (set by dot_pairs_whole) */
  int32_t n;              /* the row length */
  const int32_t* acc_end; /* acc + 2 pairs */
  int32_t* acc;           /* where the first pair's sums go (acc[0]) */
  const int8_t* w;        /* the first row */
} mve_pass;
/* the offsets the assembly uses (32-bit pointers) */
typedef char mve_pass_layout[offsetof(mve_pass, n) == 16 && offsetof(mve_pass, acc_end) == 20 &&
                                     offsetof(mve_pass, acc) == 24 && offsetof(mve_pass, w) == 28
                                 ? 1
                                 : -1];

/* One group of 16 elements: the two rows' and the three windows' loads, then the six products
 * (`op`: VMLADAV starts the sums, VMLADAVA adds to them). */
#define MVE_GROUP(op)                                                                            \
  "vldrb.s8 q0, [r9], #16\n\t"                                                                   \
  "vldrb.s8 q1, [r11], #16\n\t"                                                                  \
  "vldrb.s8 q2, [r1], #16\n\t"                                                                   \
  "vldrb.s8 q3, [r3], #16\n\t"                                                                   \
  "vldrb.s8 q4, [r5], #16\n\t" op " r0, q2, q0\n\t" op " r2, q2, q1\n\t" op " r4, q3, q0\n\t" op \
  " r6, q3, q1\n\t" op " r8, q4, q0\n\t" op " r10, q4, q1\n\t"
#define MVE_ADD MVE_GROUP("vmladava.s8")
/* The same for the first two windows only (r5, q4, r8 and r10 unused). */
#define MVE_GROUP2(op)                                                                           \
  "vldrb.s8 q0, [r9], #16\n\t"                                                                   \
  "vldrb.s8 q1, [r11], #16\n\t"                                                                  \
  "vldrb.s8 q2, [r1], #16\n\t"                                                                   \
  "vldrb.s8 q3, [r3], #16\n\t" op " r0, q2, q0\n\t" op " r2, q2, q1\n\t" op " r4, q3, q0\n\t" op \
  " r6, q3, q1\n\t"

/* The passes over the pairs: `first` (the first group, VMLADAV), `peel` (groups outside the
 * loop, so that the loop runs a whole number of its `body`, one LE per body), the loop, then
 * the sums stored (`store3`: the third window's). */
#define MVE_PASSES(first, peel, body, store3)                                                 \
  __asm__ volatile(                                                                           \
      "ldr r9, [%[st], #28]\n\t"                                                              \
      "ldr r7, [%[st], #16]\n\t"                                                              \
      "add r11, r9, r7\n\t"                                                                   \
      "ldr r7, [%[st], #24]\n\t"                                                              \
      "1:\n\t"                                                                                \
      "ldm %[st], {r1, r3, r5, lr}\n\t" first peel                                            \
      "wls lr, lr, 3f\n\t"                                                                    \
      "2:\n\t" body                                                                           \
      "le lr, 2b\n\t"                                                                         \
      "3:\n\t"                                                                                \
      "strd r4, r6, [r7, %[a1]]\n\t" store3                                                   \
      "strd r0, r2, [r7], #8\n\t"                                                             \
      "ldrd r3, r1, [%[st], #16]\n\t"                                                         \
      "mov r9, r11\n\t"                                                                       \
      "add r11, r11, r3\n\t"                                                                  \
      "cmp r7, r1\n\t"                                                                        \
      "bne 1b\n\t"                                                                            \
      :                                                                                       \
      : [st] "r"(st), [a1] "i"(BLOCK_O * 4), [a2] "i"(2 * BLOCK_O * 4)                        \
      : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "lr", "d0", \
        "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "cc", "memory")
#define MVE_PASSES3(peel)                                                    \
  MVE_PASSES(MVE_GROUP("vmladav.s8"), peel, MVE_ADD MVE_ADD MVE_ADD MVE_ADD, \
             "strd r8, r10, [r7, %[a2]]\n\t")

/* pass->groups is set here: the loop's count. Three windows: 4 groups per loop (the other 0-3
 * peeled); two windows (where 2 or 4 output steps remain, a third would be wasted work; 4 loads
 * and 4 VMLADAVA per group): one group per loop. */
static void dot_pairs_whole(mve_pass* pass, const int three) {
  register mve_pass* st __asm__("r12") = pass;
  const uint32_t after = (uint32_t)(pass->n >> 4) - 1u; /* the groups after the first */
  if (!three) {
    pass->groups = after;
    MVE_PASSES(MVE_GROUP2("vmladav.s8"), "", MVE_GROUP2("vmladava.s8"), "");
    return;
  }
  pass->groups = after >> 2;
  switch (after & 3u) {
    case 0:
      MVE_PASSES3("");
      break;
    case 1:
      MVE_PASSES3(MVE_ADD);
      break;
    case 2:
      MVE_PASSES3(MVE_ADD MVE_ADD);
      break;
    default:
      MVE_PASSES3(MVE_ADD MVE_ADD MVE_ADD);
      break;
  }
}

/* dot_pairs for two windows x0, x1 (where 2 or 4 output steps remain, a third window would be
 * wasted work): per 16 elements 4 loads and 4 VMLADAVA for 64 multiply-accumulates. */
static inline void dot_pairs2(const int8_t* x0, const int8_t* x1, const int8_t* w, int32_t n,
                              int32_t stride, uint32_t pairs, int32_t* a0, int32_t* a1) {
  const int32_t blocks = n >> 4, rest = n & 15;
  const mve_pred16_t p = vctp8q((uint32_t)rest);
  for (; pairs > 0; --pairs, w += 2 * n, a0 += 2, a1 += 2) {
    const int8_t *p0 = x0, *p1 = x1, *w0 = w, *w1 = w + stride;
    int32_t s00 = 0, s01 = 0, s10 = 0, s11 = 0, i = blocks;
    for (; i > 0; --i) {
      const int8x16_t vx0 = vldrbq_s8(p0), vx1 = vldrbq_s8(p1);
      const int8x16_t vw0 = vldrbq_s8(w0), vw1 = vldrbq_s8(w1);
      s00 = vmladavaq_s8(s00, vx0, vw0);
      s01 = vmladavaq_s8(s01, vx0, vw1);
      s10 = vmladavaq_s8(s10, vx1, vw0);
      s11 = vmladavaq_s8(s11, vx1, vw1);
      p0 += 16, p1 += 16, w0 += 16, w1 += 16;
    }
    if (rest) {
      const int8x16_t vx0 = vldrbq_z_s8(p0, p), vx1 = vldrbq_z_s8(p1, p);
      const int8x16_t vw0 = vldrbq_z_s8(w0, p), vw1 = vldrbq_z_s8(w1, p);
      s00 = vmladavaq_s8(s00, vx0, vw0);
      s01 = vmladavaq_s8(s01, vx0, vw1);
      s10 = vmladavaq_s8(s10, vx1, vw0);
      s11 = vmladavaq_s8(s11, vx1, vw1);
    }
    a0[0] = s00, a0[1] = s01, a1[0] = s10, a1[1] = s11;
  }
}

/* sum x w and sum w over n elements (a window that reaches into the padding). */
static inline void dot_1x1(const int8_t* x, const int8_t* w, int32_t n, int32_t* xw, int32_t* ws) {
  int32_t s = 0, sw = 0;
  for (; n > 0; n -= 16, x += 16, w += 16) {
    const mve_pred16_t p = vctp8q((uint32_t)n);
    const int8x16_t vw = vldrbq_z_s8(w, p);
    s = vmladavaq_s8(s, vldrbq_z_s8(x, p), vw);
    sw = vaddvaq_s8(sw, vw);
  }
  *xw = s, *ws = sw;
}

/* ws[o] = sum of weight row o (w + o n) over its n elements, o < rows. */
static void sum_rows(const int8_t* w, int32_t n, uint32_t rows, int32_t* ws) {
  const int32_t blocks = n >> 4, rest = n & 15;
  const mve_pred16_t p = vctp8q((uint32_t)rest);
  uint32_t o;
  for (o = 0; o < rows; ++o, w += n) {
    const int8_t* w0 = w;
    int32_t s0 = 0, i;
    for (i = blocks; i > 0; --i, w0 += 16) s0 = vaddvaq_s8(s0, vldrbq_s8(w0));
    if (rest) s0 = vaddvaq_s8(s0, vldrbq_z_s8(w0, p));
    ws[o] = s0;
  }
}

/* The windows that reach into the padding (the first and last `pad` output steps at most),
 * copied with the padding as zx, i.e. x - zx = 0, so that they take the block path too; only
 * where they fit this many bytes, else they go through dot_1x1 over their in-range part. */
#define EDGE_BYTES 1024

/* Copies window t (n bytes from flat index first, zx outside [0, total)) to dst: zx before the
 * input, its in-range part, zx after it, 16 bytes per predicated store (a byte loop was ≈ 7
 * instructions per byte, ≈ 2.7 k per 64 -> 64 k = 3 layer). */
static void copy_window(const int8_t* in, int32_t first, int32_t n, int32_t total, int8_t zx,
                        int8_t* dst) {
  const int8x16_t fill = vdupq_n_s8(zx);
  const int32_t lo = first >= 0 ? 0 : (-first < n ? -first : n);
  const int32_t end = total - first < n ? total - first : n, hi = end > lo ? end : lo;
  int32_t left;
  for (left = lo; left > 0; left -= 16, dst += 16) vstrbq_p_s8(dst, fill, vctp8q((uint32_t)left));
  dst += left; /* back to dst + lo (left is in (-16, 0]) */
  in += first + lo;
  for (left = hi - lo; left > 0; left -= 16, dst += 16, in += 16) {
    const mve_pred16_t p = vctp8q((uint32_t)left);
    vstrbq_p_s8(dst, vldrbq_z_s8(in, p), p);
  }
  dst += left;
  for (left = n - hi; left > 0; left -= 16, dst += 16)
    vstrbq_p_s8(dst, fill, vctp8q((uint32_t)left));
}

/* Requantises the cols sums of output step t (each + add[o]: the bias and the zero-point
 * correction) into out[t][o0 + o], 4 channels per vector. */
static void store_row(const plrt_requant* quant, uint32_t o0, uint32_t cols, const int32_t* acc,
                      const int32_t* add, int8_t* y, const int all_right) {
  const int32_t* shifts = quant->shift + o0;
  const int32_t zy = quant->output_zero_point;
  const int32x4_t lo = vdupq_n_s32(quant->act_min), hi = vdupq_n_s32(quant->act_max);
  int32_t left = (int32_t)cols;
  if (quant->mode == PLRT_REQUANT_POW2) {
    /* floor(acc 2^-r + 1/2) for r > 0, acc 2^-r saturated for r <= 0: one VQRSHL by -r */
    for (; left >= 4; left -= 4, acc += 4, add += 4, shifts += 4, y += 4) { /* unpredicated */
      const int32x4_t s = vaddq_s32(vldrwq_s32(acc), vldrwq_s32(add));
      int32x4_t v = vqrshlq_s32(s, vnegq_s32(vldrwq_s32(shifts)));
      vstrbq_s32(y, plrt_mve_add_clamp(v, zy, lo, hi));
    }
    for (; left > 0; left -= 4, acc += 4, add += 4, shifts += 4, y += 4) {
      const mve_pred16_t p = vctp32q((uint32_t)left);
      const int32x4_t s = vaddq_s32(vldrwq_z_s32(acc, p), vldrwq_z_s32(add, p));
      int32x4_t v = vqrshlq_s32(s, vnegq_s32(vldrwq_z_s32(shifts, p)));
      vstrbq_p_s32(y, plrt_mve_add_clamp(v, zy, lo, hi), p);
    }
  } else {
    const int32_t* multipliers = quant->multiplier + o0;
    /* whole vectors without the predicate (GCC 12 rebuilds it through VMRS/VMSR per pass);
     * where every shift of the block is a right shift, 4 instructions fewer per vector */
    if (all_right) {
      for (; left >= 4; left -= 4, acc += 4, add += 4, shifts += 4, multipliers += 4, y += 4) {
        const int32x4_t v = vaddq_s32(vldrwq_s32(acc), vldrwq_s32(add));
        const int32x4_t q = plrt_mve_mbqm_right(v, vldrwq_s32(multipliers), vldrwq_s32(shifts));
        vstrbq_s32(y, plrt_mve_add_clamp(q, zy, lo, hi));
      }
    }
    for (; left >= 4; left -= 4, acc += 4, add += 4, shifts += 4, multipliers += 4, y += 4) {
      const int32x4_t v = vaddq_s32(vldrwq_s32(acc), vldrwq_s32(add));
      const int32x4_t q = plrt_mve_mbqm(v, vldrwq_s32(multipliers), vldrwq_s32(shifts));
      vstrbq_s32(y, plrt_mve_add_clamp(q, zy, lo, hi));
    }
    for (; left > 0; left -= 4, acc += 4, add += 4, shifts += 4, multipliers += 4, y += 4) {
      const mve_pred16_t p = vctp32q((uint32_t)left);
      const int32x4_t v = vaddq_s32(vldrwq_z_s32(acc, p), vldrwq_z_s32(add, p));
      const int32x4_t q = plrt_mve_mbqm(v, vldrwq_z_s32(multipliers, p), vldrwq_z_s32(shifts, p));
      vstrbq_p_s32(y, plrt_mve_add_clamp(q, zy, lo, hi), p);
    }
  }
}

/* store_row for the `rows` (2 or 3: `three`, a constant where inlined) output steps of a pass
 * where the mode is TFLITE and every shift of the block is a right shift: each 4 channels' add,
 * multiplier and shift are loaded once for all the rows (≈ 12 instructions per 4 outputs
 * instead of 14, and one call). The last cols % 4 channels go through store_row. */
static inline uint32_t store_rows_right(const plrt_requant* quant, uint32_t o0, uint32_t cols,
                                        const int32_t* a0, const int32_t* add, int8_t* y0,
                                        size_t c_out, const int three) {
  const int32_t *shifts = quant->shift + o0, *multipliers = quant->multiplier + o0;
  const int32_t *a1 = a0 + BLOCK_O, *a2 = a0 + 2 * BLOCK_O;
  const int32_t zy = quant->output_zero_point;
  const int32x4_t lo = vdupq_n_s32(quant->act_min), hi = vdupq_n_s32(quant->act_max);
  int8_t *y1 = y0 + c_out, *y2 = y0 + 2 * c_out;
  int32_t left = (int32_t)(cols >> 2);
  for (; left > 0; --left) {
    const int32x4_t a = vldrwq_s32(add), m = vldrwq_s32(multipliers), sh = vldrwq_s32(shifts);
    int32x4_t q = plrt_mve_mbqm_right(vaddq_s32(vldrwq_s32(a0), a), m, sh);
    vstrbq_s32(y0, plrt_mve_add_clamp(q, zy, lo, hi));
    q = plrt_mve_mbqm_right(vaddq_s32(vldrwq_s32(a1), a), m, sh);
    vstrbq_s32(y1, plrt_mve_add_clamp(q, zy, lo, hi));
    if (three) {
      q = plrt_mve_mbqm_right(vaddq_s32(vldrwq_s32(a2), a), m, sh);
      vstrbq_s32(y2, plrt_mve_add_clamp(q, zy, lo, hi));
    }
    add += 4, multipliers += 4, shifts += 4, a0 += 4, a1 += 4, a2 += 4;
    y0 += 4, y1 += 4, y2 += 4;
  }
  return cols & ~3u;
}

/* The output steps whose window reaches into the padding: [0, head) and [tail, length), or none
 * (0) where their copies would not fit EDGE_BYTES (dot_1x1 then takes them). */
static int32_t edge_windows(const plrt_conv_params* params, const plrt_dims* in_dims,
                            const plrt_dims* out_dims, int32_t* head, int32_t* tail) {
  const int32_t pad = (int32_t)params->pad, length = (int32_t)out_dims->length;
  const int32_t n = (int32_t)(params->kernel * in_dims->channels);
  int32_t n_edge;
  *head = pad < length ? pad : length;
  *tail = (int32_t)in_dims->length + pad - (int32_t)params->kernel + 1;
  if (*tail < *head) *tail = *head;
  n_edge = *head + (length - *tail);
  return n_edge * n > EDGE_BYTES ? 0 : n_edge;
}

/* The scratch of plrt_conv1d_s8_mve_scratch: the sums, then the edge windows' copies. */
typedef struct mve_sums {
  int32_t ws[BLOCK_O], add[BLOCK_O], acc[ROWS][BLOCK_O];
} mve_sums;

size_t plrt_conv1d_s8_mve_scratch_size(const plrt_conv_params* params, const plrt_dims* in_dims,
                                       const plrt_dims* out_dims) {
  int32_t head, tail;
  const int32_t n_edge = edge_windows(params, in_dims, out_dims, &head, &tail);
  return sizeof(mve_sums) + (size_t)n_edge * params->kernel * in_dims->channels;
}

void plrt_conv1d_s8_mve(const plrt_conv_params* params, const plrt_requant* quant,
                        const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                        const int32_t* bias, const plrt_dims* out_dims, int8_t* out) {
  union {
    mve_sums sums;
    int8_t bytes[sizeof(mve_sums) + EDGE_BYTES];
  } scratch;
  plrt_conv1d_s8_mve_scratch(params, quant, in_dims, in, weights, bias, out_dims, out, &scratch);
}

void plrt_conv1d_s8_mve_scratch(const plrt_conv_params* params, const plrt_requant* quant,
                                const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                                const int32_t* bias, const plrt_dims* out_dims, int8_t* out,
                                void* scratch) {
  const int32_t n = (int32_t)(params->kernel * in_dims->channels);
  const int32_t c_in = (int32_t)in_dims->channels;
  const int32_t total = (int32_t)(in_dims->length * in_dims->channels);
  const int32_t zx = params->input_zero_point, pad = (int32_t)params->pad;
  const uint32_t c_out = out_dims->channels, length = out_dims->length;
  mve_sums* const sums = (mve_sums*)scratch;
  int8_t* const edge = (int8_t*)scratch + sizeof(mve_sums);
  int32_t* const ws = sums->ws;
  int32_t* const add = sums->add;
  int32_t(*const acc)[BLOCK_O] = sums->acc;
  /* output steps [head, tail) have their whole window inside the input */
  int32_t head, tail;
  const int32_t n_edge = edge_windows(params, in_dims, out_dims, &head, &tail);
  const int whole = n >= 16 && (n & 15) == 0; /* no tail: dot_pairs_whole */
  int32_t e;
  uint32_t o0, t, o, step = 2;
  for (e = 0; e < n_edge; ++e) {
    const int32_t te = e < head ? e : tail + (e - head);
    copy_window(in, (te - pad) * c_in, n, total, (int8_t)zx, edge + e * n);
  }
  for (o0 = 0; o0 < c_out; o0 += BLOCK_O) {
    const uint32_t cols = c_out - o0 < BLOCK_O ? c_out - o0 : BLOCK_O;
    const int8_t* w = weights + (size_t)o0 * (size_t)n;
    int all_right = quant->mode != PLRT_REQUANT_POW2;
    sum_rows(w, n, cols, ws);
    for (o = 0; o < cols && all_right; ++o) all_right = quant->shift[o0 + o] < 0;
    for (o = 0; o < cols; ++o) { /* bias - zx sum w, modulo 2^32 */
      add[o] =
          (int32_t)((bias != NULL ? (uint32_t)bias[o0 + o] : 0u) - (uint32_t)zx * (uint32_t)ws[o]);
    }
    for (t = 0; t < length; t += step) {
      /* 3 steps at a time, but 2 where 2 or 4 remain (1 takes the 2-step form, repeated) */
      const uint32_t left = length - t, rows = left == 4 ? 2 : (left < ROWS ? left : ROWS);
      const int8_t* x[ROWS];
      uint32_t k, r;
      int slow = 0;
      step = rows == 3 ? 3 : 2;
      for (k = 0; k < ROWS; ++k) { /* missing steps repeat the first, not stored */
        const int32_t tk = (int32_t)t + (k < rows ? (int32_t)k : 0);
        if (tk >= head && tk < tail) {
          x[k] = in + (tk - pad) * c_in;
        } else if (n_edge > 0) {
          x[k] = edge + (tk < head ? tk : head + (tk - tail)) * n;
        } else {
          slow = 1;
        }
      }
      if (!slow) {
        const size_t last = cols - 1; /* an odd last row is paired with itself */
        if (whole && cols >= 2) {
          mve_pass pass;
          pass.x[0] = x[0], pass.x[1] = x[1], pass.x[2] = x[2];
          pass.n = n, pass.w = w, pass.acc = acc[0], pass.acc_end = acc[0] + (cols & ~1u);
          dot_pairs_whole(&pass, step == 3);
        } else if (step == 3) {
          dot_pairs(x[0], x[1], x[2], w, n, n, cols / 2, acc[0], acc[1], acc[2]);
        } else {
          dot_pairs2(x[0], x[1], w, n, n, cols / 2, acc[0], acc[1]);
        }
        if ((cols & 1) && step == 3) {
          dot_pairs(x[0], x[1], x[2], w + last * (size_t)n, n, 0, 1, acc[0] + last, acc[1] + last,
                    acc[2] + last);
        } else if (cols & 1) {
          dot_pairs2(x[0], x[1], w + last * (size_t)n, n, 0, 1, acc[0] + last, acc[1] + last);
        }
      } else {
        for (r = 0; r < rows; ++r) {
          /* the in-range part [lo, hi) of the window: sum x w - zx sum w there, plus zx
           * times the whole row's sum w, which `add` takes off again */
          const int32_t first = ((int32_t)(t + r) - pad) * c_in;
          const int32_t lo = first < 0 ? -first : 0;
          const int32_t hi = total - first < n ? total - first : n;
          for (o = 0; o < cols; ++o) {
            int32_t xw = 0, wsum = 0;
            if (hi > lo) dot_1x1(in + first + lo, w + (size_t)o * n + lo, hi - lo, &xw, &wsum);
            acc[r][o] = (int32_t)((uint32_t)xw - (uint32_t)zx * (uint32_t)wsum +
                                  (uint32_t)zx * (uint32_t)ws[o]);
          }
        }
      }
      if (all_right && rows >= 2) {
        int8_t* const y = out + (size_t)t * c_out + o0;
        const uint32_t done = rows == 3
                                  ? store_rows_right(quant, o0, cols, acc[0], add, y, c_out, 1)
                                  : store_rows_right(quant, o0, cols, acc[0], add, y, c_out, 0);
        for (r = 0; r < rows && done < cols; ++r) { /* the last 1-3 channels, predicated */
          store_row(quant, o0 + done, cols - done, acc[r] + done, add + done, y + r * c_out + done,
                    1);
        }
      } else {
        for (r = 0; r < rows; ++r) {
          store_row(quant, o0, cols, acc[r], add, out + (size_t)(t + r) * c_out + o0, all_right);
        }
      }
    }
  }
}

#else
typedef int plrt_conv_mve_is_empty_here; /* ISO C: a translation unit needs a declaration */
#endif
