/* Optimised kernels against the reference kernels, bit for bit, on seeded random shapes and
 * values: odd channel counts, every kernel size up to 9, windows longer than one stack chunk,
 * both requantisation modes, random zero points, clamps and shifts. A mismatch prints the case
 * (seed and shape) and the first differing element. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "plrt_ops.h"

static uint64_t g_rng;

static uint32_t next_u32(void) { /* splitmix64 */
  uint64_t z = (g_rng += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* Uniform in [lo, hi]. */
static int32_t uniform(int32_t lo, int32_t hi) {
  return lo + (int32_t)(next_u32() % (uint32_t)(hi - lo + 1));
}

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

static void conv_case(int seed, int force_long_window) {
  plrt_conv_params p;
  plrt_requant q;
  plrt_dims in_dims, out_dims;
  int8_t *in, *w, *ref, *opt;
  int32_t *bias, *mult, *shift;
  uint32_t o;
  const int tflite = uniform(0, 1);
  char what[160];
  g_rng = (uint64_t)seed * 7919u + 1u;
  p.kernel = force_long_window ? (uint32_t)uniform(8, 9) : (uint32_t)uniform(1, 9);
  if (!force_long_window && uniform(0, 2) == 0) p.kernel = 1;
  p.pad = (uint32_t)uniform(0, (int32_t)p.kernel - 1);
  in_dims.channels = force_long_window ? (uint32_t)uniform(60, 130) : (uint32_t)uniform(1, 70);
  in_dims.length =
      (uint32_t)uniform((int32_t)(p.kernel > p.pad * 2 ? p.kernel - 2 * p.pad : 1), 40);
  out_dims.channels = (uint32_t)uniform(1, 37);
  out_dims.length = in_dims.length + 2 * p.pad - p.kernel + 1;
  p.input_zero_point = tflite ? uniform(-128, 127) : 0;
  in = (int8_t*)malloc(in_dims.channels * in_dims.length);
  w = (int8_t*)malloc((size_t)out_dims.channels * p.kernel * in_dims.channels);
  ref = (int8_t*)malloc((size_t)out_dims.channels * out_dims.length);
  opt = (int8_t*)malloc((size_t)out_dims.channels * out_dims.length);
  bias = (int32_t*)malloc(out_dims.channels * sizeof(int32_t));
  mult = (int32_t*)malloc(out_dims.channels * sizeof(int32_t));
  shift = (int32_t*)malloc(out_dims.channels * sizeof(int32_t));
  fill_i8(in, in_dims.channels * in_dims.length);
  fill_i8(w, (size_t)out_dims.channels * p.kernel * in_dims.channels);
  for (o = 0; o < out_dims.channels; ++o) {
    bias[o] = uniform(-(1 << 20), 1 << 20);
    /* multipliers in [2^30, 2^31) (sometimes 0); shifts over the whole valid range, mostly
     * where real models are (outputs neither all zero nor all saturated) */
    mult[o] = uniform(0, 20) == 0 ? 0 : (int32_t)(0x40000000u + (next_u32() & 0x3FFFFFFFu));
    shift[o] = tflite ? (uniform(0, 4) == 0 ? uniform(-31, 30) : uniform(-16, -6))
                      : (uniform(0, 4) == 0 ? uniform(-8, 22) : uniform(6, 14));
  }
  q.mode = tflite ? PLRT_REQUANT_TFLITE : PLRT_REQUANT_POW2;
  q.multiplier = tflite ? mult : NULL;
  q.shift = shift;
  q.output_zero_point = tflite ? uniform(-128, 127) : 0;
  random_clamp(&q.act_min, &q.act_max);
  {
    const int32_t* b = uniform(0, 3) == 0 ? NULL : bias; /* sometimes no bias */
    if (p.kernel == 1 && p.pad == 0) {
      plrt_pointwise_conv_s8_ref(&p, &q, &in_dims, in, w, b, &out_dims, ref);
      plrt_pointwise_conv_s8(&p, &q, &in_dims, in, w, b, &out_dims, opt);
    } else {
      plrt_conv1d_s8_ref(&p, &q, &in_dims, in, w, b, &out_dims, ref);
      plrt_conv1d_s8(&p, &q, &in_dims, in, w, b, &out_dims, opt);
    }
  }
  snprintf(what, sizeof what, "conv %s k%u pad%u C_in %u L_in %u C_out %u zx %d",
           tflite ? "TFLITE" : "POW2", p.kernel, p.pad, in_dims.channels, in_dims.length,
           out_dims.channels, p.input_zero_point);
  compare(ref, opt, (size_t)out_dims.channels * out_dims.length, what, seed);
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
  g_rng = (uint64_t)seed * 104729u + 3u;
  in_dims.channels = (uint32_t)uniform(1, 150);
  in_dims.length = (uint32_t)uniform(1, 40);
  p.kernel = (uint32_t)uniform(1, (int32_t)in_dims.length);
  p.stride = (uint32_t)uniform(1, 5);
  p.rounding = (plrt_pool_rounding)uniform(0, 2);
  random_clamp(&p.act_min, &p.act_max);
  out_dims.channels = in_dims.channels;
  out_dims.length = (in_dims.length - p.kernel) / p.stride + 1;
  in = (int8_t*)malloc(in_dims.channels * in_dims.length);
  ref = (int8_t*)malloc(out_dims.channels * out_dims.length);
  opt = (int8_t*)malloc(out_dims.channels * out_dims.length);
  fill_i8(in, in_dims.channels * in_dims.length);
  plrt_avgpool1d_s8_ref(&p, &in_dims, in, &out_dims, ref);
  plrt_avgpool1d_s8(&p, &in_dims, in, &out_dims, opt);
  snprintf(what, sizeof what, "avgpool C %u L %u k%u s%u rounding %d", in_dims.channels,
           in_dims.length, p.kernel, p.stride, (int)p.rounding);
  compare(ref, opt, out_dims.channels * out_dims.length, what, seed);
  free(in);
  free(ref);
  free(opt);
}

static void add_case(int seed) {
  plrt_add_params p;
  const size_t n = (size_t)uniform(1, 700);
  int8_t *a, *b, *ref, *opt;
  int i;
  g_rng = (uint64_t)seed * 15485863u + 5u;
  memset(&p, 0, sizeof p);
  p.mode = uniform(0, 1) ? PLRT_REQUANT_TFLITE : PLRT_REQUANT_POW2;
  if (p.mode == PLRT_REQUANT_TFLITE) {
    p.input_zero_point[0] = uniform(-128, 127);
    p.input_zero_point[1] = uniform(-128, 127);
    p.output_zero_point = uniform(-128, 127);
    p.left_shift = uniform(0, 3) == 0 ? uniform(0, 23) : 20;
    for (i = 0; i < 3; ++i) {
      p.multiplier[i] = (int32_t)(0x40000000u + (next_u32() & 0x3FFFFFFFu));
      p.shift[i] = uniform(0, 4) == 0 ? uniform(-31, 30) : uniform(-20, 0);
    }
  }
  random_clamp(&p.act_min, &p.act_max);
  a = (int8_t*)malloc(n);
  b = (int8_t*)malloc(n);
  ref = (int8_t*)malloc(n);
  opt = (int8_t*)malloc(n);
  fill_i8(a, n);
  fill_i8(b, n);
  plrt_add_s8_ref(&p, n, a, b, ref);
  plrt_add_s8(&p, n, a, b, opt);
  compare(ref, opt, n, p.mode == PLRT_REQUANT_TFLITE ? "add TFLITE" : "add POW2", seed);
  free(a);
  free(b);
  free(ref);
  free(opt);
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
    plrt_relu_s8_ref(&r, count, opt, relu_ref);
    plrt_relu_s8(&r, count, opt, relu_opt);
    compare(relu_ref, relu_opt, count, "relu", seed);
    free(relu_ref);
    free(relu_opt);
  }
  for (i = 0; i < n; ++i) free(parts[i]);
  free(ref);
  free(opt);
}

int main(void) {
  int seed;
  for (seed = 0; seed < 400; ++seed) conv_case(seed, 0);
  for (seed = 0; seed < 40; ++seed) conv_case(1000 + seed, 1); /* windows > PLRT_OPT_CHUNK */
  for (seed = 0; seed < 400; ++seed) pool_case(seed);
  for (seed = 0; seed < 400; ++seed) add_case(seed);
  for (seed = 0; seed < 200; ++seed) concat_relu_case(seed);
  return check_report("ops_opt_test");
}
