/* Optimised kernels against the reference kernels, bit for bit, on seeded random shapes and
 * values: odd channel counts, every kernel size up to 9, padding wider than the input, windows
 * longer than one stack chunk, outputs longer than one tile, both requantisation modes over
 * their whole shift ranges, accumulators near the int32 limits, random zero points and clamps.
 * Each case runs every variant of the optimised kernel this machine has (the dispatched entry
 * point, the portable C one and, on an AVX2 CPU, the AVX2 ones, on an AVX-512 VNNI CPU the VNNI
 * one: runtime/src/opt_kernels.h). A
 * mismatch prints the case (seed and shape) and the first differing element. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/opt_kernels.h"
#include "check.h"
#include "plrt_ops.h"
#include "test_rng.h"

static void fill_i8(int8_t* p, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) p[i] = (int8_t)uniform(-128, 127);
}

static void random_clamp(int32_t* lo, int32_t* hi) {
  *lo = uniform(0, 3) == 0 ? uniform(-128, 127) : (uniform(0, 1) ? -128 : 0);
  *hi = uniform(0, 3) == 0 ? uniform(*lo, 127) : 127;
}

static void compare(const int8_t* ref, const int8_t* opt, size_t n, const char* what, int seed) {
  size_t i;
  ++g_checks;
  for (i = 0; i < n; ++i) {
    if (ref[i] != opt[i]) {
      ++g_failures;
      fprintf(stderr, "%s, seed %d: element %zu: reference %d, optimised %d\n", what, seed, i,
              ref[i], opt[i]);
      return;
    }
  }
}

typedef void (*conv_fn)(const plrt_conv_params*, const plrt_requant*, const plrt_dims*,
                        const int8_t*, const int8_t*, const int32_t*, const plrt_dims*, int8_t*);

/* The optimised convolutions to check on this input, with their names; returns how many. */
static int conv_variants(int pointwise, const int8_t* in, size_t n, int32_t zx, conv_fn fns[6],
                         const char* names[6]) {
  int k = 0;
  fns[k] = pointwise ? plrt_pointwise_conv_s8 : plrt_conv1d_s8;
  names[k++] = pointwise ? "pointwise" : "conv1d";
  fns[k] = plrt_conv1d_s8_portable;
  names[k++] = "portable";
#if PLRT_ARM_DSP
  fns[k] = plrt_conv1d_s8_dsp;
  names[k++] = "arm dsp";
#endif
#if PLRT_ARM_MVE
  fns[k] = plrt_conv1d_s8_mve;
  names[k++] = "arm mve";
#endif
#if PLRT_X86_SIMD
  if (plrt_cpu_has_avx2()) {
    fns[k] = plrt_conv1d_s8_avx2_wide;
    names[k++] = "avx2 wide";
    if (plrt_inputs_fit_narrow(in, n, zx)) {
      fns[k] = plrt_conv1d_s8_avx2_narrow;
      names[k++] = "avx2 narrow";
    }
  }
  if (plrt_cpu_has_avx512()) {
    fns[k] = plrt_conv1d_s8_vnni;
    names[k++] = "avx512 vnni";
  }
#else
  (void)in, (void)n, (void)zx;
#endif
  return k;
}

/* Case families: random shapes; windows longer than one chunk; outputs longer than one tile of
 * short windows; padding covering most of a tiny input; accumulators near the int32 limits with
 * shifts that saturate; inputs with x - zx in [0, 127] (the AVX2 narrow products), often at
 * its ends, with weights often -128, in any shape; input zero points at their ends (-128, 127)
 * or anywhere, in both modes, with inputs often at -128 or 127 (far below or above the zero
 * point), in any shape (the AVX-512 VNNI products' offset u = x + 128 and its correction);
 * windows of a whole number of 16-byte groups (the Helium assembly pass of conv_mve.c) with
 * one, odd or more than 64 output channels (several blocks of sums, an unpaired last row), half
 * of them with right shifts only (conv_mve.c's shorter TFLITE requantisation). */
