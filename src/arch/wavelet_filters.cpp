#include "physiolite/arch/wavelet_filters.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace physiolite::arch {

namespace {

// Scaling filters h_n as published (Daubechies, "Ten Lectures on Wavelets", SIAM 1992: Table 6.1
// for db2/db3, Table 6.3 for the least-asymmetric sym4, Table 8.1 for coif1), normalised to
// sum h_n = sqrt(2). The decomposition low-pass is h reversed (PyWavelets' dec_lo convention);
// tests/arch/wavelet_filters_test.cpp checks them against closed forms and PyWavelets 1.1.1.
const double kDb2[] = {0.48296291314453416, 0.8365163037378079, 0.2241438680420134,
                       -0.12940952255126037};
const double kDb3[] = {0.33267055295008263,  0.8068915093110925,   0.45987750211849154,
                       -0.13501102001025458, -0.08544127388202666, 0.03522629188570953};
const double kSym4[] = {0.0322231006040427,   -0.012603967262037833, -0.09921954357684722,
                        0.29785779560527736,  0.8037387518059161,    0.49761866763201545,
                        -0.02963552764599851, -0.07576571478927333};
const double kCoif1[] = {-0.07273261951252645, 0.3378976624574818,   0.8525720202116004,
                         0.3848648468648578,   -0.07273261951252645, -0.015655728135791993};

template <size_t N>
Wavelet make_wavelet(std::string_view name, const double (&h)[N]) {
  std::vector<double> lo(std::rbegin(h), std::rend(h));
  std::vector<double> hi = quadrature_mirror(lo);
  return Wavelet{name, std::move(lo), std::move(hi)};
}

void normalise(std::vector<double>& taps) {
  const double energy = std::inner_product(taps.begin(), taps.end(), taps.begin(), 0.0);
  for (double& t : taps) t /= std::sqrt(energy);
}

}  // namespace

const std::vector<Wavelet>& bank_wavelets() {
  static const std::vector<Wavelet> list{make_wavelet("db2", kDb2), make_wavelet("db3", kDb3),
                                         make_wavelet("sym4", kSym4),
                                         make_wavelet("coif1", kCoif1)};
  return list;
}

std::vector<double> quadrature_mirror(const std::vector<double>& dec_lo) {
  const size_t n = dec_lo.size();
  std::vector<double> hi(n);
  for (size_t i = 0; i < n; ++i) hi[i] = (i % 2 == 0 ? -1.0 : 1.0) * dec_lo[n - 1 - i];
  return hi;
}

std::vector<double> resample_linear(const std::vector<double>& taps, int length) {
  const double mean = std::accumulate(taps.begin(), taps.end(), 0.0) / taps.size();
  if (length == 1) return {mean};
  std::vector<double> out(length);
  const double last = static_cast<double>(taps.size() - 1);
  for (int j = 0; j < length; ++j) {
    const double pos = last * j / (length - 1);
    const size_t i = std::min(static_cast<size_t>(pos), taps.size() - 2);
    const double frac = pos - i;
    out[j] = (1.0 - frac) * taps[i] + frac * taps[i + 1];
  }
  return out;
}

std::vector<std::vector<double>> branch_filter_prototypes(int kernel) {
  std::vector<std::vector<double>> filters;
  for (const Wavelet& w : bank_wavelets()) {
    if (kernel == 1) {
      filters.push_back({1.0});
      filters.push_back({-1.0});
      continue;
    }
    std::vector<double> lo = resample_linear(w.dec_lo, kernel);
    std::vector<double> hi = resample_linear(w.dec_hi, kernel);
    // Resampling leaks a little DC into the high-pass; remove it so it stays blind to offsets.
    const double dc = std::accumulate(hi.begin(), hi.end(), 0.0) / kernel;
    for (double& t : hi) t -= dc;
    for (auto* f : {&lo, &hi}) {
      normalise(*f);
      std::reverse(f->begin(), f->end());  // convolution taps -> cross-correlation weights
      filters.push_back(std::move(*f));
    }
  }
  return filters;
}

}  // namespace physiolite::arch
