// Second-order notch, the formula of scipy.signal.iirnotch (Orfanidis' design): the bilinear image
// of an analog notch whose -3 dB width is bw = f0/Q, with its edges where |H|^2 = 1/2.
#include <cmath>
#include <numbers>

#include "physiolite/dsp/filter_design.hpp"
#include "usage_check.hpp"

namespace physiolite::dsp {

TransferFunction iirnotch(double f0_hz, double q, double fs_hz) {
  detail::check_frequency("iirnotch", "f0_hz", f0_hz, fs_hz);
  detail::check_positive("iirnotch", "q", q, "a quality factor > 0");
  const double w0_nyquist = 2 * f0_hz / fs_hz;  // 1 = Nyquist
  const double bw = w0_nyquist / q * std::numbers::pi;
  const double w0 = w0_nyquist * std::numbers::pi;
  const double gb = 1 / std::sqrt(2.0);  // gain at the band edges: -3 dB
  const double beta = (std::sqrt(1.0 - gb * gb) / gb) * std::tan(bw / 2.0);
  const double gain = 1.0 / (1.0 + beta);
  return {{gain, gain * -2.0 * std::cos(w0), gain},
          {1.0, -2.0 * gain * std::cos(w0), 2.0 * gain - 1.0}};
}

}  // namespace physiolite::dsp