enum conv_family {
  CONV_RANDOM,
  CONV_LONG_WINDOW,
  CONV_LONG_OUTPUT,
  CONV_WIDE_PAD,
  CONV_EXTREME,
  CONV_NARROW,
  CONV_ZERO_POINT,
  CONV_HUGE_WINDOW,
  CONV_WHOLE_GROUPS
};

static void conv_case(int seed, enum conv_family family) {
  plrt_conv_params p;
  plrt_requant q;
  plrt_dims in_dims, out_dims;
  int8_t *in, *w, *ref, *opt;
  int32_t *bias, *mult, *shift;
  uint32_t o;
  const int tflite = uniform(0, 1);
  const enum conv_family shape =
      family == CONV_NARROW || family == CONV_ZERO_POINT ? (enum conv_family)uniform(0, 3) : family;
  const int32_t* b;
  conv_fn fns[6];
  const char* names[6];
  int v, n_variants;
  size_t window;
  char what[200];
  g_rng = (uint64_t)seed * 7919u + 1u;
  p.kernel = shape == CONV_LONG_WINDOW || shape == CONV_HUGE_WINDOW ? (uint32_t)uniform(8, 9)
                                                                    : (uint32_t)uniform(1, 9);
  if (shape == CONV_RANDOM && uniform(0, 2) == 0) p.kernel = 1;
  p.pad = (uint32_t)uniform(0, (int32_t)p.kernel - 1);
  if (shape == CONV_WIDE_PAD) p.kernel = (uint32_t)uniform(5, 9), p.pad = p.kernel - 1;
  in_dims.channels = shape == CONV_HUGE_WINDOW   ? (uint32_t)uniform(1020, 1300)
                     : shape == CONV_LONG_WINDOW ? (uint32_t)uniform(60, 130)
                     : shape == CONV_LONG_OUTPUT ? (uint32_t)uniform(1, 40)
                                                 : (uint32_t)uniform(1, 70);
  in_dims.length =
      (uint32_t)uniform((int32_t)(p.kernel > p.pad * 2 ? p.kernel - 2 * p.pad : 1), 40);
  if (shape == CONV_LONG_OUTPUT) in_dims.length = (uint32_t)uniform(200, 700);
  if (shape == CONV_WIDE_PAD) in_dims.length = (uint32_t)uniform(1, 3);
  if (shape == CONV_HUGE_WINDOW) { /* at least the kernel less the padding, as above */
    const int32_t lo = (int32_t)(p.kernel > p.pad * 2 ? p.kernel - 2 * p.pad : 1);
    in_dims.length = (uint32_t)uniform(lo, lo + 11);
  }
  out_dims.channels = (uint32_t)uniform(1, 37);
  if (shape == CONV_WHOLE_GROUPS) { /* kernel C_in a multiple of 16: 16 C_in / gcd(16, kernel) */
    const uint32_t unit = p.kernel % 2 ? 16u : p.kernel % 4 ? 8u : p.kernel % 8 ? 4u : 2u;
    in_dims.channels = unit * (uint32_t)uniform(1, (int32_t)(80 / unit));
    out_dims.channels = uniform(0, 2) == 0 ? 1u : (uint32_t)uniform(2, 140);
  }
  out_dims.length = in_dims.length + 2 * p.pad - p.kernel + 1;
  p.input_zero_point = tflite ? uniform(-128, 127) : 0;
  window = (size_t)p.kernel * in_dims.channels;
  in = (int8_t*)malloc(in_dims.channels * in_dims.length);
  w = (int8_t*)malloc(out_dims.channels * window);
  ref = (int8_t*)malloc((size_t)out_dims.channels * out_dims.length);
  opt = (int8_t*)malloc((size_t)out_dims.channels * out_dims.length);
  bias = (int32_t*)malloc(out_dims.channels * sizeof(int32_t));
  mult = (int32_t*)malloc(out_dims.channels * sizeof(int32_t));
  shift = (int32_t*)malloc(out_dims.channels * sizeof(int32_t));
  fill_i8(in, in_dims.channels * in_dims.length);
  fill_i8(w, out_dims.channels * window);
  if (family == CONV_EXTREME && uniform(0, 1)) {
    /* every product at its largest magnitude, so that the sums reach the bound itself (less
     * the padding's share) */
    const int8_t x_far = (int8_t)(p.input_zero_point >= 0 ? -128 : 127);
    const int sign = uniform(0, 1) ? 1 : -1;
    size_t j;
    for (j = 0; j < in_dims.channels * in_dims.length; ++j) in[j] = x_far;
    for (j = 0; j < out_dims.channels * window; ++j) {
      w[j] = (int8_t)(sign * (w[j] == -128 ? 127 : abs(w[j])));
    }
  }
  if (family == CONV_NARROW) {
    const int32_t lo = p.input_zero_point < 0 ? p.input_zero_point : 0; /* [lo, lo + 127] */
    size_t j;
    p.input_zero_point = lo;
    for (j = 0; j < in_dims.channels * in_dims.length; ++j) {
      const int32_t pick = uniform(0, 3);
      in[j] = (int8_t)(pick == 0 ? lo : pick == 1 ? lo + 127 : uniform(lo, lo + 127));
    }
    for (j = 0; j < out_dims.channels * window; ++j) {
      if (uniform(0, 2) == 0) w[j] = -128;
    }
  }
  if (family == CONV_ZERO_POINT) {
    const int32_t pick = uniform(0, 2);
    size_t j;
    p.input_zero_point = pick == 0 ? -128 : pick == 1 ? 127 : uniform(-128, 127);
    for (j = 0; j < in_dims.channels * in_dims.length; ++j) {
      const int32_t kind = uniform(0, 3);
      if (kind < 2) in[j] = (int8_t)(kind == 0 ? -128 : 127);
    }
    for (j = 0; j < out_dims.channels * window; ++j) {
      if (uniform(0, 3) == 0) w[j] = (int8_t)(uniform(0, 1) ? -128 : 127);
    }
  }
  for (o = 0; o < out_dims.channels; ++o) {
    bias[o] = uniform(-(1 << 20), 1 << 20);
    /* multipliers in [2^30, 2^31) (sometimes 0); shifts over the whole valid range, mostly
     * where real models are (outputs neither all zero nor all saturated) */
    mult[o] = uniform(0, 20) == 0 ? 0 : (int32_t)(0x40000000u + (next_u32() & 0x3FFFFFFFu));
    shift[o] = tflite ? (uniform(0, 4) == 0 ? uniform(-31, 30) : uniform(-16, -6))
                      : (uniform(0, 4) == 0 ? uniform(-8, 22) : uniform(6, 14));
    if (family == CONV_WHOLE_GROUPS && seed % 2) { /* right shifts only: conv_mve's shorter form */
      shift[o] = tflite ? (uniform(0, 4) == 0 ? uniform(-31, -1) : uniform(-16, -6)) : shift[o];
    }
    if (family == CONV_EXTREME) {
      /* the verifier's bound |bias| + sum |w| * max |x - zx| <= 2^31 - 1, nearly reached; shifts
       * over the whole range, left ones saturating the requantisation */
      const int64_t xmax =
          p.input_zero_point >= 0 ? p.input_zero_point + 128 : 127 - (int64_t)p.input_zero_point;
      int64_t room = INT32_MAX;
      size_t j;
      for (j = 0; j < window; ++j) room -= xmax * abs(w[o * window + j]);
      bias[o] = (int32_t)(uniform(0, 1) ? room - uniform(0, 3) : -room + uniform(0, 3));
      shift[o] = tflite ? uniform(-31, 30) : uniform(-8, 22);
    }
  }
  q.mode = tflite ? PLRT_REQUANT_TFLITE : PLRT_REQUANT_POW2;
  q.multiplier = tflite ? mult : NULL;
  q.shift = shift;
  q.output_zero_point = tflite ? uniform(-128, 127) : 0;
  random_clamp(&q.act_min, &q.act_max);
  b = family != CONV_EXTREME && uniform(0, 3) == 0 ? NULL : bias; /* sometimes no bias */
  if (p.kernel == 1 && p.pad == 0) {
    plrt_pointwise_conv_s8_ref(&p, &q, &in_dims, in, w, b, &out_dims, ref);
  } else {
    plrt_conv1d_s8_ref(&p, &q, &in_dims, in, w, b, &out_dims, ref);
  }
  n_variants = conv_variants(p.kernel == 1 && p.pad == 0, in, in_dims.channels * in_dims.length,
                             p.input_zero_point, fns, names);
  for (v = 0; v < n_variants; ++v) {
    memset(opt, 0x5A, (size_t)out_dims.channels * out_dims.length);
    fns[v](&p, &q, &in_dims, in, w, b, &out_dims, opt);
    snprintf(what, sizeof what,
             "conv %s (%s) k%" PRIu32 " pad%" PRIu32 " C_in %" PRIu32 " L_in %" PRIu32
             " C_out %" PRIu32 " zx %" PRId32,
             tflite ? "TFLITE" : "POW2", names[v], p.kernel, p.pad, in_dims.channels,
             in_dims.length, out_dims.channels, p.input_zero_point);
    compare(ref, opt, (size_t)out_dims.channels * out_dims.length, what, seed);
  }
  { /* the scratch entry point: its buffer at an odd address, filled with garbage, and not
     * written past the size its query gave */
    static uint8_t scratch[8192];
    const size_t need = plrt_conv1d_s8_scratch_size(&p, &in_dims, &out_dims);
    size_t i;
    CHECK(need + 3 + 64 <= sizeof scratch);
    memset(scratch, 0xA5, sizeof scratch);
    memset(opt, 0x5A, (size_t)out_dims.channels * out_dims.length);
    plrt_conv1d_s8_scratch(&p, &q, &in_dims, in, w, b, &out_dims, opt, scratch + 3);
    snprintf(what, sizeof what, "conv %s (scratch, %zu bytes) k%" PRIu32 " C_in %" PRIu32,
             tflite ? "TFLITE" : "POW2", need, p.kernel, in_dims.channels);
    compare(ref, opt, (size_t)out_dims.channels * out_dims.length, what, seed);
    for (i = 0; i < 3; ++i) CHECK_EQ(scratch[i], 0xA5);
    for (i = need + 3; i < need + 3 + 64; ++i) CHECK_EQ(scratch[i], 0xA5);
  }
  free(in);
  free(w);
  free(ref);
  free(opt);
  free(bias);
  free(mult);
  free(shift);
}

