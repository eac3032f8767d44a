// Butterworth designs, step for step as scipy.signal.iirfilter(ftype='butter', output='sos'):
// analog prototype -> frequency transform to the pre-warped edges -> bilinear transform (fs = 2
// in normalised units) -> zpk_to_sos. Each step mirrors scipy's lp2*_zpk / bilinear_zpk, so the
// coefficients agree to rounding.
#include <cmath>
#include <complex>
#include <functional>
#include <numbers>
#include <string_view>

#include <fmt/format.h>

#include "physiolite/dsp/filter_design.hpp"
#include "usage_check.hpp"

namespace physiolite::dsp {
namespace {

using cd = std::complex<double>;

// scipy's normalised band edge Wn = 2 f / fs, pre-warped for the bilinear transform at fs = 2.
double prewarp(double f_hz, double fs_hz) {
  const double wn = 2 * f_hz / fs_hz;
  const double fs = 2.0;
  return 2 * fs * std::tan(std::numbers::pi * wn / fs);
}

int relative_degree(const Zpk& s) {
  return static_cast<int>(s.poles.size()) - static_cast<int>(s.zeros.size());
}

// real(prod(-z) / prod(-p)), the gain change of the transforms that invert s.
double inverted_gain(const Zpk& s) {
  cd num = 1, den = 1;
  for (const cd& z : s.zeros) num *= -z;
  for (const cd& p : s.poles) den *= -p;
  return (num / den).real();
}

std::vector<cd> map_roots(const std::vector<cd>& roots, const std::function<cd(cd)>& f) {
  std::vector<cd> out;
  out.reserve(roots.size());
  for (const cd& r : roots) out.push_back(f(r));
  return out;
}

Zpk lowpass_to_lowpass(const Zpk& s, double wo) {
  return {map_roots(s.zeros, [&](cd z) { return wo * z; }),
          map_roots(s.poles, [&](cd p) { return wo * p; }),
          s.gain * std::pow(wo, relative_degree(s))};
}

Zpk lowpass_to_highpass(const Zpk& s, double wo) {
  Zpk out{map_roots(s.zeros, [&](cd z) { return wo / z; }),
          map_roots(s.poles, [&](cd p) { return wo / p; }), s.gain * inverted_gain(s)};
  out.zeros.insert(out.zeros.end(), relative_degree(s), cd(0));
  return out;
}

// Each root r of the scaled prototype splits into r + sqrt(r^2 - wo^2) and r - sqrt(r^2 - wo^2);
// scipy lists all the '+' roots first, then all the '-' roots.
std::vector<cd> split_roots(const std::vector<cd>& scaled, double wo) {
  std::vector<cd> out;
  out.reserve(2 * scaled.size());
  for (const cd& r : scaled) out.push_back(r + std::sqrt(r * r - wo * wo));
  for (const cd& r : scaled) out.push_back(r - std::sqrt(r * r - wo * wo));
  return out;
}

Zpk lowpass_to_bandpass(const Zpk& s, double wo, double bw) {
  auto scale = [&](cd r) { return r * bw / 2.0; };
  Zpk out{split_roots(map_roots(s.zeros, scale), wo), split_roots(map_roots(s.poles, scale), wo),
          s.gain * std::pow(bw, relative_degree(s))};
  out.zeros.insert(out.zeros.end(), relative_degree(s), cd(0));
  return out;
}

Zpk lowpass_to_bandstop(const Zpk& s, double wo, double bw) {
  auto invert = [&](cd r) { return (bw / 2.0) / r; };
  Zpk out{split_roots(map_roots(s.zeros, invert), wo), split_roots(map_roots(s.poles, invert), wo),
          s.gain * inverted_gain(s)};
  out.zeros.insert(out.zeros.end(), relative_degree(s), cd(0, wo));
  out.zeros.insert(out.zeros.end(), relative_degree(s), cd(0, -wo));
  return out;
}

// Bilinear transform at fs = 2 (normalised frequencies); zeros at infinity land on z = -1.
Zpk bilinear(const Zpk& s) {
  const double fs2 = 2.0 * 2.0;
  Zpk out{map_roots(s.zeros, [&](cd z) { return (fs2 + z) / (fs2 - z); }),
          map_roots(s.poles, [&](cd p) { return (fs2 + p) / (fs2 - p); }), 0.0};
  cd num = 1, den = 1;
  for (const cd& z : s.zeros) num *= fs2 - z;
  for (const cd& p : s.poles) den *= fs2 - p;
  out.gain = s.gain * (num / den).real();
  out.zeros.insert(out.zeros.end(), relative_degree(s), cd(-1));
  return out;
}

void check_order(std::string_view function, int order) {
  if (order < 1) detail::usage_fail(function, "order", "an order >= 1", fmt::format("{}", order));
}

void check_band(std::string_view function, double low_hz, double high_hz, double fs_hz) {
  detail::check_frequency(function, "low_hz", low_hz, fs_hz);
  detail::check_frequency(function, "high_hz", high_hz, fs_hz);
  if (!(low_hz < high_hz)) {
    detail::usage_fail(function, "high_hz", fmt::format("a band edge above low_hz = {} Hz", low_hz),
                       fmt::format("{} Hz", high_hz));
  }
}

// One cutoff: the prototype moved to the pre-warped edge, then digitised.
Sos design_edge(std::string_view function, int order, double cutoff_hz, double fs_hz,
                Zpk (*transform)(const Zpk&, double wo)) {
  check_order(function, order);
  detail::check_frequency(function, "cutoff_hz", cutoff_hz, fs_hz);
  return zpk_to_sos(bilinear(transform(butter_analog_prototype(order), prewarp(cutoff_hz, fs_hz))));
}

// Two edges: centre sqrt(w0 w1) and width w1 - w0 of the pre-warped band.
Sos design_band(std::string_view function, int order, double low_hz, double high_hz, double fs_hz,
                Zpk (*transform)(const Zpk&, double wo, double bw)) {
  check_order(function, order);
  check_band(function, low_hz, high_hz, fs_hz);
  const double w0 = prewarp(low_hz, fs_hz), w1 = prewarp(high_hz, fs_hz);
  return zpk_to_sos(
      bilinear(transform(butter_analog_prototype(order), std::sqrt(w0 * w1), w1 - w0)));
}

}  // namespace

Zpk butter_analog_prototype(int order) {
  check_order("butter_analog_prototype", order);
  Zpk proto;
  for (int m = -order + 1; m < order; m += 2) {
    proto.poles.push_back(-std::exp(cd(0, std::numbers::pi * m / (2 * order))));
  }
  return proto;
}

Sos butter_lowpass(int order, double cutoff_hz, double fs_hz) {
  return design_edge("butter_lowpass", order, cutoff_hz, fs_hz, lowpass_to_lowpass);
}

Sos butter_highpass(int order, double cutoff_hz, double fs_hz) {
  return design_edge("butter_highpass", order, cutoff_hz, fs_hz, lowpass_to_highpass);
}

Sos butter_bandpass(int order, double low_hz, double high_hz, double fs_hz) {
  return design_band("butter_bandpass", order, low_hz, high_hz, fs_hz, lowpass_to_bandpass);
}

Sos butter_bandstop(int order, double low_hz, double high_hz, double fs_hz) {
  return design_band("butter_bandstop", order, low_hz, high_hz, fs_hz, lowpass_to_bandstop);
}

}  // namespace physiolite::dsp
