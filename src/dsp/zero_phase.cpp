// Forward-backward (zero-phase) filtering with scipy's default edge handling: odd extension of
// padlen samples at each end, initial state = steady-state delays times the first sample of the
// pass, filter forwards, then backwards from the last output, then drop the padding.
#include <fmt/format.h>

#include <algorithm>

#include "iir_kernels.hpp"
#include "usage_check.hpp"

namespace physiolite::dsp {
namespace {

// [2 x0 - x[edge] ... 2 x0 - x[1]] x [2 x_{n-1} - x[n-2] ... 2 x_{n-1} - x[n-1-edge]].
std::vector<double> odd_extend(std::span<const double> x, size_t edge) {
  const size_t n = x.size();
  std::vector<double> ext(n + 2 * edge);
  for (size_t i = 0; i < edge; ++i) ext[i] = 2 * x[0] - x[edge - i];
  std::copy(x.begin(), x.end(), ext.begin() + static_cast<std::ptrdiff_t>(edge));
  for (size_t i = 0; i < edge; ++i) ext[edge + n + i] = 2 * x[n - 1] - x[n - 2 - i];
  return ext;
}

// `run(data, n, step, first)` filters in place starting from the steady state scaled by `first`.
template <class Run>
std::vector<double> forward_backward(std::string_view function, std::span<const double> x,
                                     size_t edge, Run run) {
  if (x.size() <= edge) {
    detail::usage_fail(function, "x",
                       fmt::format("a signal longer than the edge padding ({} samples)", edge),
                       fmt::format("{} samples", x.size()));
  }
  std::vector<double> ext = odd_extend(x, edge);
  const auto n = static_cast<std::ptrdiff_t>(ext.size());
  run(ext.data(), n, 1, ext.front());
  run(ext.data() + n - 1, n, -1, ext.back());
  ext.erase(ext.begin(), ext.begin() + static_cast<std::ptrdiff_t>(edge));
  ext.resize(x.size());
  return ext;
}

Signal with_samples(const Signal& like, std::vector<double> samples) {
  return Signal{std::move(samples), like.fs_hz, like.units, like.name};
}

}  // namespace

size_t sosfiltfilt_padlen(const Sos& sos) {
  const auto b2_zero =
      std::count_if(sos.begin(), sos.end(), [](const Biquad& s) { return s.b2 == 0; });
  const auto a2_zero =
      std::count_if(sos.begin(), sos.end(), [](const Biquad& s) { return s.a2 == 0; });
  return 3 * (2 * sos.size() + 1 - static_cast<size_t>(std::min(b2_zero, a2_zero)));
}

std::vector<double> sosfiltfilt(const Sos& sos, std::span<const double> x) {
  const SosState zi = sosfilt_zi(sos);
  SosState state(sos.size());
  return forward_backward("sosfiltfilt", x, sosfiltfilt_padlen(sos),
                          [&](double* data, std::ptrdiff_t n, std::ptrdiff_t step, double first) {
                            for (size_t s = 0; s < zi.size(); ++s) {
                              state[s] = {zi[s][0] * first, zi[s][1] * first};
                            }
                            detail::sos_run(sos, data, n, step, state);
                          });
}

size_t filtfilt_padlen(const TransferFunction& tf) {
  return 3 * std::max(tf.a.size(), tf.b.size());
}

std::vector<double> filtfilt(const TransferFunction& tf, std::span<const double> x) {
  const detail::NormalisedTf norm = detail::normalise(tf, "filtfilt");
  const std::vector<double> zi = lfilter_zi(tf);
  std::vector<double> state(zi.size());
  return forward_backward("filtfilt", x, filtfilt_padlen(tf),
                          [&](double* data, std::ptrdiff_t n, std::ptrdiff_t step, double first) {
                            for (size_t k = 0; k < zi.size(); ++k) state[k] = zi[k] * first;
                            detail::lfilter_run(norm.b, norm.a, data, n, step, state);
                          });
}

Signal sosfiltfilt(const Sos& sos, const Signal& x) {
  return with_samples(x, sosfiltfilt(sos, x.samples));
}

Signal filtfilt(const TransferFunction& tf, const Signal& x) {
  return with_samples(x, filtfilt(tf, x.samples));
}

Signal lowpass_filter(const Signal& x, int order, double cutoff_hz) {
  return sosfiltfilt(butter_lowpass(order, cutoff_hz, x.fs_hz), x);
}

Signal highpass_filter(const Signal& x, int order, double cutoff_hz) {
  return sosfiltfilt(butter_highpass(order, cutoff_hz, x.fs_hz), x);
}

Signal bandpass_filter(const Signal& x, int order, double low_hz, double high_hz) {
  return sosfiltfilt(butter_bandpass(order, low_hz, high_hz, x.fs_hz), x);
}

Signal notch_filter(const Signal& x, double f0_hz, double q) {
  return filtfilt(iirnotch(f0_hz, q, x.fs_hz), x);
}

}  // namespace physiolite::dsp
