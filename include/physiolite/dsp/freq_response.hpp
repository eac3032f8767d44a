// Frequency response of digital filters at chosen frequencies (scipy.signal.sosfreqz / freqz with
// worN given in Hz and fs): H(e^{jw}) with w = 2 pi f / fs_hz.
#pragma once

#include <complex>
#include <span>
#include <vector>

#include "physiolite/dsp/filter_design.hpp"

namespace physiolite::dsp {

std::vector<std::complex<double>> freq_response(const Sos& sos, std::span<const double> freqs_hz,
                                                double fs_hz);
std::vector<std::complex<double>> freq_response(const TransferFunction& tf,
                                                std::span<const double> freqs_hz, double fs_hz);

// |H| at each frequency.
std::vector<double> magnitude_response(const Sos& sos, std::span<const double> freqs_hz,
                                       double fs_hz);
std::vector<double> magnitude_response(const TransferFunction& tf, std::span<const double> freqs_hz,
                                       double fs_hz);

}  // namespace physiolite::dsp
