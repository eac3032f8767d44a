// Cascade of biquads in direct form II transposed, the recurrences of scipy's _sosfilt:
//   y = b0 x + z0;  z0 = b1 x - a1 y + z1;  z1 = b2 x - a2 y.
// Sections are run in groups of up to four per pass with their delays in registers: the sample
// loop then carries four short independent recurrences that the CPU overlaps. A cascade is linear
// and causal, so group after group over the whole signal gives the same numbers as all sections
// per sample.
#include <fmt/format.h>
#include <algorithm>

#include "iir_kernels.hpp"
#include "usage_check.hpp"

namespace physiolite::dsp {
namespace {

constexpr int kGroup = 4;

template <int N>
void run_group(const Biquad* s, std::array<double, 2>* zs, double* data, std::ptrdiff_t n,
               std::ptrdiff_t step) {
  double b0[N], b1[N], b2[N], a1[N], a2[N], z0[N], z1[N];
  for (int k = 0; k < N; ++k) {
    b0[k] = s[k].b0, b1[k] = s[k].b1, b2[k] = s[k].b2, a1[k] = s[k].a1, a2[k] = s[k].a2;
    z0[k] = zs[k][0], z1[k] = zs[k][1];
  }
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    double x = data[i * step];
    for (int k = 0; k < N; ++k) {
      const double y = b0[k] * x + z0[k];
      z0[k] = (b1[k] * x + z1[k]) - a1[k] * y;
      z1[k] = b2[k] * x - a2[k] * y;
      x = y;
    }
    data[i * step] = x;
  }
  for (int k = 0; k < N; ++k) zs[k] = {z0[k], z1[k]};
}

}  // namespace

namespace detail {

void sos_run(const Sos& sos, double* data, std::ptrdiff_t n, std::ptrdiff_t step, SosState& state) {
  for (size_t g = 0; g < sos.size(); g += kGroup) {
    const Biquad* s = sos.data() + g;
    auto* z = state.data() + g;
    switch (std::min<size_t>(kGroup, sos.size() - g)) {
      case 1:
        run_group<1>(s, z, data, n, step);
        break;
      case 2:
        run_group<2>(s, z, data, n, step);
        break;
      case 3:
        run_group<3>(s, z, data, n, step);
        break;
      default:
        run_group<4>(s, z, data, n, step);
        break;
    }
  }
}

}  // namespace detail

void sosfilt_inplace(const Sos& sos, std::span<double> x, SosState& state) {
  if (state.size() != sos.size()) {
    detail::usage_fail("sosfilt_inplace", "state", fmt::format("{} sections of state", sos.size()),
                       fmt::format("{}", state.size()));
  }
  detail::sos_run(sos, x.data(), static_cast<std::ptrdiff_t>(x.size()), 1, state);
}

std::vector<double> sosfilt(const Sos& sos, std::span<const double> x) {
  std::vector<double> y(x.begin(), x.end());
  SosState state(sos.size(), {0.0, 0.0});
  sosfilt_inplace(sos, y, state);
  return y;
}

SosState sosfilt_zi(const Sos& sos) {
  SosState zi;
  zi.reserve(sos.size());
  double scale = 1.0;
  for (const Biquad& s : sos) {
    const double b_sum = s.b0 + s.b1 + s.b2, a_sum = 1.0 + s.a1 + s.a2;
    if (a_sum == 0.0) {
      detail::usage_fail("sosfilt_zi", "sos", "sections without a pole at z = 1",
                         "a section with 1 + a1 + a2 == 0");
    }
    const double y = b_sum / a_sum;  // the section's step response settles at H(1)
    zi.push_back({scale * (y - s.b0), scale * (s.b2 - s.a2 * y)});
    scale *= y;
  }
  return zi;
}

}  // namespace physiolite::dsp
