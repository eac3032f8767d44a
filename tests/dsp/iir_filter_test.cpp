#include "physiolite/dsp/iir_filter.hpp"

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

TEST(Sosfiltfilt, MatchesScipyForEachDesign) {
  const struct {
    Sos sos;
    std::span<const double> expected;
    const char* name;
  } cases[] = {
      {butter_lowpass(2, 40, 360), g::kSosfiltfiltLp2_40_360, "lp2 40 Hz / 360"},
      {butter_lowpass(4, 40, 360), g::kSosfiltfiltLp4_40_360, "lp4 40 Hz / 360"},
      {butter_lowpass(5, 30, 250), g::kSosfiltfiltLp5_30_250, "lp5 30 Hz / 250 (odd order)"},
      {butter_highpass(1, 5, 500), g::kSosfiltfiltHp1_5_500, "hp1 5 Hz / 500"},
      {butter_highpass(3, 1, 360), g::kSosfiltfiltHp3_1_360, "hp3 1 Hz / 360"},
      {butter_bandpass(4, 0.67, 40, 500), g::kSosfiltfiltBp4_0p67_40_500, "bp4 0.67-40 / 500"},
      {butter_bandpass(4, 20, 95, 200), g::kSosfiltfiltBp4_20_95_200, "bp4 20-95 / 200"},
      {butter_bandpass(3, 5, 15, 500), g::kSosfiltfiltBp3_5_15_500, "bp3 5-15 / 500"},
      {butter_bandstop(2, 45, 55, 500), g::kSosfiltfiltBs2_45_55_500, "bs2 45-55 / 500"},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(all_near(sosfiltfilt(c.sos, g::kX), c.expected, 1e-9)) << c.name;
  }
}

TEST(Sosfiltfilt, PadlenFollowsScipysRule) {
  // 3 * (2 * sections + 1 - min(#b2 == 0, #a2 == 0)); odd low-pass orders end in a first-order
  // section (b2 == a2 == 0).
  EXPECT_EQ(sosfiltfilt_padlen(butter_bandpass(4, 0.67, 40, 500)), 27u);
  EXPECT_EQ(sosfiltfilt_padlen(butter_lowpass(5, 30, 250)), 3u * (2 * 3 + 1 - 1));
  EXPECT_EQ(sosfiltfilt_padlen(butter_highpass(1, 5, 500)), 3u * (2 * 1 + 1 - 1));
  EXPECT_EQ(filtfilt_padlen(iirnotch(50, 30, 500)), 9u);
}

TEST(Sosfilt, ZiAndCausalOutputsMatchScipy) {
  const Sos bp = butter_bandpass(4, 0.67, 40, 500);
  const SosState zi = sosfilt_zi(bp);
  ASSERT_EQ(zi.size(), std::size(g::kSosfiltZiBp4_0p67_40_500));
  // zi passes through H(1) of earlier sections, i.e. 1 + a1 + a2 ~ 1e-4 for the 0.67 Hz poles:
  // scipy's linear solve and our closed form agree to ~1e-12 relative, not to the last bit.
  for (size_t s = 0; s < zi.size(); ++s) {
    EXPECT_NEAR(zi[s][0], g::kSosfiltZiBp4_0p67_40_500[s][0], 1e-10) << "section " << s;
    EXPECT_NEAR(zi[s][1], g::kSosfiltZiBp4_0p67_40_500[s][1], 1e-10) << "section " << s;
  }
  std::vector<double> y(std::begin(g::kX), std::end(g::kX));
  SosState state = zi;
  for (auto& z : state) z = {z[0] * g::kX[0], z[1] * g::kX[0]};
  sosfilt_inplace(bp, y, state);
  EXPECT_TRUE(all_near(y, g::kSosfiltZiX0Bp4_0p67_40_500, 1e-9));

  EXPECT_TRUE(all_near(sosfilt(butter_lowpass(5, 30, 250), g::kX), g::kSosfiltLp5_30_250, 1e-9));
}

TEST(Sosfilt, SplittingASignalCarriesTheStateAcross) {
  const Sos sos = butter_lowpass(6, 20, 360);  // 3 sections
  const std::vector<double> whole = sosfilt(sos, g::kX);
  std::vector<double> parts(std::begin(g::kX), std::end(g::kX));
  SosState state(sos.size(), {0.0, 0.0});
  sosfilt_inplace(sos, std::span(parts).first(123), state);
  sosfilt_inplace(sos, std::span(parts).subspan(123), state);
  EXPECT_TRUE(all_near(parts, whole, 0.0));
}

