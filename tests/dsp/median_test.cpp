#include "physiolite/dsp/median.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "dsp/test_util.hpp"
#include "golden/dsp_golden.hpp"

namespace physiolite::dsp {
namespace {

namespace g = golden;
using test_util::all_near;
using test_util::expect_usage_error;

TEST(MedianFilter, ZeroEdgesMatchScipySignalMedfilt) {
  EXPECT_TRUE(all_near(median_filter(g::kX, 7, MedianEdge::kZero), g::kMedfilt_7, 0.0));
  EXPECT_TRUE(all_near(median_filter(g::kX, 31, MedianEdge::kZero), g::kMedfilt_31, 0.0));
  EXPECT_TRUE(all_near(median_filter(std::span(g::kX).first(10), 15, MedianEdge::kZero),
                       g::kMedfiltShort_15, 0.0));
}

TEST(MedianFilter, NearestEdgesMatchScipyNdimageMedianFilter) {
  EXPECT_TRUE(all_near(median_filter(g::kX, 7, MedianEdge::kNearest), g::kMedianNearest_7, 0.0));
  EXPECT_TRUE(all_near(median_filter(g::kX, 31, MedianEdge::kNearest), g::kMedianNearest_31, 0.0));
  EXPECT_TRUE(all_near(median_filter(std::span(g::kX).first(10), 15, MedianEdge::kNearest),
                       g::kMedianNearestShort_15, 0.0));
}

// Sorting each window afresh is the definition; the heaps must agree with it exactly, also with
// many ties (values drawn from a few levels).
TEST(MedianFilter, AgreesWithSortingEveryWindow) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> level(0, 5);
  for (int kernel : {1, 3, 145, 217}) {
    std::vector<double> x(3000);
    for (double& v : x) v = level(rng) * 0.5;
    for (MedianEdge edge : {MedianEdge::kZero, MedianEdge::kNearest}) {
      std::vector<double> expected(x.size());
      const int h = kernel / 2, n = static_cast<int>(x.size());
      std::vector<double> w(kernel);
      for (int i = 0; i < n; ++i) {
        for (int j = -h; j <= h; ++j) {
          const int t = i + j;
          w[j + h] = (t >= 0 && t < n)           ? x[t]
                     : edge == MedianEdge::kZero ? 0.0
                                                 : x[std::clamp(t, 0, n - 1)];
        }
        std::nth_element(w.begin(), w.begin() + h, w.end());
        expected[i] = w[h];
      }
      EXPECT_TRUE(all_near(median_filter(x, kernel, edge), expected, 0.0)) << "kernel " << kernel;
    }
  }
}

TEST(MedianBaseline, KernelLengthIsForcedOdd) {
  EXPECT_EQ(odd_kernel_length(0.4, 360), 145);  // 144 + 1
  EXPECT_EQ(odd_kernel_length(0.4, 500), 201);  // 200 + 1
  EXPECT_EQ(odd_kernel_length(0.6, 360), 217);  // 216 + 1
  EXPECT_EQ(odd_kernel_length(0.5, 250), 127);  // 125 + 1 = 126 -> 127
}

TEST(MedianBaseline, RemovesASlowBaselineAndKeepsTheSignalsDescription) {
  // Narrow spikes on a constant offset: the median ignores the spikes, so only they remain.
  Signal x{std::vector<double>(1000, 3.0), 360.0, "mV", "MLII"};
  for (size_t i = 50; i < x.samples.size(); i += 100) x.samples[i] += 1.0;
  const Signal y = remove_median_baseline(x, 145);
  EXPECT_EQ(y.fs_hz, 360.0);
  EXPECT_EQ(y.units, "mV");
  EXPECT_EQ(y.name, "MLII");
  for (size_t i = 0; i < y.samples.size(); ++i) {
    EXPECT_DOUBLE_EQ(y.samples[i], i % 100 == 50 ? 1.0 : 0.0) << i;
  }
}

TEST(MedianFilter, RejectsEvenOrNonPositiveKernels) {
  expect_usage_error([] { median_filter(std::vector<double>(10), 4, MedianEdge::kZero); },
                     "odd kernel length");
  expect_usage_error([] { median_filter(std::vector<double>(10), 0, MedianEdge::kNearest); },
                     "got 0");
  expect_usage_error([] { odd_kernel_length(0.4, 0); }, "fs_hz");
  EXPECT_TRUE(median_filter(std::vector<double>{}, 5, MedianEdge::kZero).empty());
}

}  // namespace
}  // namespace physiolite::dsp
