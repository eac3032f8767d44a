/* Each reference kernel on tiny cases computed by hand (the arithmetic is in the comments), both
 * requantisation modes: rounding ties, saturation, padding edges, zero points, clamps. The
 * optimised kernels run the same cases (ops_opt_test.c compares them on random ones too). */
#include "check.h"
#include "plrt_ops.h"

typedef void (*conv_fn)(const plrt_conv_params*, const plrt_requant*, const plrt_dims*,
                        const int8_t*, const int8_t*, const int32_t*, const plrt_dims*, int8_t*);

static void check_bytes(const int8_t* actual, const int8_t* expected, size_t n, const char* what,
                        int line) {
  size_t i;
  ++g_checks;
  for (i = 0; i < n; ++i) {
    if (actual[i] != expected[i]) {
      ++g_failures;
      fprintf(stderr, "%s:%d: %s: element %zu is %d, expected %d\n", __FILE__, line, what, i,
              actual[i], expected[i]);
      return;
    }
  }
}

/* Requantisation with the full int8 output range and zero point 0 unless the test changes them. */
static plrt_requant requant(plrt_requant_mode mode, const int32_t* multiplier,
                            const int32_t* shift) {
  plrt_requant q;
  q.mode = mode;
  q.multiplier = multiplier;
  q.shift = shift;
  q.output_zero_point = 0;
  q.act_min = -128;
  q.act_max = 127;
  return q;
}

/* POW2 conv, C_in 2, L 3, kernel 2, pad 1 -> L_out 4, C_out 2, r = (1, 2), bias (1, -2).
 *   x[t](c0, c1) = [0](10, -20) [1](30, 40) [2](-50, 127)
 *   w[o][k](c0, c1): o0 = k0 (1, 2), k1 (-1, 3);  o1 = k0 (4, 0), k1 (0, -4)
 *   out[t] reads x[t - 1] (tap k0) and x[t] (tap k1); x[-1] and x[3] are padding.
 *   t0 o0: 1 + (-10 - 60)            =  -69 -> (-69 + 1) >> 1 = -34  (-34.5: tie up)
 *   t0 o1: -2 + (0 + 80)             =   78 -> (78 + 2) >> 2  =  20  (19.5: tie up)
 *   t1 o0: 1 + (10 - 40) + (-30 + 120) =  61 -> 62 >> 1       =  31  (30.5)
 *   t1 o1: -2 + (40 + 0) + (0 - 160) = -122 -> -120 >> 2      = -30  (-30.5: tie up)
 *   t2 o0: 1 + (30 + 80) + (50 + 381) = 542 -> 271 -> 127 (saturated)
 *   t2 o1: -2 + (120 + 0) + (0 - 508) = -390 -> -388 >> 2     = -97  (-97.5)
 *   t3 o0: 1 + (-50 + 254)           =  205 -> 206 >> 1       = 103  (102.5)
 *   t3 o1: -2 + (-200 + 0)           = -202 -> -200 >> 2      = -50  (-50.5)
 * With clamp [0, 127] (ReLU) the negatives become 0. */
static void test_conv_pow2(conv_fn conv, const char* name) {
  static const int8_t x[6] = {10, -20, 30, 40, -50, 127};
  static const int8_t w[8] = {1, 2, -1, 3, 4, 0, 0, -4};
  static const int32_t bias[2] = {1, -2}, shift[2] = {1, 2};
  static const int8_t expected[8] = {-34, 20, 31, -30, 127, -97, 103, -50};
  static const int8_t expected_relu[8] = {0, 20, 31, 0, 127, 0, 103, 0};
  const plrt_dims in = {2, 3}, out = {2, 4};
  plrt_conv_params p;
  plrt_requant q;
  int8_t y[8];
  p.kernel = 2;
  p.pad = 1;
  p.input_zero_point = 0;
  q = requant(PLRT_REQUANT_POW2, NULL, shift);
  conv(&p, &q, &in, x, w, bias, &out, y);
  check_bytes(y, expected, 8, name, __LINE__);
  q.act_min = 0;
  conv(&p, &q, &in, x, w, bias, &out, y);
  check_bytes(y, expected_relu, 8, name, __LINE__);
}

