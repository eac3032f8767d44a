#include "physiolite/dsp/resample.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "dsp/test_util.hpp"
#include "golden/dsp_golden.hpp"

namespace physiolite::dsp {
namespace {

namespace g = golden;
using test_util::all_near;
using test_util::expect_usage_error;

TEST(ResamplePoly, MatchesScipyIncludingOutputLength) {
  EXPECT_TRUE(all_near(resample_poly(g::kX, 1, 2), g::kResample_1_2, 1e-9));
  EXPECT_TRUE(all_near(resample_poly(g::kX, 2, 3), g::kResample_2_3, 1e-9));
  EXPECT_TRUE(all_near(resample_poly(g::kX, 5, 18), g::kResample_5_18, 1e-9));
  EXPECT_TRUE(all_near(resample_poly(g::kX, 3, 1), g::kResample_3_1, 1e-9));
  EXPECT_TRUE(all_near(resample_poly(g::kX, 18, 5), g::kResample_18_5, 1e-9));
  EXPECT_TRUE(
      all_near(resample_poly(std::span(g::kX).first(37), 5, 18), g::kResampleShort_5_18, 1e-9));
  EXPECT_TRUE(
      all_near(resample_poly(std::span(g::kX).first(1), 5, 18), g::kResampleTiny_5_18, 1e-9));
  EXPECT_TRUE(all_near(resample_poly(std::span(g::kX).first(2), 3, 1), g::kResampleTiny_3_1, 1e-9));
  EXPECT_TRUE(all_near(resample_poly(std::span(g::kX).first(3), 1, 7), g::kResampleTiny_1_7, 1e-9));
  EXPECT_TRUE(resample_poly(std::vector<double>{}, 2, 3).empty());
  // Unreduced factors give the same result (scipy divides by the gcd first).
  EXPECT_TRUE(all_near(resample_poly(g::kX, 10, 36), g::kResample_5_18, 1e-9));
  EXPECT_EQ(resample_poly_length(650000, 5, 18), 180556);  // ceil(650000 * 5 / 18)
  EXPECT_EQ(resample_poly_length(37, 5, 18), 11);
}

TEST(ResamplePoly, FilterHasUnitDcGainTimesUpAndKaiserLength) {
  const std::vector<double> h = resample_poly_filter(5, 18);
  EXPECT_EQ(h.size(), 2u * 10 * 18 + 1);
  double sum = 0;
  for (double v : h) sum += v;
  EXPECT_NEAR(sum, 5.0, 1e-12);
  for (size_t i = 0; i < h.size(); ++i) EXPECT_DOUBLE_EQ(h[i], h[h.size() - 1 - i]);
}

TEST(ResamplePoly, UpThenDownRecoversABandLimitedSine) {
  const double fs = 360;
  std::vector<double> x(3600);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(2 * std::numbers::pi * 5 * i / fs);
  const std::vector<double> back = resample_poly(resample_poly(x, 5, 2), 2, 5);
  ASSERT_EQ(back.size(), x.size());
  // Away from the zero-padded ends the 5 Hz sine is far inside both pass bands.
  double worst = 0;
  for (size_t i = 200; i + 200 < x.size(); ++i) worst = std::max(worst, std::abs(back[i] - x[i]));
  EXPECT_LT(worst, 5e-3);
}

TEST(Resample, FindsTheReducedRatioFromTheRates) {
  const RateRatio r = rational_rate_ratio(360, 100);
  EXPECT_EQ(r.up, 5);
  EXPECT_EQ(r.down, 18);
  const RateRatio s = rational_rate_ratio(44100, 48000);
  EXPECT_EQ(s.up, 160);
  EXPECT_EQ(s.down, 147);
  const Signal x{{std::begin(g::kX), std::end(g::kX)}, 360.0, "mV", "MLII"};
  const Signal y = resample(x, 100.0);
  EXPECT_EQ(y.fs_hz, 100.0);
  EXPECT_EQ(y.units, "mV");
  EXPECT_EQ(y.name, "MLII");
  EXPECT_TRUE(all_near(y.samples, g::kResample_5_18, 1e-9));
}

TEST(Resample, RejectsRatesWithoutASmallRationalRatioAndBadFactors) {
  expect_usage_error([] { rational_rate_ratio(360, 100 * std::numbers::pi); }, "up, down <= 1000");
  EXPECT_EQ(rational_rate_ratio(1000, 1).down, 1000);  // the bound itself is allowed
  expect_usage_error([] { rational_rate_ratio(1001, 1); }, "up, down <= 1000");
  expect_usage_error([] { rational_rate_ratio(0, 100); }, "fs_hz");
  expect_usage_error([] { resample(Signal{{1, 2, 3}, 360, "", ""}, -5); }, "fs_target_hz");
  expect_usage_error([] { resample_poly(std::vector<double>{1, 2}, 0, 2); }, "argument 'up'");
  expect_usage_error([] { resample_poly(std::vector<double>{1, 2}, 1, -1); }, "argument 'down'");
}

}  // namespace
}  // namespace physiolite::dsp