static void pool_case(int seed) {
  plrt_pool_params p;
  plrt_dims in_dims, out_dims;
  int8_t *in, *ref, *opt;
  char what[128];
  int v;
  g_rng = (uint64_t)seed * 104729u + 3u;
  in_dims.channels = (uint32_t)uniform(1, 150);
  in_dims.length = (uint32_t)uniform(1, 300);
  p.kernel = (uint32_t)uniform(1, (int32_t)(in_dims.length < 40 ? in_dims.length : 40));
  if (uniform(0, 1)) { /* a power of two, often up to the AVX2 version's 128 */
    p.kernel = 1u << uniform(0, 7);
    while (p.kernel > in_dims.length) p.kernel /= 2;
  }
  if (uniform(0, 7) == 0) { /* the DSP kernel's int16 sums at their limit (256) and beyond */
    in_dims.length = (uint32_t)uniform(256, 300);
    p.kernel = uniform(0, 1) ? 256u : (uint32_t)uniform(255, (int32_t)in_dims.length);
  }
  p.stride = (uint32_t)uniform(1, 5);
  p.rounding = (plrt_pool_rounding)uniform(0, 3);
  random_clamp(&p.act_min, &p.act_max);
  out_dims.channels = in_dims.channels;
  out_dims.length = (in_dims.length - p.kernel) / p.stride + 1;
  in = (int8_t*)malloc(in_dims.channels * in_dims.length);
  ref = (int8_t*)malloc(out_dims.channels * out_dims.length);
  opt = (int8_t*)malloc(out_dims.channels * out_dims.length);
  fill_i8(in, in_dims.channels * in_dims.length);
  if (uniform(0, 3) == 0) { /* sums at their ends */
    const int8_t end = (int8_t)(uniform(0, 1) ? -128 : 127);
    memset(in, end, in_dims.channels * in_dims.length);
  }
  plrt_avgpool1d_s8_ref(&p, &in_dims, in, &out_dims, ref);
  for (v = 0; v < 5; ++v) {
    if (v == 0) {
      plrt_avgpool1d_s8(&p, &in_dims, in, &out_dims, opt);
    } else if (v == 1) {
      plrt_avgpool1d_s8_portable(&p, &in_dims, in, &out_dims, opt);
    } else if (v == 2) {
#if PLRT_X86_SIMD
      if (!plrt_pool_fits_pow2_avx2(&p, &in_dims) || !plrt_cpu_has_avx2()) continue;
      plrt_avgpool1d_s8_pow2_avx2(&p, &in_dims, in, &out_dims, opt);
#else
      continue;
#endif
    } else if (v == 3) {
#if PLRT_ARM_MVE_FLOAT
      plrt_avgpool1d_s8_mve(&p, &in_dims, in, &out_dims, opt);
#else
      continue;
#endif
    } else {
#if PLRT_ARM_DSP
      plrt_avgpool1d_s8_dsp(&p, &in_dims, in, &out_dims, opt);
#else
      continue;
#endif
    }
    snprintf(what, sizeof what,
             "avgpool (%s) C %" PRIu32 " L %" PRIu32 " k%" PRIu32 " s%" PRIu32 " rounding %d",
             v == 0   ? "avgpool"
             : v == 1 ? "portable"
             : v == 2 ? "avx2"
             : v == 3 ? "arm mve"
                      : "arm dsp",
             in_dims.channels, in_dims.length, p.kernel, p.stride, (int)p.rounding);
    compare(ref, opt, out_dims.channels * out_dims.length, what, seed);
  }
  free(in);
  free(ref);
  free(opt);
}

