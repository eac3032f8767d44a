// IIR filter design: Butterworth low/high/band-pass/band-stop as second-order sections, and the
// second-order notch. Coefficients are the ones scipy 1.10 computes:
//   butter_*  == scipy.signal.butter(order, Wn, btype, fs=fs_hz, output='sos')
//   iirnotch  == scipy.signal.iirnotch(f0_hz, q, fs=fs_hz)
// i.e. analog prototype poles on the unit circle, frequency transform to the pre-warped band edges,
// bilinear transform, and scipy's 'nearest' pairing of poles and zeros into sections (the section
// whose poles lie closest to the unit circle comes last; the overall gain sits in the first one).
//
// Every design takes the sampling frequency explicitly; frequencies are in Hz and must lie strictly
// inside (0, fs_hz/2). Bad arguments throw physiolite::UsageError saying what was expected.
#pragma once

#include <complex>
#include <vector>

namespace physiolite::dsp {

// One second-order section, normalised so that a0 == 1:
//   H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2)
// (scipy's sos row [b0, b1, b2, 1, a1, a2]).
struct Biquad {
  double b0 = 1.0, b1 = 0.0, b2 = 0.0;
  double a1 = 0.0, a2 = 0.0;
};

// A cascade of sections, applied first to last.
using Sos = std::vector<Biquad>;

// A transfer function b(z)/a(z) in powers of z^-1 (scipy's (b, a)); a[0] must be non-zero.
struct TransferFunction {
  std::vector<double> b;
  std::vector<double> a;
};

// Zeros, poles and gain of an analog or digital system.
struct Zpk {
  std::vector<std::complex<double>> zeros;
  std::vector<std::complex<double>> poles;
  double gain = 1.0;
};

// Normalised analog Butterworth low-pass prototype of `order` (cutoff 1 rad/s): no zeros, poles
// -exp(i*pi*m/(2*order)) for m = -order+1, -order+3, ..., order-1, gain 1 (scipy.signal.buttap).
Zpk butter_analog_prototype(int order);

// Pairs the poles and zeros of a digital system into sections the way scipy.signal.zpk2sos does
// with pairing='nearest'. Complex roots must come in conjugate pairs.
Sos zpk_to_sos(const Zpk& digital);

// Butterworth designs. `order` >= 1 is the order of the low-pass prototype, so band-pass and
// band-stop designs have 2*order poles (order sections), as in scipy.
Sos butter_lowpass(int order, double cutoff_hz, double fs_hz);
Sos butter_highpass(int order, double cutoff_hz, double fs_hz);
Sos butter_bandpass(int order, double low_hz, double high_hz, double fs_hz);
Sos butter_bandstop(int order, double low_hz, double high_hz, double fs_hz);

// Second-order IIR notch at f0_hz with quality factor q > 0 (-3 dB bandwidth f0_hz / q).
TransferFunction iirnotch(double f0_hz, double q, double fs_hz);

}  // namespace physiolite::dsp
