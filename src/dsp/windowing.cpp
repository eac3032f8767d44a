#include "physiolite/dsp/windowing.hpp"

#include <fmt/format.h>

#include "usage_check.hpp"

namespace physiolite::dsp {

std::vector<int64_t> window_starts(int64_t n_samples, int64_t length, int64_t stride) {
  if (length < 1) {
    detail::usage_fail("window_starts", "length", "a window length >= 1 sample",
                       fmt::format("{}", length));
  }
  if (stride < 1) {
    detail::usage_fail("window_starts", "stride", "a stride >= 1 sample",
                       fmt::format("{}", stride));
  }
  if (length > n_samples) {
    detail::usage_fail("window_starts", "length",
                       fmt::format("a window no longer than the signal ({} samples)", n_samples),
                       fmt::format("{} samples", length));
  }
  std::vector<int64_t> starts;
  starts.reserve(static_cast<size_t>((n_samples - length) / stride + 1));
  for (int64_t s = 0; s + length <= n_samples; s += stride) starts.push_back(s);
  return starts;
}

std::vector<Signal> cut_windows(const Signal& x, int64_t length, int64_t stride) {
  const std::vector<int64_t> starts =
      window_starts(static_cast<int64_t>(x.samples.size()), length, stride);
  std::vector<Signal> windows;
  windows.reserve(starts.size());
  for (int64_t s : starts) {
    const auto begin = x.samples.begin() + s;
    windows.push_back(Signal{{begin, begin + length}, x.fs_hz, x.units, x.name});
  }
  return windows;
}

}  // namespace physiolite::dsp
