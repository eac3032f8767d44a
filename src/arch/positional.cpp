#include "physiolite/arch/positional.hpp"

#include <cmath>
#include <numbers>

namespace physiolite::arch {

std::vector<float> positional_channels(int length, int pos_freqs, double scale) {
  std::vector<float> rows(static_cast<size_t>(2 * pos_freqs) * length);
  const double step = length > 1 ? 1.0 / (length - 1) : 0.0;
  for (int k = 0; k < pos_freqs; ++k) {
    const double omega = 2.0 * std::numbers::pi * std::ldexp(1.0, k);
    float* sin_row = rows.data() + static_cast<size_t>(2 * k) * length;
    float* cos_row = sin_row + length;
    for (int n = 0; n < length; ++n) {
      const double phase = omega * (n * step);
      sin_row[n] = static_cast<float>(scale * std::sin(phase));
      cos_row[n] = static_cast<float>(scale * std::cos(phase));
    }
  }
  return rows;
}

}  // namespace physiolite::arch