/* POW2 1x1 with a negative r (= left shift): r = -2 multiplies by 4, no bias.
 *   x = (3, -40) at one step, w o0 = (1, 0), o1 = (0, 1): 3 * 4 = 12, -40 * 4 = -160 -> -128 */
static void test_pointwise_negative_shift(conv_fn conv, const char* name) {
  static const int8_t x[2] = {3, -40}, w[4] = {1, 0, 0, 1}, expected[2] = {12, -128};
  static const int32_t shift[2] = {-2, -2};
  const plrt_dims in = {2, 1}, out = {2, 1};
  plrt_conv_params p = {1, 0, 0};
  plrt_requant q;
  int8_t y[2];
  q = requant(PLRT_REQUANT_POW2, NULL, shift);
  conv(&p, &q, &in, x, w, NULL, &out, y);
  check_bytes(y, expected, 2, name, __LINE__);
}

/* TFLITE conv, C_in 1, L 3, kernel 3, pad 1, zx = 3, zy = -4: x - zx = (5 - 3, 9 - 3, -128 - 3)
 * = (2, 6, -131). Output channel 0: w (1, -2, 3), bias 7, multiplier 2^30 (0.5), shift -1, so
 * y = RoundingDivideByPOT(SRDHM(acc, 2^30), 1) - 4; channel 1: the same weights, shift +1
 * (x 2 * 0.5 = 1); channel 2: w (-1, 2, -3), bias -7, shift -1.
 *   t0 = [pad, 2, 6]:    acc0 = 7 - 4 + 18 = 21       -> 10.5 -> 11, 5.5 -> 6, y = 2
 *   t1 = [2, 6, -131]:   acc0 = 7 + 2 - 12 - 393 = -396 -> -198, -99, y = -103
 *   t2 = [6, -131, pad]: acc0 = 7 + 6 + 262 = 275     -> 137.5 -> 138, 69, y = 65
 *   channel 1: 21 - 4 = 17, -396 - 4 = -400 -> -128, 275 - 4 = 271 -> 127 (both saturate)
 *   channel 2: acc = -21: SRDHM -10.5 -> -10 (ties toward +inf), RDBPOT(-10, 1) = -5, y = -9;
 *              acc = 396: 198, 99, y = 95;
 *              acc = -275: SRDHM -137.5 -> -137, RDBPOT(-137, 1) = -68.5 -> -69, y = -73 */
static void test_conv_tflite(conv_fn conv, const char* name) {
  static const int8_t x[3] = {5, 9, -128};
  static const int8_t w[9] = {1, -2, 3, 1, -2, 3, -1, 2, -3};
  static const int32_t bias[3] = {7, 7, -7}, mult[3] = {1 << 30, 1 << 30, 1 << 30};
  static const int32_t shift[3] = {-1, 1, -1};
  static const int8_t expected[9] = {2, 17, -9, -103, -128, 95, 65, 127, -73};
  const plrt_dims in = {1, 3}, out = {3, 3};
  plrt_conv_params p = {3, 1, 3};
  plrt_requant q;
  int8_t y[9];
  q = requant(PLRT_REQUANT_TFLITE, mult, shift);
  q.output_zero_point = -4;
  conv(&p, &q, &in, x, w, bias, &out, y);
  check_bytes(y, expected, 9, name, __LINE__);
}

/* C 2, L 5: x[t] = (1, -1) (2, -2) (4, -4) (-3, 3) (5, 6).
 * kernel 2, stride 2 -> L_out 2, sums [0](3, -3) [1](1, -1), n = 2:
 *   floor: (1, -2) (0, -1);  half up: floor((2s + 2) / 4): (2, -1) (1, 0);
 *   half away: (s +- 1) / 2 truncated: (2, -2) (1, -1)
 * kernel 5, stride 1 -> L_out 1, sums (9, 2): 1.8 and 0.4:
 *   floor (1, 0); half up (floor(20 / 10) = 2, floor(9 / 10) = 0); half away ((9 + 2) / 5 = 2, 0)
 * clamp [-1, 1] on the half-up kernel-5 case: (1, 0). */