typedef void (*add_fn)(const plrt_add_params*, size_t, const int8_t*, const int8_t*, int8_t*);

static void add_case(int seed) {
  plrt_add_params p;
  const size_t n = (size_t)uniform(1, 700);
  int8_t *a, *b, *ref, *opt;
  add_fn fns[5];
  const char* names[5];
  int i, n_variants = 0;
  char what[64];
  g_rng = (uint64_t)seed * 15485863u + 5u;
  memset(&p, 0, sizeof p);
  p.mode = uniform(0, 1) ? PLRT_REQUANT_TFLITE : PLRT_REQUANT_POW2;
  if (p.mode == PLRT_REQUANT_TFLITE) {
    p.input_zero_point[0] = uniform(-128, 127);
    p.input_zero_point[1] = uniform(-128, 127);
    p.output_zero_point = uniform(-128, 127);
    p.left_shift = uniform(0, 3) == 0 ? uniform(0, 23) : 20;
    for (i = 0; i < 3; ++i) {
      /* multipliers in [2^30, 2^31) or 0; shifts over the whole range, positive ones
       * saturating the input rescales and their sum */
      p.multiplier[i] =
          uniform(0, 20) == 0 ? 0 : (int32_t)(0x40000000u + (next_u32() & 0x3FFFFFFFu));
      p.shift[i] = uniform(0, 4) == 0 ? uniform(-31, 30) : uniform(-20, 0);
    }
  }
  random_clamp(&p.act_min, &p.act_max);
  if (p.mode == PLRT_REQUANT_TFLITE && seed % 4 == 0) {
    /* the DSP kernel's doubled-table path: the whole int8 range, some with output shift 0 */
    p.act_min = -128, p.act_max = 127;
    if (seed % 8 == 0) p.shift[2] = 0;
  }
  a = (int8_t*)malloc(n);
  b = (int8_t*)malloc(n);
  ref = (int8_t*)malloc(n);
  opt = (int8_t*)malloc(n);
  fill_i8(a, n);
  fill_i8(b, n);
  plrt_add_s8_ref(&p, n, a, b, ref);
  fns[n_variants] = plrt_add_s8, names[n_variants++] = "add";
  fns[n_variants] = plrt_add_s8_portable, names[n_variants++] = "portable";
#if PLRT_ARM_DSP
  fns[n_variants] = plrt_add_s8_dsp, names[n_variants++] = "arm dsp";
#endif
#if PLRT_ARM_MVE
  fns[n_variants] = plrt_add_s8_mve, names[n_variants++] = "arm mve";
#endif
#if PLRT_X86_SIMD
  if (plrt_cpu_has_avx2()) {
    fns[n_variants] =
        p.mode == PLRT_REQUANT_TFLITE ? plrt_add_s8_tflite_avx2 : plrt_add_s8_pow2_avx2;
    names[n_variants++] = "avx2";
  }
  if (p.mode == PLRT_REQUANT_TFLITE && plrt_cpu_has_avx512()) {
    fns[n_variants] = plrt_add_s8_tflite_avx512;
    names[n_variants++] = "avx512";
  }
#endif
  for (i = 0; i < n_variants; ++i) {
    fns[i](&p, n, a, b, opt);
    snprintf(what, sizeof what, "add %s (%s) n %zu",
             p.mode == PLRT_REQUANT_TFLITE ? "TFLITE" : "POW2", names[i], n);
    compare(ref, opt, n, what, seed);
  }
  free(a);
  free(b);
  free(ref);
  free(opt);
}

