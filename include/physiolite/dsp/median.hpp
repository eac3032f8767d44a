// Running median of odd length k and median baseline removal, in O(n log k) time with no
// allocation per sample (two indexed heaps over the current window).
//
// Edge rule, chosen by MedianEdge (the window is centred; h = (k-1)/2 samples each side):
//   kZero    - samples outside the signal count as 0, as scipy.signal.medfilt(x, k);
//   kNearest - they repeat the first/last sample, as scipy.ndimage.median_filter(x, k,
//              mode='nearest'). This is the one baseline removal uses by default: zeros would
//              drag the baseline estimate towards 0 in the first and last k/2 samples.
#pragma once

#include <span>
#include <vector>

#include "physiolite/dsp/signal.hpp"

namespace physiolite::dsp {

enum class MedianEdge { kZero, kNearest };

// y[i] = median of x[i-h .. i+h]; k must be odd and >= 1 (any k, also longer than x).
std::vector<double> median_filter(std::span<const double> x, int kernel, MedianEdge edge);

// The odd kernel covering `window_s` seconds: floor(window_s * fs_hz) + 1, plus 1 if even
// (the reference scripts' 0.4 s * fs + 1, "forced odd": 145 at 360 Hz, 201 at 500 Hz).
int odd_kernel_length(double window_s, double fs_hz);

// x - median_filter(x, kernel, edge): removes baseline wander slower than the kernel.
Signal remove_median_baseline(const Signal& x, int kernel, MedianEdge edge = MedianEdge::kNearest);

}  // namespace physiolite::dsp
