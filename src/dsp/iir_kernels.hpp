// Inner loops of the IIR filters over a strided view (step +1 forwards, -1 backwards), so that the
// zero-phase filters run backwards without reversing a copy. No allocation inside.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "physiolite/dsp/iir_filter.hpp"

namespace physiolite::dsp::detail {

// b and a divided by a[0] and zero-padded to a common length.
struct NormalisedTf {
  std::vector<double> b, a;
};
NormalisedTf normalise(const TransferFunction& tf, std::string_view function);

// Filters n samples at data[0], data[step], ... in place.
void sos_run(const Sos& sos, double* data, std::ptrdiff_t n, std::ptrdiff_t step, SosState& state);

// b and a normalised (a[0] == 1) and of equal length m; state has m - 1 delays.
void lfilter_run(const std::vector<double>& b, const std::vector<double>& a, double* data,
                 std::ptrdiff_t n, std::ptrdiff_t step, std::vector<double>& state);

}  // namespace physiolite::dsp::detail