/* plrt_pool_mean_reciprocal (and plrt_pool_mean_shift for powers of two) against
 * plrt_pool_mean: every sum of every kernel up to 300, and for larger kernels up to the format's
 * 65535 the sums around each multiple and half-multiple of n (where the floors change) plus
 * random ones. */
static void check_pool_mean(int32_t n, int32_t s, plrt_pool_rounding rounding,
                            const plrt_pool_divisor* d) {
  const int32_t expected = plrt_pool_mean(s, n, rounding), actual = plrt_pool_mean_reciprocal(s, d);
  if (expected != actual) {
    ++g_failures;
    fprintf(stderr,
            "pool mean n %" PRId32 " s %" PRId32 " rounding %d: %" PRId32 ", expected %" PRId32
            "\n",
            n, s, (int)rounding, actual, expected);
  }
  if (d->log2_n >= 0 && plrt_pool_mean_shift(s, d) != expected) {
    ++g_failures;
    fprintf(stderr,
            "pool mean n %" PRId32 " s %" PRId32 " rounding %d by a shift: %" PRId32
            ", expected %" PRId32 "\n",
            n, s, (int)rounding, plrt_pool_mean_shift(s, d), expected);
  }
}

static void pool_mean_cases(void) {
  static const int32_t large[] = {301,  509,   1000,  1023,  1024,  1025,  4095,  4096,
                                  4097, 10007, 32767, 32768, 32769, 65533, 65534, 65535};
  int rounding;
  for (rounding = 0; rounding < 4; ++rounding) {
    const plrt_pool_rounding r = (plrt_pool_rounding)rounding;
    int32_t n, s, k, i;
    size_t j;
    for (n = 1; n <= 300; ++n) {
      const plrt_pool_divisor d = plrt_pool_divisor_make(n, r);
      for (s = -128 * n; s <= 127 * n; ++s) check_pool_mean(n, s, r, &d);
    }
    for (j = 0; j < sizeof large / sizeof large[0] + 20; ++j) {
      const int32_t big = j < sizeof large / sizeof large[0] ? large[j] : uniform(301, 65535);
      const plrt_pool_divisor d = plrt_pool_divisor_make(big, r);
      for (k = -128; k <= 127; ++k) {
        for (i = -3; i <= 3; ++i) {
          const int32_t at[2] = {k * big + i, k * big + big / 2 + i};
          int m;
          for (m = 0; m < 2; ++m) {
            if (at[m] >= -128 * big && at[m] <= 127 * big) check_pool_mean(big, at[m], r, &d);
          }
        }
      }
      for (i = 0; i < 20000; ++i) check_pool_mean(big, uniform(-128 * big, 127 * big), r, &d);
    }
  }
  ++g_checks;
}

