/* The shared fixed-point helpers (plrt_fixed_point.h) on hand-computed values, TFLite's known
 * corner cases among them, and the short MBQM form against TFLite's form. */
#include "check.h"
#include "plrt_fixed_point.h"

static void test_saturating_rounding_doubling_high_mul(void) {
  /* the one overflow: INT32_MIN * INT32_MIN / 2^31 = 2^31 does not fit, saturates */
  CHECK_EQ(plrt_saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MIN), INT32_MAX);
  /* -2^31 (2^31 - 1) / 2^31 = -2^31 + 1 - 2^-31 ... nudged by (1 - 2^30) / 2^31 = -0.49999,
   * truncated toward zero: -2147483647 */
  CHECK_EQ(plrt_saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MAX), -2147483647);
  /* (2^31 - 1)^2 / 2^31 = 2^31 - 2 + 2^-31, + 0.5, truncated: 2147483646 */
  CHECK_EQ(plrt_saturating_rounding_doubling_high_mul(INT32_MAX, INT32_MAX), 2147483646);
  /* 2^30 * 2^30 / 2^31 = 2^29 exactly */
  CHECK_EQ(plrt_saturating_rounding_doubling_high_mul(1 << 30, 1 << 30), 1 << 29);
  /* ties: 3 * 2^30 / 2^31 = 1.5 -> 2; -1.5 -> -1 and -2.5 -> -2 (ties toward +infinity, since
   * the negative nudge is 1 - 2^30: (-4 * 2^30 + 1) / 2^31 truncates to -1) */
  CHECK_EQ(plrt_saturating_rounding_doubling_high_mul(3, 1 << 30), 2);
  CHECK_EQ(plrt_saturating_rounding_doubling_high_mul(-3, 1 << 30), -1);
  CHECK_EQ(plrt_saturating_rounding_doubling_high_mul(-5, 1 << 30), -2);
  /* 1000 * 1288490189 / 2^31 = 600.00000007 -> 600; -1000 -> -600 */
  CHECK_EQ(plrt_saturating_rounding_doubling_high_mul(1000, 1288490189), 600);
  CHECK_EQ(plrt_saturating_rounding_doubling_high_mul(-1000, 1288490189), -600);
  CHECK_EQ(plrt_saturating_rounding_doubling_high_mul(12345, 0), 0);
}

static void test_rounding_divide_by_pot(void) {
  CHECK_EQ(plrt_rounding_divide_by_pot(5, 1), 3);   /* 2.5 -> 3, away from zero */
  CHECK_EQ(plrt_rounding_divide_by_pot(-5, 1), -3); /* -2.5 -> -3: the negative tie */
  CHECK_EQ(plrt_rounding_divide_by_pot(-4, 1), -2);
  CHECK_EQ(plrt_rounding_divide_by_pot(6, 2), 2);   /* 1.5 -> 2 */
  CHECK_EQ(plrt_rounding_divide_by_pot(-6, 2), -2); /* -1.5 -> -2 */
  CHECK_EQ(plrt_rounding_divide_by_pot(7, 2), 2);   /* 1.75 */
  CHECK_EQ(plrt_rounding_divide_by_pot(-7, 2), -2); /* -1.75 */
  CHECK_EQ(plrt_rounding_divide_by_pot(-5, 2), -1); /* -1.25 */
  CHECK_EQ(plrt_rounding_divide_by_pot(-123, 0), -123);
  /* exponent 31, the largest: (2^31 - 1) / 2^31 -> 1; -2^31 / 2^31 = -1; +-0.5 -> +-1 */
  CHECK_EQ(plrt_rounding_divide_by_pot(INT32_MAX, 31), 1);
  CHECK_EQ(plrt_rounding_divide_by_pot(INT32_MIN, 31), -1);
  CHECK_EQ(plrt_rounding_divide_by_pot(1 << 30, 31), 1);
  CHECK_EQ(plrt_rounding_divide_by_pot(-(1 << 30), 31), -1);
  CHECK_EQ(plrt_rounding_divide_by_pot((1 << 30) - 1, 31), 0);
  CHECK_EQ(plrt_rounding_divide_by_pot(-(1 << 30) + 1, 31), 0);
}

