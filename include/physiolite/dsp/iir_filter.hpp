// Running IIR filters: causal (sosfilt, lfilter) and zero-phase forward-backward (sosfiltfilt,
// filtfilt), with scipy 1.10's conventions and defaults:
//   - both are direct form II transposed; a cascade's state holds two delays per section;
//   - sosfilt_zi / lfilter_zi give the state of a unit step's steady state;
//   - sosfiltfilt(sos, x) == scipy.signal.sosfiltfilt(sos, x): odd extension by
//     padlen = 3 * (2 * sections + 1 - min(#sections with b2 == 0, #sections with a2 == 0))
//     samples at both ends, initial state sosfilt_zi scaled by the first (then, backwards, the
//     last) padded sample;
//   - filtfilt(tf, x) == scipy.signal.filtfilt(b, a, x): the same with padlen = 3 * max(len(a),
//     len(b)).
// The signal must be longer than padlen (scipy's rule), else UsageError.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "physiolite/dsp/filter_design.hpp"
#include "physiolite/dsp/signal.hpp"

namespace physiolite::dsp {

// Delays of a cascade, two per section (scipy's zi of shape (sections, 2)).
using SosState = std::vector<std::array<double, 2>>;

// Filters `x` in place through `sos`. `state` is the initial state on entry (sos.size() entries)
// and the final state on return.
void sosfilt_inplace(const Sos& sos, std::span<double> x, SosState& state);
// Causal filtering from rest (zero state).
std::vector<double> sosfilt(const Sos& sos, std::span<const double> x);
// Steady-state delays for a unit step input, section by section (scipy.signal.sosfilt_zi).
SosState sosfilt_zi(const Sos& sos);
// Edge padding sosfiltfilt uses for this cascade.
std::size_t sosfiltfilt_padlen(const Sos& sos);
// Zero-phase filtering: magnitude response squared, no delay.
std::vector<double> sosfiltfilt(const Sos& sos, std::span<const double> x);
Signal sosfiltfilt(const Sos& sos, const Signal& x);

// Transfer-function filtering (b and a normalised by a[0]); `state` has max(len(a), len(b)) - 1
// delays, initial on entry and final on return.
void lfilter_inplace(const TransferFunction& tf, std::span<double> x, std::vector<double>& state);
std::vector<double> lfilter(const TransferFunction& tf, std::span<const double> x);
std::vector<double> lfilter_zi(const TransferFunction& tf);
std::size_t filtfilt_padlen(const TransferFunction& tf);
std::vector<double> filtfilt(const TransferFunction& tf, std::span<const double> x);
Signal filtfilt(const TransferFunction& tf, const Signal& x);

// Zero-phase Butterworth and notch filtering of a Signal, designed at the Signal's own fs_hz.
Signal lowpass_filter(const Signal& x, int order, double cutoff_hz);
Signal highpass_filter(const Signal& x, int order, double cutoff_hz);
Signal bandpass_filter(const Signal& x, int order, double low_hz, double high_hz);
Signal notch_filter(const Signal& x, double f0_hz, double q);

}  // namespace physiolite::dsp