TEST(Filtfilt, NotchAndGeneralTransferFunctionMatchScipy) {
  const TransferFunction notch = iirnotch(50, 30, 500);
  const std::vector<double> zi = lfilter_zi(notch);
  ASSERT_EQ(zi.size(), 2u);
  EXPECT_NEAR(zi[0], g::kLfilterZiNotch_50_30_500[0], 1e-12);
  EXPECT_NEAR(zi[1], g::kLfilterZiNotch_50_30_500[1], 1e-12);
  EXPECT_TRUE(all_near(filtfilt(notch, g::kX), g::kFiltfiltNotch_50_30_500, 1e-9));

  const TransferFunction tf{{0.2, 0.1, -0.05, 0.3, 0.02}, {1.5, -0.6, 0.3, -0.1}};
  EXPECT_TRUE(all_near(lfilter(tf, g::kX), g::kLfilterB5a4, 1e-9));
  EXPECT_TRUE(all_near(filtfilt(tf, g::kX), g::kFiltfiltB5a4, 1e-9));
}

TEST(ZeroPhase, SymmetricPulseStaysSymmetricAndCentred) {
  // Far from the edges (whose start-up transients differ between the passes) the output of a
  // symmetric input is symmetric, with its peak where the input's is: no delay.
  std::vector<double> pulse(2001, 0.0);
  for (int i = -20; i <= 20; ++i) pulse[1000 + i] = std::exp(-i * i / 50.0);
  const std::vector<double> y = sosfiltfilt(butter_lowpass(4, 10, 360), pulse);
  size_t peak = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    EXPECT_NEAR(y[i], y[y.size() - 1 - i], 1e-12) << i;
    if (y[i] > y[peak]) peak = i;
  }
  EXPECT_EQ(peak, 1000u);
  const std::vector<double> n = filtfilt(iirnotch(60, 30, 360), pulse);
  for (size_t i = 0; i < n.size(); ++i) EXPECT_NEAR(n[i], n[n.size() - 1 - i], 1e-12) << i;
}

TEST(ZeroPhase, DcPassesALowPassUnchangedAndIsRemovedByAHighPass) {
  const std::vector<double> dc(300, 2.5);
  EXPECT_TRUE(all_near(sosfiltfilt(butter_lowpass(4, 40, 360), dc), dc, 1e-12));
  EXPECT_TRUE(
      all_near(sosfiltfilt(butter_highpass(2, 1, 360), dc), std::vector<double>(300, 0.0), 1e-12));
}

TEST(ZeroPhase, SignalWrappersUseTheSignalsRateAndKeepItsDescription) {
  const Signal x{{std::begin(g::kX), std::end(g::kX)}, 500.0, "mV", "MLII"};
  const Signal y = bandpass_filter(x, 4, 0.67, 40);
  EXPECT_EQ(y.fs_hz, 500.0);
  EXPECT_EQ(y.units, "mV");
  EXPECT_EQ(y.name, "MLII");
  EXPECT_TRUE(all_near(y.samples, g::kSosfiltfiltBp4_0p67_40_500, 1e-9));
  EXPECT_TRUE(all_near(notch_filter(x, 50, 30).samples, g::kFiltfiltNotch_50_30_500, 1e-9));
  EXPECT_TRUE(all_near(lowpass_filter(Signal{x.samples, 360.0, "", ""}, 4, 40).samples,
                       g::kSosfiltfiltLp4_40_360, 1e-9));
  EXPECT_TRUE(all_near(highpass_filter(Signal{x.samples, 360.0, "", ""}, 3, 1).samples,
                       g::kSosfiltfiltHp3_1_360, 1e-9));
  // A Signal without a rate cannot be filtered by frequency.
  expect_usage_error(
      [&] {
        bandpass_filter(Signal{x.samples, 0.0, "", ""}, 4, 0.67, 40);
      },
      "fs_hz");
}

TEST(ZeroPhase, RejectsSignalsNotLongerThanThePadding) {
  const Sos bp = butter_bandpass(4, 0.67, 40, 500);  // padlen 27
  expect_usage_error([&] { sosfiltfilt(bp, std::vector<double>(27, 1.0)); },
                     "longer than the edge padding (27 samples)");
  EXPECT_EQ(sosfiltfilt(bp, std::vector<double>(28, 1.0)).size(), 28u);
  expect_usage_error([] { filtfilt(iirnotch(50, 30, 500), std::vector<double>(9, 1.0)); },
                     "got 9 samples");
}

TEST(IirFilter, RejectsMismatchedStateAndDegenerateTransferFunctions) {
  const Sos sos = butter_lowpass(4, 40, 360);
  std::vector<double> x(10, 1.0);
  SosState wrong(1);
  expect_usage_error([&] { sosfilt_inplace(sos, x, wrong); }, "2 sections of state");
  std::vector<double> state(1);
  expect_usage_error([&] { lfilter_inplace({{1, 2, 3}, {1}}, x, state); }, "2 delays");
  expect_usage_error([] { lfilter({{1.0}, {0.0, 1.0}}, std::vector<double>(3)); }, "a[0] != 0");
  expect_usage_error([] { lfilter_zi({{1.0}, {1.0, -1.0}}); }, "pole at z = 1");
}

}  // namespace
}  // namespace physiolite::dsp
