// The scalar quantisation rules on hand-worked values (the arithmetic is in each comment).
#include "physiolite/qgraph/quant_math.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace physiolite::qgraph {
namespace {

void expect_multiplier(double real, int32_t multiplier, int32_t shift) {
  const QuantizedMultiplier q = quantize_multiplier(real);
  EXPECT_EQ(q.multiplier, multiplier) << real;
  EXPECT_EQ(q.shift, shift) << real;
}

TEST(QuantizeMultiplier, MantissaInQ31AndExponent) {
  expect_multiplier(0.0, 0, 0);
  expect_multiplier(0.5, 1 << 30, 0);      // frexp: 0.5 * 2^0; 0.5 * 2^31 = 2^30
  expect_multiplier(1.0, 1 << 30, 1);      // 0.5 * 2^1
  expect_multiplier(0.75, 1610612736, 0);  // 0.75 * 2^31 = 1 610 612 736
  expect_multiplier(0.1, 1717986918, -3);  // 0.8 * 2^-3; 0.8 * 2^31 = 1 717 986 918.4 -> .0
  expect_multiplier(3.0, 1610612736, 2);   // 0.75 * 2^2
  // 0.3 = 0.6 * 2^-1; 0.6 * 2^31 = 1 288 490 188.8 -> 1 288 490 189 (rounded up)
  expect_multiplier(0.3, 1288490189, -1);
}

TEST(QuantizeMultiplier, MantissaRoundingToOneCarriesIntoTheShift) {
  // 1 - 2^-34 is its own frexp mantissa (exponent 0); times 2^31 it is 2^31 - 1/8, which rounds
  // to 2^31: halved to 2^30 with the exponent raised to 1.
  expect_multiplier(1.0 - std::ldexp(1.0, -34), 1 << 30, 1);
}

TEST(QuantizeMultiplier, TinyShiftsFlushToZeroAndHugeOnesSaturate) {
  expect_multiplier(std::ldexp(1.0, -32), 1 << 30, -31);   // 0.5 * 2^-31: the last shift kept
  expect_multiplier(std::ldexp(1.0, -33), 0, 0);           // 0.5 * 2^-32: flushed
  expect_multiplier(std::ldexp(1.0, 29), 1 << 30, 30);     // 0.5 * 2^30: the largest shift
  expect_multiplier(std::ldexp(1.0, 30), 2147483647, 30);  // 0.5 * 2^31: saturated
}

TEST(TfliteActivationParams, RangeWidenedToZeroScaleOver255) {
  // [-1, 3]: scale 4/255 = 0.015686275, zero point -128 + 1/scale = -64.25 -> -64
  AffineParams p = tflite_activation_params(-1, 3);
  EXPECT_FLOAT_EQ(p.scale, 4.0f / 255.0f);
  EXPECT_EQ(p.zero_point, -64);
  // After a ReLU the range starts at 0: the zero point is the lowest code.
  p = tflite_activation_params(0, 2.55);
  EXPECT_FLOAT_EQ(p.scale, 0.01f);
  EXPECT_EQ(p.zero_point, -128);
  // [0.5, 2] is widened to [0, 2]; [-3, -1] to [-3, 0]: zero point -128 + 255 = 127.
  EXPECT_EQ(tflite_activation_params(0.5, 2).zero_point, -128);
  p = tflite_activation_params(-3, -1);
  EXPECT_FLOAT_EQ(p.scale, 3.0f / 255.0f);
  EXPECT_EQ(p.zero_point, 127);
  // An all-zero tensor still gets a finite, positive scale.
  EXPECT_GT(tflite_activation_params(0, 0).scale, 0.0f);
}

TEST(TflitePooledActivationParams, ZeroPointZeroAndAFourteenBitMantissa) {
  // 1 / 127 = 0.50394 * 2^-6; 0.50394 * 2^14 = 8256.50 rounds up to 8257: scale 8257 * 2^-20.
  AffineParams p = tflite_pooled_activation_params(1.0);
  EXPECT_EQ(p.zero_point, 0);
  EXPECT_EQ(p.scale, 8257.0f / 1048576.0f);
  // A scale already short is kept: 127 * 2^-3 / 127 = 2^-3.
  EXPECT_EQ(tflite_pooled_activation_params(127.0 / 8).scale, 0.125f);
  EXPECT_GT(tflite_pooled_activation_params(0.0).scale, 0.0f);
}

// What the rule buys: a float executor's pool (dequantise, sum in float32, divide by the count,
// divide by the scale, round half away from zero) lands on the same code as TFLite's integer
// pool (sum the codes, round sum / count half away from zero), ties included, for every pair of
// codes and a scale that is not a power of two. With the plain scale max / 127 it does not.
TEST(TflitePooledActivationParams, FloatPoolEqualsTheIntegerPoolOnEveryPair) {
  auto integer_pool = [](int a, int b) {
    const int sum = a + b;
    return sum >= 0 ? (sum + 1) / 2 : (sum - 1) / 2;
  };
  auto float_pool = [](int a, int b, float s) {
    const float mean = (static_cast<float>(a) * s + static_cast<float>(b) * s) / 2.0f;
    return static_cast<int>(std::round(mean / s));
  };
  auto disagreements = [&](float s) {
    int n = 0;
    for (int a = -128; a < 128; ++a) {
      for (int b = -128; b < 128; ++b) n += integer_pool(a, b) != float_pool(a, b, s);
    }
    return n;
  };
  EXPECT_EQ(disagreements(tflite_pooled_activation_params(0.7331).scale), 0);
  EXPECT_GT(disagreements(symmetric_scale(0.7331)), 0);
}

TEST(SymmetricScale, MaxAbsOver127) {
  EXPECT_FLOAT_EQ(symmetric_scale(127.0), 1.0f);
  EXPECT_FLOAT_EQ(symmetric_scale(0.5), 0.5f / 127.0f);
  EXPECT_GT(symmetric_scale(0.0), 0.0f);
}

TEST(Pow2Exponent, SmallestPowerOfTwoHoldingTheRange) {
  EXPECT_EQ(pow2_exponent(1.0), 0);
  EXPECT_EQ(pow2_exponent(4.0), 2);  // exactly 2^2
  EXPECT_EQ(pow2_exponent(4.0001), 3);
  EXPECT_EQ(pow2_exponent(3.0), 2);
  EXPECT_EQ(pow2_exponent(0.1), -3);   // the positional channels: 0.1 <= 0.125
  EXPECT_EQ(pow2_exponent(0.0), -19);  // kMinRange 1e-6 <= 2^-19 = 1.9e-6
}

TEST(Pow2OutputShift, Ai8xRuleOnHandCases) {
  // max|w| = 0.3: log2(1/0.3) = 1.74, floor 1, shift -1: weights doubled (0.6 in (0.5, 1]).
  EXPECT_EQ(pow2_output_shift(0.3), -1);
  EXPECT_EQ(pow2_output_shift(0.7), 0);     // log2(1.43) = 0.51 -> 0
  EXPECT_EQ(pow2_output_shift(1.5), 1);     // log2(0.67) = -0.58 -> -1: halved to 0.75
  EXPECT_EQ(pow2_output_shift(0.5), -1);    // log2(2) = 1: 0.5 doubles to exactly 1.0
  EXPECT_EQ(pow2_output_shift(3e-6), -15);  // -18, clamped
  EXPECT_EQ(pow2_output_shift(1e6), 15);    // 20, clamped
  EXPECT_EQ(pow2_output_shift(0.0), 0);
}

TEST(Pow2Weight, ScaledRoundedHalfUpAndClamped) {
  EXPECT_EQ(pow2_weight(0.3, -1), 77);    // 0.3 * 2 * 128 = 76.8 -> floor(77.3) = 77
  EXPECT_EQ(pow2_weight(-0.3, -1), -77);  // -76.8 -> floor(-76.3) = -77
  // -76.5/256 = -0.298828125 (exact): -76.5 + 0.5 = -76 -> -76 (halves go up)
  EXPECT_EQ(pow2_weight(-0.298828125, -1), -76);
  EXPECT_EQ(pow2_weight(0.5, -1), 127);  // 128 clamps to 127 (ai8x's exact-1.0 case)
  EXPECT_EQ(pow2_weight(-0.5, -1), -128);
  EXPECT_EQ(pow2_weight(1.5, 1), 96);  // 1.5 / 2 * 128 = 96
}

}  // namespace
}  // namespace physiolite::qgraph
