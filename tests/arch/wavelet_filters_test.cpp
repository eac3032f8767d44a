// Wavelet filters against closed forms, published values and PyWavelets 1.1.1 (frozen by
// tests/golden/gen_wavelets.py), plus the orthonormality every Daubechies-family filter has.
#include "physiolite/arch/wavelet_filters.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "golden/wavelets_pywt.hpp"

namespace physiolite::arch {
namespace {

const Wavelet& by_name(std::string_view name) {
  for (const Wavelet& w : bank_wavelets()) {
    if (w.name == name) return w;
  }
  throw std::runtime_error("no wavelet");
}

template <size_t N>
void expect_equal(const std::vector<double>& actual, const double (&expected)[N],
                  const char* what) {
  ASSERT_EQ(actual.size(), N) << what;
  for (size_t i = 0; i < N; ++i) EXPECT_NEAR(actual[i], expected[i], 1e-15) << what << " " << i;
}

TEST(WaveletFilters, MatchPyWavelets) {
  expect_equal(by_name("db2").dec_lo, golden::kDb2DecLo, "db2 lo");
  expect_equal(by_name("db2").dec_hi, golden::kDb2DecHi, "db2 hi");
  expect_equal(by_name("db3").dec_lo, golden::kDb3DecLo, "db3 lo");
  expect_equal(by_name("db3").dec_hi, golden::kDb3DecHi, "db3 hi");
  expect_equal(by_name("sym4").dec_lo, golden::kSym4DecLo, "sym4 lo");
  expect_equal(by_name("sym4").dec_hi, golden::kSym4DecHi, "sym4 hi");
  expect_equal(by_name("coif1").dec_lo, golden::kCoif1DecLo, "coif1 lo");
  expect_equal(by_name("coif1").dec_hi, golden::kCoif1DecHi, "coif1 hi");
}

TEST(WaveletFilters, MatchClosedForms) {
  // db2: h = (1+s3, 3+s3, 3-s3, 1-s3) / (4 sqrt 2); dec_lo is h reversed.
  const double s3 = std::sqrt(3.0), r2 = std::sqrt(2.0);
  const double db2[] = {(1 - s3) / (4 * r2), (3 - s3) / (4 * r2), (3 + s3) / (4 * r2),
                        (1 + s3) / (4 * r2)};
  expect_equal(by_name("db2").dec_lo, db2, "db2 closed form");
  // coif1: h = sqrt2/32 (1-s7, 5+s7, 14+2 s7, 14-2 s7, 1-s7, -3+s7), reversed.
  const double s7 = std::sqrt(7.0), c = r2 / 32;
  const double coif1[] = {c * (-3 + s7),     c * (1 - s7), c * (14 - 2 * s7),
                          c * (14 + 2 * s7), c * (5 + s7), c * (1 - s7)};
  expect_equal(by_name("coif1").dec_lo, coif1, "coif1 closed form");
}

TEST(WaveletFilters, PublishedCoefficients) {
  // Daubechies (1992) Table 6.1, h_n for N = 3, to the 16 digits printed there.
  EXPECT_NEAR(by_name("db3").dec_lo[5], 0.3326705529500825, 1e-15);
  EXPECT_NEAR(by_name("db3").dec_lo[4], 0.8068915093110924, 1e-15);
  EXPECT_NEAR(by_name("db3").dec_lo[0], 0.0352262918857095, 1e-15);
  EXPECT_NEAR(by_name("db2").dec_lo[3], 0.4829629131445341, 1e-15);
}

TEST(WaveletFilters, OrthonormalityAndVanishingMoment) {
  for (const Wavelet& w : bank_wavelets()) {
    const auto& lo = w.dec_lo;
    const auto& hi = w.dec_hi;
    EXPECT_NEAR(std::accumulate(lo.begin(), lo.end(), 0.0), std::sqrt(2.0), 1e-10) << w.name;
    EXPECT_NEAR(std::accumulate(hi.begin(), hi.end(), 0.0), 0.0, 1e-10) << w.name;
    for (size_t shift = 0; shift < lo.size(); shift += 2) {
      double lo_lo = 0, lo_hi = 0;
      for (size_t n = 0; n + shift < lo.size(); ++n) {
        lo_lo += lo[n] * lo[n + shift];
        lo_hi += lo[n] * hi[n + shift] + hi[n] * lo[n + shift];
      }
      EXPECT_NEAR(lo_lo, shift == 0 ? 1.0 : 0.0, 1e-10) << w.name << " shift " << shift;
      EXPECT_NEAR(lo_hi, 0.0, 1e-10) << w.name << " shift " << shift;
    }
  }
}

TEST(WaveletFilters, ResampleKeepsTapsAtOwnLength) {
  const std::vector<double> taps{1.0, -2.0, 4.0, 0.5};
  EXPECT_EQ(resample_linear(taps, 4), taps);
  const auto three = resample_linear(taps, 3);  // positions 0, 1.5, 3
  EXPECT_DOUBLE_EQ(three[0], 1.0);
  EXPECT_DOUBLE_EQ(three[1], 1.0);
  EXPECT_DOUBLE_EQ(three[2], 0.5);
  EXPECT_DOUBLE_EQ(resample_linear(taps, 1)[0], 0.875);
}

TEST(WaveletFilters, BranchPrototypesAreUnitEnergyAndHighPassIsDcFree) {
  for (int k : {1, 3, 5, 9, 11}) {
    const auto filters = branch_filter_prototypes(k);
    ASSERT_EQ(filters.size(), 2 * bank_wavelets().size());
    for (size_t i = 0; i < filters.size(); ++i) {
      const auto& f = filters[i];
      ASSERT_EQ(f.size(), static_cast<size_t>(k));
      EXPECT_NEAR(std::inner_product(f.begin(), f.end(), f.begin(), 0.0), 1.0, 1e-12);
      const double sum = std::accumulate(f.begin(), f.end(), 0.0);
      if (i % 2 == 1 && k > 1) {
        EXPECT_NEAR(sum, 0.0, 1e-12) << "k " << k << " filter " << i;
      }
      if (i % 2 == 0) {
        EXPECT_GT(sum, 0.0) << "low-pass passes DC, k " << k;
      }
    }
  }
}

TEST(WaveletFilters, PrototypeAtNativeLengthIsTheFlippedFilter) {
  // db2 at kernel 4 (its own length): low-pass unchanged except the flip to correlation order.
  const auto filters = branch_filter_prototypes(4);
  const auto& lo = by_name("db2").dec_lo;
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(filters[0][i], lo[3 - i], 1e-12);
}

}  // namespace
}  // namespace physiolite::arch
