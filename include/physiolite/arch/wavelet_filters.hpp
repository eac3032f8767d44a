// Orthogonal wavelet decomposition filters and the prototype kernels the wavelet-initialised
// filter bank starts from (our deviation from [R], whose bank is randomly initialised:
// docs/model.md).
//
// Design (documented in docs/wavelet_bank.md): every branch of kernel size k gets the low- and
// high-pass decomposition filters of db2, db3, sym4 and coif1, each linearly resampled so its
// support spans exactly the branch's receptive field (the scale of the branch), high-pass made
// zero-mean again, each normalised to unit energy, and flipped into cross-correlation order.
#pragma once

#include <string_view>
#include <vector>

namespace physiolite::arch {

struct Wavelet {
  std::string_view name;
  std::vector<double> dec_lo;  // decomposition low-pass, PyWavelets order; sum = sqrt(2)
  std::vector<double> dec_hi;  // quadrature mirror of dec_lo
};

// db2, db3, sym4, coif1 (in that order).
const std::vector<Wavelet>& bank_wavelets();

// dec_hi[n] = (-1)^(n+1) * dec_lo[L-1-n].
std::vector<double> quadrature_mirror(const std::vector<double>& dec_lo);

// `taps` sampled at `length` evenly spaced positions from the first to the last tap, linear
// interpolation in between; length 1 gives the mean tap.
std::vector<double> resample_linear(const std::vector<double>& taps, int length);

// 2 * bank_wavelets().size() filters of `kernel` taps, in order (w0 lo, w0 hi, w1 lo, ...), ready
// to be used as Conv1d weights (cross-correlation order). Unit L2 norm; high-pass sums to 0.
// kernel 1 degenerates to +1 / -1 (channel mixing only).
std::vector<std::vector<double>> branch_filter_prototypes(int kernel);

}  // namespace physiolite::arch