static void test_multiply_by_quantized_multiplier(void) {
  /* multiplier 2^30 is 0.5 */
  CHECK_EQ(plrt_multiply_by_quantized_multiplier(100, 1 << 30, 0), 50);
  CHECK_EQ(plrt_multiply_by_quantized_multiplier(100, 1 << 30, -1), 25);
  /* double rounding, as TFLite: 101 * 0.25 = 25.25, but SRDHM gives 50.5 -> 51 and
   * RoundingDivideByPOT(51, 1) = 25.5 -> 26 */
  CHECK_EQ(plrt_multiply_by_quantized_multiplier(101, 1 << 30, -1), 26);
  /* -101: SRDHM -50.5 -> -50 (toward +infinity), then -25 exactly */
  CHECK_EQ(plrt_multiply_by_quantized_multiplier(-101, 1 << 30, -1), -25);
  /* left shift 2: 3 * 4 = 12, * 0.5 = 6 */
  CHECK_EQ(plrt_multiply_by_quantized_multiplier(3, 1 << 30, 2), 6);
  /* 2^30 * 2^2 leaves int32 and saturates to 2^31 - 1; (2^31 - 1) * 0.5 = 2^30 - 0.5 -> 2^30
   * (exactly it would be 2^31: either way far outside int8, so clamps agree) */
  CHECK_EQ(plrt_multiply_by_quantized_multiplier(1 << 30, 1 << 30, 2), 1 << 30);
  CHECK_EQ(plrt_multiply_by_quantized_multiplier(-(1 << 30), 1 << 30, 2), -(1 << 30));
  CHECK_EQ(plrt_multiply_by_quantized_multiplier(777, 0, 5), 0);
  /* shift -31: SRDHM(MAX, MAX) = 2147483646, / 2^31 = 0.99999 -> 1 */
  CHECK_EQ(plrt_multiply_by_quantized_multiplier(INT32_MAX, INT32_MAX, -31), 1);
  /* 0x6000_0000 = 0.75: 1000 * 0.75 = 750, shift -3: 93.75 -> 94 */
  CHECK_EQ(plrt_multiply_by_quantized_multiplier(1000, 0x60000000, -3), 94);
}

/* The short form against TFLite's form: every boundary of x, multiplier and shift, and a sweep. */
static void test_fast_form(void) {
  static const int32_t xs[] = {0,
                               1,
                               -1,
                               2,
                               -2,
                               3,
                               -3,
                               101,
                               -101,
                               255,
                               -255,
                               1 << 20,
                               -(1 << 20),
                               (1 << 30) - 1,
                               1 << 30,
                               -(1 << 30),
                               INT32_MAX,
                               INT32_MIN,
                               INT32_MIN + 1,
                               123456789,
                               -123456789};
  static const int32_t ms[] = {0, 1 << 30, (1 << 30) + 1, 0x60000000, 0x7FFFFFFE, INT32_MAX};
  uint32_t state = 1;
  size_t i, j;
  int32_t shift, mismatches = 0;
  for (i = 0; i < sizeof xs / sizeof xs[0]; ++i) {
    for (j = 0; j < sizeof ms / sizeof ms[0]; ++j) {
      for (shift = -31; shift <= 30; ++shift) {
        mismatches += plrt_multiply_by_quantized_multiplier_fast(xs[i], ms[j], shift) !=
                      plrt_multiply_by_quantized_multiplier(xs[i], ms[j], shift);
      }
    }
  }
  for (i = 0; i < 200000; ++i) {
    int32_t x, m;
    state = state * 1664525u + 1013904223u;
    x = (int32_t)state >> (state % 24); /* magnitudes from 2^7 to 2^31 */
    state = state * 1664525u + 1013904223u;
    m = (int32_t)(0x40000000u | (state >> 2));
    state = state * 1664525u + 1013904223u;
    shift = (int32_t)(state % 62u) - 31;
    mismatches += plrt_multiply_by_quantized_multiplier_fast(x, m, shift) !=
                  plrt_multiply_by_quantized_multiplier(x, m, shift);
  }
  CHECK_EQ(mismatches, 0);
}

static void test_pow2_round(void) {
  CHECK_EQ(plrt_pow2_round(5, 1), 3);   /* floor(2.5 + 0.5) */
  CHECK_EQ(plrt_pow2_round(-5, 1), -2); /* floor(-2.5 + 0.5): ties go up */
  CHECK_EQ(plrt_pow2_round(-6, 2), -1); /* -1.5 -> -1 */
  CHECK_EQ(plrt_pow2_round(-7, 2), -2); /* -1.75 */
  CHECK_EQ(plrt_pow2_round(7, 0), 7);
  CHECK_EQ(plrt_pow2_round(3, -2), 12);
  /* int64: (2^31 - 1) * 2^8 */
  CHECK_EQ(plrt_pow2_round(INT32_MAX, -8), INT64_C(549755813632));
  CHECK_EQ(plrt_pow2_round(INT32_MIN, 22), -512);
  /* -(2^21 + 1) / 2^22 = -0.50000024 -> floor(-0.00000024) = -1 */
  CHECK_EQ(plrt_pow2_round(-(1 << 21) - 1, 22), -1);
  CHECK_EQ(plrt_pow2_round(-(1 << 21), 22), 0); /* -0.5 -> 0 */
  /* requantisation clamps after the zero point: 300 / 2 = 150 -> 127; -300 / 2 = -150 -> -128 */
  CHECK_EQ(plrt_requantize_pow2(300, 1, 0, -128, 127), 127);
  CHECK_EQ(plrt_requantize_pow2(-300, 1, 0, -128, 127), -128);
  CHECK_EQ(plrt_requantize_pow2(-300, 1, 0, 0, 127), 0); /* ReLU clamp */
  CHECK_EQ(plrt_requantize_pow2(INT32_MAX, -8, 0, -128, 127), 127);
  /* TFLITE: 101 * 0.25 -> 26 (above), + zero point -30 = -4; clamp [-2, 5] -> -2 */
  CHECK_EQ(plrt_requantize_tflite(101, 1 << 30, -1, -30, -128, 127), -4);
  CHECK_EQ(plrt_requantize_tflite(101, 1 << 30, -1, -30, -2, 5), -2);
  /* MBQM near INT32_MAX plus a zero point must not wrap */
  CHECK_EQ(plrt_requantize_tflite(INT32_MAX, INT32_MAX, 0, 127, -128, 127), 127);
}

