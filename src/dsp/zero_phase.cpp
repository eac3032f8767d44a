// Forward-backward (zero-phase) filtering with scipy's default edge handling: odd extension of
// padlen samples at each end, initial state = steady-state delays times the first sample of the
// pass, filter forwards, then backwards from the last output, then drop the padding.
#include <fmt/format.h>

#include <algorithm>

#include "iir_kernels.hpp"
#include "usage_check.hpp"

namespace physiolite::dsp {
namespace {

// A filter with steady-state start-up: start(v) sets the state a constant input v settles in,
// run(data, n, step) filters n samples in place, continuing from the current state.
template <class Filter>
std::vector<double> forward_backward(std::string_view function, std::span<const double> x,
                                     size_t edge, Filter& filter) {
  if (x.size() <= edge) {
    detail::usage_fail(function, "x",
                       fmt::format("a signal longer than the edge padding ({} samples)", edge),
                       fmt::format("{} samples", x.size()));
  }
  // Odd extension, kept apart from the signal so that the output needs no copy or shift:
  // left = 2 x0 - x[edge] ... 2 x0 - x[1],  right = 2 x_{n-1} - x[n-2] ... 2 x_{n-1} - x[n-1-edge].
  const size_t n = x.size();
  std::vector<double> pads(2 * edge);
  double* left = pads.data();
  double* right = pads.data() + edge;
  for (size_t i = 0; i < edge; ++i) left[i] = 2 * x[0] - x[edge - i];
  for (size_t i = 0; i < edge; ++i) right[i] = 2 * x[n - 1] - x[n - 2 - i];
  std::vector<double> y(x.begin(), x.end());
  const auto e = static_cast<std::ptrdiff_t>(edge), m = static_cast<std::ptrdiff_t>(n);

  filter.start(left[0]);
  filter.run(left, e, 1);
  filter.run(y.data(), m, 1);
  filter.run(right, e, 1);
  // Backwards from the end of the extension; the left pad's backward output is not needed.
  filter.start(right[edge - 1]);
  filter.run(right + edge - 1, e, -1);
  filter.run(y.data() + n - 1, m, -1);
  return y;
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
  struct Cascade {
    const Sos& sos;
    SosState zi = sosfilt_zi(sos);
    SosState state = zi;
    void start(double v) {
      for (size_t s = 0; s < zi.size(); ++s) state[s] = {zi[s][0] * v, zi[s][1] * v};
    }
    void run(double* data, std::ptrdiff_t n, std::ptrdiff_t step) {
      detail::sos_run(sos, data, n, step, state);
    }
  } cascade{sos};
  return forward_backward("sosfiltfilt", x, sosfiltfilt_padlen(sos), cascade);
}

size_t filtfilt_padlen(const TransferFunction& tf) {
  return 3 * std::max(tf.a.size(), tf.b.size());
}

std::vector<double> filtfilt(const TransferFunction& tf, std::span<const double> x) {
  struct Direct {
    detail::NormalisedTf norm;
    std::vector<double> zi;
    std::vector<double> state = zi;
    void start(double v) {
      for (size_t k = 0; k < zi.size(); ++k) state[k] = zi[k] * v;
    }
    void run(double* data, std::ptrdiff_t n, std::ptrdiff_t step) {
      detail::lfilter_run(norm.b, norm.a, data, n, step, state);
    }
  } direct{detail::normalise(tf, "filtfilt"), lfilter_zi(tf)};
  return forward_backward("filtfilt", x, filtfilt_padlen(tf), direct);
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
