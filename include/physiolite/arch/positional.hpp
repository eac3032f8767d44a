// Sin/cos positional channels of docs/model.md (positional channels) ([R]
// make_1d_sincos_positional_channels). Identical for every window, so they are computed once on the
// CPU and concatenated after the raw channels outside the network graph; on the device they are a
// constant buffer.
#pragma once

#include <vector>

namespace physiolite::arch {

// 2P rows of `length` values, row-major: row 2k = scale*sin(2*pi*2^k*t), row 2k+1 = scale*cos(..),
// t = n/(length-1) for n = 0..length-1 (both ends included, as numpy's linspace(0, 1, length)).
std::vector<float> positional_channels(int length, int pos_freqs, double scale);

}  // namespace physiolite::arch