/* plrt_opt_mbqm_right (one 64-bit multiply-accumulate, the two roundings folded into one
 * constant) against the reference's plrt_multiply_by_quantized_multiplier, for every right
 * shift 0..31: x on the int32 edges (0, +-1, +-2, INT32_MIN, INT32_MAX and their neighbours),
 * around the rounding ties of both roundings (x m near (j + 1/2) 2^31 and (j + 1/2) 2^(31+r);
 * exact ties for m = 2^30), and at random; m at 0, 2^30, 2^30 + 1, 2^31 - 1
 * and at random in [2^30, 2^31). */
static void check_mbqm_right(int32_t x, int32_t m, int32_t shift, const plrt_opt_right_shift* rs) {
  const int32_t expected = plrt_multiply_by_quantized_multiplier(x, m, shift);
  const int32_t actual = plrt_opt_mbqm_right(x, m, rs);
  ++g_checks;
  if (expected != actual) {
    ++g_failures;
    fprintf(stderr,
            "mbqm x %" PRId32 " m %" PRId32 " shift %" PRId32 ": %" PRId32 ", expected %" PRId32
            "\n",
            x, m, shift, actual, expected);
  }
}

static void mbqm_right_cases(void) {
  static const int32_t edges[] = {0,
                                  1,
                                  -1,
                                  2,
                                  -2,
                                  3,
                                  -3,
                                  INT32_MAX,
                                  INT32_MIN,
                                  INT32_MAX - 1,
                                  INT32_MIN + 1,
                                  1 << 30,
                                  -(1 << 30),
                                  (1 << 30) - 1,
                                  1 - (1 << 30),
                                  65535,
                                  -65536};
  int32_t r, i, j, e, d, k;
  for (r = 0; r <= 31; ++r) {
    const plrt_opt_right_shift rs = plrt_opt_right_shift_make(-r);
    for (k = 0; k < 24; ++k) {
      const int32_t m = k == 0   ? 0
                        : k == 1 ? INT32_C(1) << 30
                        : k == 2 ? (INT32_C(1) << 30) + 1
                        : k == 3 ? INT32_MAX
                                 : (int32_t)((UINT32_C(1) << 30) | (next_u32() >> 2));
      for (e = 0; e < (int32_t)(sizeof edges / sizeof edges[0]); ++e) {
        check_mbqm_right(edges[e], m, -r, &rs);
      }
      for (j = -80; j <= 80 && m != 0; ++j) { /* x m near the ties of both roundings */
        const double tie = ((double)(j / 2) + 0.5) * ldexp(1.0, 31 + (j & 1) * r) / (double)m;
        if (tie < -2147483640.0 || tie > 2147483640.0) continue;
        for (d = -2; d <= 2; ++d) check_mbqm_right((int32_t)tie + d, m, -r, &rs);
      }
      for (i = 0; i < 200; ++i) check_mbqm_right((int32_t)next_u32(), m, -r, &rs);
      for (i = 0; i < 100; ++i) check_mbqm_right(uniform(-70000, 70000), m, -r, &rs);
    }
  }
}

