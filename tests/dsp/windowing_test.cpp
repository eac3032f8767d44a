#include "physiolite/dsp/windowing.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "dsp/test_util.hpp"

namespace physiolite::dsp {
namespace {

using test_util::expect_usage_error;

TEST(WindowStarts, OnlyFullWindows) {
  EXPECT_EQ(window_starts(10, 4, 3), (std::vector<int64_t>{0, 3, 6}));  // 9..12 would overrun
  EXPECT_EQ(window_starts(10, 4, 2), (std::vector<int64_t>{0, 2, 4, 6}));
  EXPECT_EQ(window_starts(10, 10, 1), (std::vector<int64_t>{0}));
  EXPECT_EQ(window_starts(10, 2, 5), (std::vector<int64_t>{0, 5}));
  // The reference's UCI EMG windows: 1024 / 512 over 5000 rows -> (5000 - 1024) / 512 + 1 = 8.
  EXPECT_EQ(window_starts(5000, 1024, 512).size(), 8u);
}

TEST(CutWindows, CopiesSamplesAndDescription) {
  Signal x{std::vector<double>(9), 200.0, "mV", "ch1"};
  std::iota(x.samples.begin(), x.samples.end(), 0.0);
  const std::vector<Signal> w = cut_windows(x, 4, 2);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[1].samples, (std::vector<double>{2, 3, 4, 5}));
  EXPECT_EQ(w[2].samples, (std::vector<double>{4, 5, 6, 7}));
  EXPECT_EQ(w[2].fs_hz, 200.0);
  EXPECT_EQ(w[2].units, "mV");
  EXPECT_EQ(w[2].name, "ch1");
}

TEST(WindowStarts, RejectsWindowsLongerThanTheSignalAndNonPositiveSizes) {
  expect_usage_error([] { window_starts(100, 101, 1); },
                     "a window no longer than the signal (100 samples), got 101 samples");
  expect_usage_error([] { window_starts(100, 0, 1); }, "length");
  expect_usage_error([] { window_starts(100, 10, 0); }, "stride >= 1");
  expect_usage_error([] { cut_windows(Signal{{1, 2, 3}, 100, "", ""}, 4, 1); }, "no longer than");
}

}  // namespace
}  // namespace physiolite::dsp
