// Polynomials in z^-1 evaluated on the unit circle by Horner's rule.
#include "physiolite/dsp/freq_response.hpp"

#include <cmath>
#include <numbers>

#include "usage_check.hpp"

namespace physiolite::dsp {
namespace {

using cd = std::complex<double>;

// c[0] + c[1] z^-1 + ... at z^-1 = zinv.
cd polyval_zinv(std::span<const double> c, cd zinv) {
  cd acc = 0;
  for (size_t i = c.size(); i-- > 0;) acc = acc * zinv + c[i];
  return acc;
}

template <class Eval>
std::vector<cd> evaluate(std::span<const double> freqs_hz, double fs_hz, Eval h) {
  detail::check_rate("freq_response", "fs_hz", fs_hz);
  std::vector<cd> out;
  out.reserve(freqs_hz.size());
  for (double f : freqs_hz) out.push_back(h(std::polar(1.0, -2 * std::numbers::pi * f / fs_hz)));
  return out;
}

std::vector<double> magnitudes(const std::vector<cd>& h) {
  std::vector<double> out;
  out.reserve(h.size());
  for (const cd& v : h) out.push_back(std::abs(v));
  return out;
}

}  // namespace

std::vector<cd> freq_response(const Sos& sos, std::span<const double> freqs_hz, double fs_hz) {
  return evaluate(freqs_hz, fs_hz, [&](cd zinv) {
    cd h = 1;
    for (const Biquad& s : sos) {
      const double b[] = {s.b0, s.b1, s.b2}, a[] = {1.0, s.a1, s.a2};
      h *= polyval_zinv(b, zinv) / polyval_zinv(a, zinv);
    }
    return h;
  });
}

std::vector<cd> freq_response(const TransferFunction& tf, std::span<const double> freqs_hz,
                              double fs_hz) {
  return evaluate(freqs_hz, fs_hz,
                  [&](cd zinv) { return polyval_zinv(tf.b, zinv) / polyval_zinv(tf.a, zinv); });
}

std::vector<double> magnitude_response(const Sos& sos, std::span<const double> freqs_hz,
                                       double fs_hz) {
  return magnitudes(freq_response(sos, freqs_hz, fs_hz));
}

std::vector<double> magnitude_response(const TransferFunction& tf, std::span<const double> freqs_hz,
                                       double fs_hz) {
  return magnitudes(freq_response(tf, freqs_hz, fs_hz));
}

}  // namespace physiolite::dsp
