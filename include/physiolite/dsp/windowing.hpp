// Fixed-length windows with a stride: only full windows, starting at 0, stride, 2*stride, ...
// while start + length <= n. A window longer than the signal is a UsageError (it would silently
// yield no data).
#pragma once

#include <cstdint>
#include <vector>

#include "physiolite/dsp/signal.hpp"

namespace physiolite::dsp {

// First sample of each full window of `length` samples, `stride` apart, over n_samples.
std::vector<int64_t> window_starts(int64_t n_samples, int64_t length, int64_t stride);

// The windows themselves, each a Signal with x's fs_hz, units and name.
std::vector<Signal> cut_windows(const Signal& x, int64_t length, int64_t stride);

}  // namespace physiolite::dsp
