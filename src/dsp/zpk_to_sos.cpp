// Pole/zero pairing into second-order sections, following scipy.signal.zpk2sos(pairing='nearest')
// for digital systems: the pole closest to the unit circle is paired first with its nearest zero
// and placed last, so the sections with the sharpest resonances come at the end of the cascade.
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <limits>
#include <numeric>

#include "physiolite/core/error.hpp"
#include "physiolite/dsp/filter_design.hpp"

namespace physiolite::dsp {
namespace {

using cd = std::complex<double>;

bool is_real(cd r) { return r.imag() == 0.0; }

// scipy's _cplxreal: one root per conjugate pair (the one with positive imaginary part, averaged
// with its partner), sorted by real part, followed by the real roots (imaginary part set to 0).
std::vector<cd> conjugate_pairs_then_reals(std::vector<cd> roots) {
  const double tol = 100 * std::numeric_limits<double>::epsilon();
  std::stable_sort(roots.begin(), roots.end(), [](cd x, cd y) {
    if (x.real() != y.real()) return x.real() < y.real();
    return std::abs(x.imag()) < std::abs(y.imag());
  });
  std::vector<cd> reals, positive, negative;
  for (const cd& r : roots) {
    if (std::abs(r.imag()) <= tol * std::abs(r)) {
      reals.emplace_back(r.real(), 0.0);
    } else {
      (r.imag() > 0 ? positive : negative).push_back(r);
    }
  }
  PL_CHECK(positive.size() == negative.size(), "complex roots must come in conjugate pairs");
  // Within runs of (nearly) equal real part, order by |imag| so that partners line up.
  const auto by_abs_imag = [](cd x, cd y) { return std::abs(x.imag()) < std::abs(y.imag()); };
  for (size_t start = 0; start < positive.size();) {
    size_t stop = start + 1;
    while (stop < positive.size() && positive[stop].real() - positive[stop - 1].real() <=
                                         tol * std::abs(positive[stop - 1])) {
      ++stop;
    }
    std::stable_sort(positive.begin() + start, positive.begin() + stop, by_abs_imag);
    std::stable_sort(negative.begin() + start, negative.begin() + stop, by_abs_imag);
    start = stop;
  }
  std::vector<cd> out;
  out.reserve(positive.size() + reals.size());
  for (size_t i = 0; i < positive.size(); ++i) {
    PL_CHECK(std::abs(positive[i] - std::conj(negative[i])) <= tol * std::abs(negative[i]),
             "complex roots must come in conjugate pairs");
    out.push_back((positive[i] + std::conj(negative[i])) / 2.0);
  }
  out.insert(out.end(), reals.begin(), reals.end());
  return out;
}

// Index of the root closest to the unit circle (first one on ties, as numpy's argmin).
size_t closest_to_unit_circle(const std::vector<cd>& roots, bool real_only) {
  size_t best = roots.size();
  double best_distance = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < roots.size(); ++i) {
    if (real_only && !is_real(roots[i])) continue;
    const double d = std::abs(1 - std::abs(roots[i]));
    if (d < best_distance) best = i, best_distance = d;
  }
  PL_CHECK(best < roots.size(), "no root to pair");
  return best;
}

enum class Kind { kAny, kReal, kComplex };

// Index of the root of `kind` nearest to `target`.
size_t nearest(const std::vector<cd>& roots, cd target, Kind kind) {
  size_t best = roots.size();
  double best_distance = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < roots.size(); ++i) {
    if ((kind == Kind::kReal && !is_real(roots[i])) ||
        (kind == Kind::kComplex && is_real(roots[i])))
      continue;
    const double d = std::abs(roots[i] - target);
    if (d < best_distance) best = i, best_distance = d;
  }
  PL_CHECK(best < roots.size(), "no zero to pair");
  return best;
}

cd take(std::vector<cd>& roots, size_t index) {
  const cd r = roots[index];
  roots.erase(roots.begin() + static_cast<std::ptrdiff_t>(index));
  return r;
}

// Coefficients of prod (1 - r z^-1) over up to two roots, padded at the front to three terms so
// that fewer roots mean a delayed numerator/denominator (scipy's _single_zpksos).
std::array<double, 3> expand(const std::vector<cd>& roots) {
  std::array<cd, 3> c{1.0, 0.0, 0.0};
  for (size_t i = 0; i < roots.size(); ++i) {
    for (size_t j = i + 1; j > 0; --j) c[j] -= roots[i] * c[j - 1];
  }
  std::array<double, 3> out{0.0, 0.0, 0.0};
  const size_t shift = 2 - roots.size();
  for (size_t j = 0; j <= roots.size(); ++j) out[j + shift] = c[j].real();
  return out;
}

Biquad section(const std::vector<cd>& zeros, const std::vector<cd>& poles) {
  const auto b = expand(zeros);
  const auto a = expand(poles);
  PL_CHECK(a[0] == 1.0, "a section needs two poles");
  return {b[0], b[1], b[2], a[1], a[2]};
}

}  // namespace

Sos zpk_to_sos(const Zpk& digital) {
  if (digital.zeros.empty() && digital.poles.empty()) return {Biquad{digital.gain, 0, 0, 0, 0}};
  std::vector<cd> z = digital.zeros, p = digital.poles;
  if (z.size() < p.size()) z.resize(p.size(), cd(0));
  if (p.size() < z.size()) p.resize(z.size(), cd(0));
  const size_t n_sections = (p.size() + 1) / 2;
  if (p.size() % 2 == 1) {
    p.emplace_back(0.0);
    z.emplace_back(0.0);
  }
  z = conjugate_pairs_then_reals(std::move(z));
  p = conjugate_pairs_then_reals(std::move(p));
  const auto count_real = [](const std::vector<cd>& r) {
    return std::count_if(r.begin(), r.end(), is_real);
  };

  Sos sos(n_sections);
  for (size_t si = n_sections; si-- > 0;) {
    const cd p1 = take(p, closest_to_unit_circle(p, false));
    if (is_real(p1) && count_real(p) == 0) {
      // The last real pole: pair it with a real zero, padded by a pole and zero at the origin.
      const cd z1 = take(z, nearest(z, p1, Kind::kReal));
      sos[si] = section({z1, 0.0}, {p1, 0.0});
    } else if (p.size() + 1 == z.size() && !is_real(p1) && count_real(p) == 1 &&
               count_real(z) == 1) {
      // One real pole and one real zero remain for later: this pair must take complex zeros.
      const cd z1 = take(z, nearest(z, p1, Kind::kComplex));
      sos[si] = section({z1, std::conj(z1)}, {p1, std::conj(p1)});
    } else {
      const cd p2 = is_real(p1) ? take(p, closest_to_unit_circle(p, true)) : std::conj(p1);
      if (z.empty()) {
        sos[si] = section({}, {p1, p2});
        continue;
      }
      const cd z1 = take(z, nearest(z, p1, Kind::kAny));
      if (!is_real(z1)) {
        sos[si] = section({z1, std::conj(z1)}, {p1, p2});
      } else if (!z.empty()) {
        const cd z2 = take(z, nearest(z, p1, Kind::kReal));
        sos[si] = section({z1, z2}, {p1, p2});
      } else {
        sos[si] = section({z1}, {p1, p2});
      }
    }
  }
  PL_CHECK(p.empty() && z.empty(), "every pole and zero is paired");
  sos[0].b0 *= digital.gain;
  sos[0].b1 *= digital.gain;
  sos[0].b2 *= digital.gain;
  return sos;
}

}  // namespace physiolite::dsp