static void test_pool_mean(void) {
  /* floor */
  CHECK_EQ(plrt_pool_mean(7, 2, PLRT_POOL_ROUNDING_FLOOR), 3);
  CHECK_EQ(plrt_pool_mean(-7, 2, PLRT_POOL_ROUNDING_FLOOR), -4);
  CHECK_EQ(plrt_pool_mean(-8, 4, PLRT_POOL_ROUNDING_FLOOR), -2);
  CHECK_EQ(plrt_pool_mean(-1, 3, PLRT_POOL_ROUNDING_FLOOR), -1);
  CHECK_EQ(plrt_pool_mean(0, 3, PLRT_POOL_ROUNDING_FLOOR), 0);
  /* half up: floor((2s + n) / 2n) */
  CHECK_EQ(plrt_pool_mean(7, 2, PLRT_POOL_ROUNDING_HALF_UP), 4);   /* 3.5 */
  CHECK_EQ(plrt_pool_mean(-7, 2, PLRT_POOL_ROUNDING_HALF_UP), -3); /* -3.5 */
  CHECK_EQ(plrt_pool_mean(5, 4, PLRT_POOL_ROUNDING_HALF_UP), 1);   /* 1.25 */
  CHECK_EQ(plrt_pool_mean(-5, 4, PLRT_POOL_ROUNDING_HALF_UP), -1); /* -1.25 */
  CHECK_EQ(plrt_pool_mean(-6, 4, PLRT_POOL_ROUNDING_HALF_UP), -1); /* -1.5 */
  CHECK_EQ(plrt_pool_mean(-7, 4, PLRT_POOL_ROUNDING_HALF_UP), -2); /* -1.75 */
  /* half away from zero: s > 0 ? (s + n/2) / n : (s - n/2) / n, truncating */
  CHECK_EQ(plrt_pool_mean(7, 2, PLRT_POOL_ROUNDING_TRUNCATE), 3);   /* 3.5 */
  CHECK_EQ(plrt_pool_mean(-7, 2, PLRT_POOL_ROUNDING_TRUNCATE), -3); /* -3.5: toward zero */
  CHECK_EQ(plrt_pool_mean(-7, 4, PLRT_POOL_ROUNDING_TRUNCATE), -1); /* -1.75 */
  CHECK_EQ(plrt_pool_mean(-8, 4, PLRT_POOL_ROUNDING_TRUNCATE), -2);
  CHECK_EQ(plrt_pool_mean(-1, 3, PLRT_POOL_ROUNDING_TRUNCATE), 0);
  CHECK_EQ(plrt_pool_mean(7, 2, PLRT_POOL_ROUNDING_HALF_AWAY), 4);
  CHECK_EQ(plrt_pool_mean(-7, 2, PLRT_POOL_ROUNDING_HALF_AWAY), -4);
  CHECK_EQ(plrt_pool_mean(-6, 4, PLRT_POOL_ROUNDING_HALF_AWAY), -2); /* -1.5 */
  CHECK_EQ(plrt_pool_mean(-5, 4, PLRT_POOL_ROUNDING_HALF_AWAY), -1); /* -1.25 */
  CHECK_EQ(plrt_pool_mean(2, 3, PLRT_POOL_ROUNDING_HALF_AWAY), 1);   /* 0.67: (2 + 1) / 3 */
  CHECK_EQ(plrt_pool_mean(1, 3, PLRT_POOL_ROUNDING_HALF_AWAY), 0);   /* 0.33 */
  CHECK_EQ(plrt_pool_mean(-1, 2, PLRT_POOL_ROUNDING_HALF_AWAY), -1); /* -0.5: (-1 - 1) / 2 */
  /* the largest sum: kernel 65535 of -128 */
  CHECK_EQ(plrt_pool_mean(-128 * 65535, 65535, PLRT_POOL_ROUNDING_HALF_UP), -128);
}

int main(void) {
  test_saturating_rounding_doubling_high_mul();
  test_rounding_divide_by_pot();
  test_multiply_by_quantized_multiplier();
  test_fast_form();
  test_pow2_round();
  test_pool_mean();
  return check_report("fixed_point_test");
}