static void concat_relu_case(int seed) {
  plrt_dims dims[4], out_dims;
  int8_t* parts[4];
  const int8_t* in[4];
  int8_t *ref, *opt;
  plrt_relu_params r;
  uint32_t n, i;
  g_rng = (uint64_t)seed * 32452843u + 7u;
  n = (uint32_t)uniform(2, 4);
  out_dims.length = (uint32_t)uniform(1, 30);
  out_dims.channels = 0;
  for (i = 0; i < n; ++i) {
    dims[i].channels = (uint32_t)uniform(1, 40);
    dims[i].length = out_dims.length;
    out_dims.channels += dims[i].channels;
    parts[i] = (int8_t*)malloc(dims[i].channels * dims[i].length);
    fill_i8(parts[i], dims[i].channels * dims[i].length);
    in[i] = parts[i];
  }
  ref = (int8_t*)malloc(out_dims.channels * out_dims.length);
  opt = (int8_t*)malloc(out_dims.channels * out_dims.length);
  plrt_concat_s8_ref(n, dims, in, &out_dims, ref);
  plrt_concat_s8(n, dims, in, &out_dims, opt);
  compare(ref, opt, out_dims.channels * out_dims.length, "concat", seed);
  r.zero_point = uniform(-128, 127);
  random_clamp(&r.act_min, &r.act_max);
  {
    const size_t count = out_dims.channels * out_dims.length;
    int8_t* relu_ref = (int8_t*)malloc(count);
    int8_t* relu_opt = (int8_t*)malloc(count);
    int v;
    plrt_relu_s8_ref(&r, count, opt, relu_ref);
    for (v = 0; v < 3; ++v) {
      if (v == 0) {
        plrt_relu_s8(&r, count, opt, relu_opt);
      } else if (v == 1) {
        plrt_relu_s8_portable(&r, count, opt, relu_opt);
      } else {
#if PLRT_X86_SIMD
        if (!plrt_cpu_has_avx2()) continue;
        plrt_relu_s8_avx2(&r, count, opt, relu_opt);
#else
        continue;
#endif
      }
      compare(relu_ref, relu_opt, count,
              v == 0   ? "relu"
              : v == 1 ? "relu (portable)"
                       : "relu (avx2)",
              seed);
    }
    free(relu_ref);
    free(relu_opt);
  }
  for (i = 0; i < n; ++i) free(parts[i]);
  free(ref);
  free(opt);
}