static void test_avgpool(void) {
  static const int8_t x[10] = {1, -1, 2, -2, 4, -4, -3, 3, 5, 6};
  static const int8_t k2[3][4] = {{1, -2, 0, -1}, {2, -1, 1, 0}, {2, -2, 1, -1}};
  static const int8_t k5[3][2] = {{1, 0}, {2, 0}, {2, 0}};
  const plrt_dims in = {2, 5}, out2 = {2, 2}, out5 = {2, 1};
  plrt_pool_params p;
  int8_t y[4];
  int rounding, opt;
  for (opt = 0; opt < 2; ++opt) {
    void (*pool)(const plrt_pool_params*, const plrt_dims*, const int8_t*, const plrt_dims*,
                 int8_t*) = opt ? plrt_avgpool1d_s8 : plrt_avgpool1d_s8_ref;
    const char* name = opt ? "avgpool (optimised)" : "avgpool (reference)";
    p.act_min = -128;
    p.act_max = 127;
    for (rounding = 0; rounding < 3; ++rounding) {
      p.rounding = (plrt_pool_rounding)rounding;
      p.kernel = 2;
      p.stride = 2;
      pool(&p, &in, x, &out2, y);
      check_bytes(y, k2[rounding], 4, name, __LINE__);
      p.kernel = 5;
      p.stride = 1;
      pool(&p, &in, x, &out5, y);
      check_bytes(y, k5[rounding], 2, name, __LINE__);
    }
    p.rounding = PLRT_POOL_ROUNDING_HALF_UP;
    p.act_min = -1;
    p.act_max = 1;
    pool(&p, &in, x, &out5, y);
    check_bytes(y, k5[0], 2, name, __LINE__); /* (2, 0) clamped to (1, 0) */
  }
}

/* POW2: 100 + 100 = 200 -> 127, -100 - 100 -> -128, 5 - 3 = 2, -1 + 0 = -1; clamp [0, 127]
 * makes the last 0.
 * TFLITE: z0 = 2, z1 = 1, zy = -1, left_shift 20, input 0 x 0.5 (2^30, shift 0), input 1 x 0.25
 * (2^30, shift -1), output x 0.5 / 2^19 (2^30, shift -19):
 *   (10, -5):   a0 = 8 * 2^20 * 0.5 = 4 * 2^20; a1 = -6 * 2^20 * 0.25 = -1.5 * 2^20;
 *               sum 2.5 * 2^20 -> 1.25 * 2^20 / 2^19 = 2.5 -> 3 (away); y = 3 - 1 = 2
 *   (-128, 127): a0 = -130 * 2^19 = -68157440; a1 = 126 * 2^18 = 33030144; sum -35127296 ->
 *               -17563648 / 2^19 = -33.5 -> -34; y = -35
 *   (127, 127): a0 = 125 * 2^19 = 65536000; a1 = 33030144; sum 98566144 -> 49283072 / 2^19 = 94;
 *               y = 93, clamped to the act_max 90 */
