#include "physiolite/dsp/filter_design.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <span>
#include <string>

#include "dsp/test_util.hpp"
#include "golden/dsp_golden.hpp"
#include "physiolite/dsp/freq_response.hpp"

namespace physiolite::dsp {
namespace {

namespace g = golden;
using test_util::expect_usage_error;
constexpr double kPi = std::numbers::pi;

template <size_t N>
void expect_sos(const Sos& sos, const double (&expected)[N][6], double tol = 1e-10) {
  ASSERT_EQ(sos.size(), N);
  for (size_t i = 0; i < N; ++i) {
    const double row[6] = {sos[i].b0, sos[i].b1, sos[i].b2, 1.0, sos[i].a1, sos[i].a2};
    for (int j = 0; j < 6; ++j) {
      EXPECT_NEAR(row[j], expected[i][j], tol) << "section " << i << ", coefficient " << j;
    }
  }
}

double magnitude_at(const Sos& sos, double f_hz, double fs_hz) {
  const double f[] = {f_hz};
  return magnitude_response(sos, f, fs_hz)[0];
}

double magnitude_at(const TransferFunction& tf, double f_hz, double fs_hz) {
  const double f[] = {f_hz};
  return magnitude_response(tf, f, fs_hz)[0];
}

// |H|^2 of a bilinear-transformed Butterworth low-pass: 1 / (1 + (tan(pi f/fs) / tan(pi
// fc/fs))^2N), the analog response at the pre-warped frequency (hand formula, independent of the
// design code).
double butter_lowpass_gain(int order, double f, double fc, double fs) {
  const double r = std::tan(kPi * f / fs) / std::tan(kPi * fc / fs);
  return 1 / std::sqrt(1 + std::pow(r, 2 * order));
}

TEST(ButterDesign, MatchesScipySos) {
  expect_sos(butter_lowpass(2, 40, 360), g::kSosLp2_40_360);
  expect_sos(butter_lowpass(4, 40, 360), g::kSosLp4_40_360);
  expect_sos(butter_lowpass(5, 30, 250), g::kSosLp5_30_250);
  expect_sos(butter_highpass(1, 5, 500), g::kSosHp1_5_500);
  expect_sos(butter_highpass(3, 1, 360), g::kSosHp3_1_360);
  expect_sos(butter_bandpass(4, 0.67, 40, 500), g::kSosBp4_0p67_40_500);
  expect_sos(butter_bandpass(4, 20, 95, 200), g::kSosBp4_20_95_200);
  expect_sos(butter_bandpass(3, 5, 15, 500), g::kSosBp3_5_15_500);
  expect_sos(butter_bandstop(2, 45, 55, 500), g::kSosBs2_45_55_500);
}

TEST(ZpkToSos, PairsCornerCasesLikeScipyZpk2sos) {
  using cd = std::complex<double>;
  expect_sos(zpk_to_sos({{}, {cd(0.5, 0.3), cd(0.5, -0.3)}, 3.0}), g::kZpk2sos_0);
  expect_sos(
      zpk_to_sos({{0.2, cd(0.5, 0.5), cd(0.5, -0.5)}, {0.3, cd(0.1, 0.95), cd(0.1, -0.95)}, 1.5}),
      g::kZpk2sos_1);
  expect_sos(
      zpk_to_sos({{cd(0, 1), cd(0, -1), 0.5, -0.3}, {0.8, -0.7, cd(0.5, 0.5), cd(0.5, -0.5)}, 0.7}),
      g::kZpk2sos_2);
  expect_sos(zpk_to_sos({{-1, -1, 0.9}, {0.2, 0.4, cd(0.6, 0.2), cd(0.6, -0.2), -0.5}, 1.0}),
             g::kZpk2sos_3);
}

// Published normalised Butterworth polynomial of order 4 (e.g. Williams & Taylor, Electronic
// Filter Design Handbook, table of Butterworth polynomials): 1, 2.6131259, 3.4142136, 2.6131259, 1.
TEST(ButterDesign, AnalogPrototypeOrder4MatchesTextbookPolynomial) {
  const Zpk proto = butter_analog_prototype(4);
  ASSERT_EQ(proto.poles.size(), 4u);
  EXPECT_TRUE(proto.zeros.empty());
  std::complex<double> c[5] = {1, 0, 0, 0, 0};  // prod (s - p), highest power first
  for (size_t i = 0; i < proto.poles.size(); ++i) {
    for (size_t j = i + 1; j > 0; --j) c[j] -= proto.poles[i] * c[j - 1];
  }
  const double published[5] = {1, 2.6131259, 3.4142136, 2.6131259, 1};
  for (int k = 0; k < 5; ++k) {
    EXPECT_NEAR(c[k].real(), published[k], 5e-8) << "s^" << 4 - k;
    EXPECT_NEAR(c[k].imag(), 0, 1e-14);
  }
  // And the closed forms 1/sin(pi/8) and 2 + sqrt(2).
  EXPECT_NEAR(c[1].real(), 1 / std::sin(kPi / 8), 1e-14);
  EXPECT_NEAR(c[2].real(), 2 + std::sqrt(2.0), 1e-14);
}

TEST(ButterResponse, LowPassIsMinus3dBAtCutoffAndFollowsTheButterworthCurve) {
  for (int order : {1, 2, 4, 7}) {
    const Sos sos = butter_lowpass(order, 40, 360);
    EXPECT_NEAR(magnitude_at(sos, 40, 360), 1 / std::sqrt(2.0), 1e-12) << "order " << order;
    EXPECT_NEAR(magnitude_at(sos, 0.0, 360), 1.0, 1e-12);
    for (double f : {1.0, 10.0, 30.0, 50.0, 100.0, 170.0}) {
      EXPECT_NEAR(magnitude_at(sos, f, 360), butter_lowpass_gain(order, f, 40, 360), 1e-12)
          << "order " << order << " at " << f << " Hz";
    }
  }
}

TEST(ButterResponse, StopBandRollsOffAt20NDecibelsPerDecade) {
  // A decade above the cutoff and far below Nyquist (where tan(pi f / fs) ~ pi f / fs), each
  // further decade costs 20 N dB.
  for (int order : {2, 4, 5}) {
    const Sos sos = butter_lowpass(order, 2, 20000);
    const double drop_db =
        20 * std::log10(magnitude_at(sos, 20, 20000) / magnitude_at(sos, 200, 20000));
    EXPECT_NEAR(drop_db, 20.0 * order, 0.05) << "order " << order;
  }
}

TEST(ButterResponse, HighPassAndBandEdges) {
  const Sos hp = butter_highpass(3, 1, 360);
  EXPECT_NEAR(magnitude_at(hp, 1, 360), 1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(magnitude_at(hp, 180, 360), 1.0, 1e-12);
  EXPECT_NEAR(magnitude_at(hp, 40, 360), 1.0, 1e-6);

  const Sos bp = butter_bandpass(4, 0.67, 40, 500);
  EXPECT_NEAR(magnitude_at(bp, 0.67, 500), 1 / std::sqrt(2.0), 1e-10);
  EXPECT_NEAR(magnitude_at(bp, 40, 500), 1 / std::sqrt(2.0), 1e-10);
  EXPECT_NEAR(magnitude_at(bp, 10, 500), 1.0, 1e-4);
  EXPECT_LT(magnitude_at(bp, 200, 500), 1e-4);

  const Sos bs = butter_bandstop(2, 45, 55, 500);
  EXPECT_NEAR(magnitude_at(bs, 45, 500), 1 / std::sqrt(2.0), 1e-10);
  EXPECT_NEAR(magnitude_at(bs, 55, 500), 1 / std::sqrt(2.0), 1e-10);
  EXPECT_LT(magnitude_at(bs, std::sqrt(45.0 * 55.0) + 0.05, 500), 0.01);
  EXPECT_NEAR(magnitude_at(bs, 0, 500), 1.0, 1e-12);
}

TEST(FreqResponse, MatchesScipySosfreqzAndFreqz) {
  const Sos bp = butter_bandpass(4, 0.67, 40, 500);
  const auto h = freq_response(bp, g::kFreqs_500, 500);
  ASSERT_EQ(h.size(), std::size(g::kFreqs_500));
  for (size_t i = 0; i < h.size(); ++i) {
    EXPECT_NEAR(h[i].real(), g::kSosfreqzReBp4_0p67_40_500[i], 1e-10) << g::kFreqs_500[i] << " Hz";
    EXPECT_NEAR(h[i].imag(), g::kSosfreqzImBp4_0p67_40_500[i], 1e-10) << g::kFreqs_500[i] << " Hz";
  }
  const auto m = magnitude_response(iirnotch(50, 30, 500), g::kFreqs_500, 500);
  for (size_t i = 0; i < m.size(); ++i) {
    EXPECT_NEAR(m[i], g::kFreqzAbsNotch_50_30_500[i], 1e-10) << g::kFreqs_500[i] << " Hz";
  }
}

TEST(Notch, MatchesScipyIirnotch) {
  const TransferFunction a = iirnotch(50, 30, 500), b = iirnotch(60, 30, 360);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(a.b[i], g::kNotchB_50_30_500[i], 1e-14);
    EXPECT_NEAR(a.a[i], g::kNotchA_50_30_500[i], 1e-14);
    EXPECT_NEAR(b.b[i], g::kNotchB_60_30_360[i], 1e-14);
    EXPECT_NEAR(b.a[i], g::kNotchA_60_30_360[i], 1e-14);
  }
}

// Bisection for the frequency in [lo, hi] where |H| crosses 1/sqrt(2).
double half_power_point(const TransferFunction& tf, double lo, double hi, double fs) {
  const bool rising = magnitude_at(tf, lo, fs) < magnitude_at(tf, hi, fs);
  for (int it = 0; it < 200; ++it) {
    const double mid = (lo + hi) / 2;
    const bool below = magnitude_at(tf, mid, fs) < 1 / std::sqrt(2.0);
    ((below == rising) ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

TEST(Notch, DepthAtF0AndHalfPowerBandwidthF0OverQ) {
  for (auto [f0, q, fs] :
       {std::tuple{50.0, 30.0, 500.0}, {60.0, 30.0, 360.0}, {50.0, 5.0, 200.0}}) {
    const TransferFunction tf = iirnotch(f0, q, fs);
    EXPECT_LT(magnitude_at(tf, f0, fs), 1e-12);
    EXPECT_NEAR(magnitude_at(tf, 0, fs), 1.0, 1e-12);
    EXPECT_NEAR(magnitude_at(tf, fs / 2, fs), 1.0, 1e-12);
    const double f1 = half_power_point(tf, f0 - 3 * f0 / q, f0, fs);
    const double f2 = half_power_point(tf, f0, f0 + 3 * f0 / q, fs);
    EXPECT_NEAR(f2 - f1, f0 / q, 1e-9) << "notch at " << f0 << " Hz, Q " << q;
  }
}

TEST(ButterDesign, RejectsBadArgumentsSayingWhatWasExpected) {
  expect_usage_error([] { butter_lowpass(4, 180, 360); }, "cutoff_hz");
  expect_usage_error([] { butter_lowpass(4, 200, 360); }, "inside (0, fs/2) = (0, 180) Hz");
  expect_usage_error([] { butter_lowpass(4, 0, 360); }, "cutoff_hz");
  expect_usage_error([] { butter_highpass(0, 10, 360); }, "order >= 1");
  expect_usage_error([] { butter_lowpass(2, 10, 0); }, "fs_hz");
  expect_usage_error([] { butter_bandpass(4, 40, 0.67, 500); }, "high_hz");
  expect_usage_error([] { butter_bandpass(4, 0.67, 250, 500); }, "high_hz");
  expect_usage_error([] { butter_bandstop(2, -1, 55, 500); }, "low_hz");
  expect_usage_error([] { iirnotch(50, 0, 500); }, "quality factor");
  expect_usage_error([] { iirnotch(250, 30, 500); }, "f0_hz");
  expect_usage_error([] { butter_analog_prototype(0); }, "order");
}

}  // namespace
}  // namespace physiolite::dsp
