// Beat windows of one record at given beat positions, made exactly as build_mitbih_windows makes
// them (lead, band-pass, resampling, per-record normalisation, beat placement, zero padding at
// the ends, RR side inputs over the given beats): what `physiolite predict` classifies.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/data/mitbih.hpp"
#include "physiolite/data/window_set.hpp"

namespace physiolite::data {

// `record` is a WFDB record path without extension; `beat_samples` are at the record's own
// rate, increasing. One window per beat; labels are left empty; begin_sample is at
// options.fs_hz. The lead falls back to the first signal when `options.lead` is absent and
// first_signal_if_lead_missing is set. InputError naming the header when the lead is missing.
// With options.causal the windows are plrt_ecg's (causal_windows.cpp); `known_at[i]` is the
// sample at which beat i became known (the detector's emitted sample; empty: at the beat itself,
// as for annotations), which decides whether beat i - 1 saw it as its successor.
WindowSet build_beat_windows(const std::filesystem::path& record,
                             const std::vector<int64_t>& beat_samples, const MitBihOptions& options,
                             const std::vector<int64_t>& known_at = {});

// An empty MIT-BIH window set (n = 0) carrying the shape, rate, class and side-input names that
// every window set built with `options` has.
WindowSet make_mitbih_window_set(const MitBihOptions& options);

// RR side inputs of beat i of `beats` (samples at `fs_hz`, increasing), in mitbih_side_names
// order, appended to `out`: the intervals before and after it and the mean (with rr_robust the
// median) of the previous `local_rr_beats`, each over `mean_rr_s` (the record's typical RR, see
// MitBihOptions), that RR in seconds (unless rr_seconds is off); with rr_ratios pre/local and
// post/pre; with rr_variability the coefficient of variation of the `local_rr_beats` intervals
// before the pre-RR (the rhythm's irregularity, leaving out this beat's own prematurity); with
// rr_irregularity the median absolute successive difference over the median interval among the
// `local_rr_beats` intervals on each side.
void append_rr_side_inputs(const std::vector<int64_t>& beats, size_t i, double fs_hz,
                           double mean_rr_s, const MitBihOptions& options, std::vector<float>& out);

// The causal windows of build_beat_windows (options.causal) from the record's leads (physical
// units, NaN = invalid) at `record_fs`; fills data, side and begin_sample of `set` (shaped by
// make_mitbih_window_set, n set).
void fill_causal_beat_windows(const std::vector<std::vector<double>>& leads, double record_fs,
                              const std::vector<int64_t>& beat_samples,
                              const std::vector<int64_t>& known_at, const MitBihOptions& options,
                              WindowSet& set);

// The QRS detector's beats moved to the R peak, as plrt_ecg moves them before it makes their
// windows (runtime/include/plrt_ecg.h): for each beat, the largest |lead| after the causal
// band-pass and resampling of the causal windows, within options.causal_refine_ms of the beat
// (model rate, the first of equal ones, stopping at the lead's end), back at `record_fs` less the
// band-pass's group delay at 10 Hz in whole samples. `lead` is the detector's lead (physical
// units, NaN = invalid). The detector's beats are 200 ms apart at least, so the order is kept.
std::vector<int64_t> refine_detected_beats(const std::vector<double>& lead, double record_fs,
                                           const std::vector<int64_t>& beats,
                                           const MitBihOptions& options);

// Samples of the beat annotations in `record`.atr (every beat code, AAMI class or not).
std::vector<int64_t> annotated_beats(const std::filesystem::path& record);
// The AAMI class name (N, S, V, F, Q) of each of those beats, in the same order; "other" for a
// beat code outside the AAMI table.
std::vector<std::string> annotated_beat_classes(const std::filesystem::path& record);

}  // namespace physiolite::data