static void test_add(void) {
  static const int8_t a[4] = {100, -100, 5, -1}, b[4] = {100, -100, -3, 0};
  static const int8_t pow2[4] = {127, -128, 2, -1}, pow2_relu[4] = {127, 0, 2, 0};
  static const int8_t ta[3] = {10, -128, 127}, tb[3] = {-5, 127, 127}, tflite[3] = {2, -35, 90};
  plrt_add_params p;
  int8_t y[4];
  int opt;
  for (opt = 0; opt < 2; ++opt) {
    void (*add)(const plrt_add_params*, size_t, const int8_t*, const int8_t*, int8_t*) =
        opt ? plrt_add_s8 : plrt_add_s8_ref;
    const char* name = opt ? "add (optimised)" : "add (reference)";
    memset(&p, 0, sizeof p);
    p.mode = PLRT_REQUANT_POW2;
    p.act_min = -128;
    p.act_max = 127;
    add(&p, 4, a, b, y);
    check_bytes(y, pow2, 4, name, __LINE__);
    p.act_min = 0;
    add(&p, 4, a, b, y);
    check_bytes(y, pow2_relu, 4, name, __LINE__);
    p.mode = PLRT_REQUANT_TFLITE;
    p.input_zero_point[0] = 2;
    p.input_zero_point[1] = 1;
    p.output_zero_point = -1;
    p.multiplier[0] = p.multiplier[1] = p.multiplier[2] = 1 << 30;
    p.shift[0] = 0;
    p.shift[1] = -1;
    p.shift[2] = -19;
    p.left_shift = 20;
    p.act_min = -128;
    p.act_max = 90;
    add(&p, 3, ta, tb, y);
    check_bytes(y, tflite, 3, name, __LINE__);
  }
}

/* Three inputs of 1, 2 and 1 channels, length 2, interleaved per time step. */
static void test_concat(void) {
  static const int8_t p0[2] = {1, 2}, p1[4] = {10, 11, 20, 21}, p2[2] = {-1, -2};
  static const int8_t expected[8] = {1, 10, 11, -1, 2, 20, 21, -2};
  const int8_t* parts[3];
  const plrt_dims dims[3] = {{1, 2}, {2, 2}, {1, 2}}, out = {4, 2};
  int8_t y[8];
  parts[0] = p0;
  parts[1] = p1;
  parts[2] = p2;
  plrt_concat_s8_ref(3, dims, parts, &out, y);
  check_bytes(y, expected, 8, "concat (reference)", __LINE__);
  plrt_concat_s8(3, dims, parts, &out, y);
  check_bytes(y, expected, 8, "concat (optimised)", __LINE__);
}

/* zero point -3, clamp [-128, 5]: max(x, -3) then <= 5. And an empty clamp range above the
 * zero point: zero point 10, clamp [-128, 4] gives 4 everywhere. */
static void test_relu(void) {
  static const int8_t x[5] = {-10, -3, 4, 100, -128};
  static const int8_t expected[5] = {-3, -3, 4, 5, -3}, all4[5] = {4, 4, 4, 4, 4};
  plrt_relu_params p = {-3, -128, 5};
  int8_t y[5];
  plrt_relu_s8_ref(&p, 5, x, y);
  check_bytes(y, expected, 5, "relu (reference)", __LINE__);
  plrt_relu_s8(&p, 5, x, y);
  check_bytes(y, expected, 5, "relu (optimised)", __LINE__);
  p.zero_point = 10;
  p.act_max = 4;
  plrt_relu_s8_ref(&p, 5, x, y);
  check_bytes(y, all4, 5, "relu (reference, zero point above act_max)", __LINE__);
  plrt_relu_s8(&p, 5, x, y);
  check_bytes(y, all4, 5, "relu (optimised, zero point above act_max)", __LINE__);
}

int main(void) {
  test_conv_pow2(plrt_conv1d_s8_ref, "conv1d POW2 (reference)");
  test_conv_pow2(plrt_conv1d_s8, "conv1d POW2 (optimised)");
  test_pointwise_negative_shift(plrt_pointwise_conv_s8_ref, "pointwise (reference)");
  test_pointwise_negative_shift(plrt_pointwise_conv_s8, "pointwise (optimised)");
  test_conv_tflite(plrt_conv1d_s8_ref, "conv1d TFLITE (reference)");
  test_conv_tflite(plrt_conv1d_s8, "conv1d TFLITE (optimised)");
  test_avgpool();
  test_add();
  test_concat();
  test_relu();
  return check_report("ops_ref_test");
}