int main(void) {
  int seed;
#if PLRT_X86_SIMD
  if (!plrt_cpu_has_avx512()) {
    printf("ops_opt_test: this CPU has no AVX-512 VNNI: that convolution is not checked\n");
  }
#endif
  for (seed = 0; seed < 400; ++seed) conv_case(seed, CONV_RANDOM);
  for (seed = 0; seed < 40; ++seed) conv_case(1000 + seed, CONV_LONG_WINDOW);
  for (seed = 0; seed < 40; ++seed) conv_case(2000 + seed, CONV_LONG_OUTPUT);
  for (seed = 0; seed < 100; ++seed) conv_case(3000 + seed, CONV_WIDE_PAD);
  for (seed = 0; seed < 200; ++seed) conv_case(4000 + seed, CONV_EXTREME);
  for (seed = 0; seed < 400; ++seed) conv_case(5000 + seed, CONV_NARROW);
  for (seed = 0; seed < 400; ++seed) conv_case(6000 + seed, CONV_ZERO_POINT);
  for (seed = 0; seed < 30; ++seed) conv_case(7000 + seed, CONV_HUGE_WINDOW);
  for (seed = 0; seed < 40; ++seed) conv_case(8000 + seed, CONV_WHOLE_GROUPS);
  for (seed = 0; seed < 400; ++seed) pool_case(seed);
  pool_mean_cases();
  mbqm_right_cases();
  for (seed = 0; seed < 400; ++seed) add_case(seed);
  for (seed = 0; seed < 200; ++seed) concat_relu_case(seed);
  return check_report("ops_opt_test");
}
