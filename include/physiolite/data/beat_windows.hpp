// Beat windows of one record at given beat positions, made exactly as build_mitbih_windows makes
// them (lead, band-pass, resampling, per-record normalisation, beat placement, zero padding at
// the ends, RR side inputs over the given beats): what `physiolite predict` classifies.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "physiolite/data/mitbih.hpp"
#include "physiolite/data/window_set.hpp"

namespace physiolite::data {

// `record` is a WFDB record path without extension; `beat_samples` are at the record's own
// rate, increasing. One window per beat; labels are left empty; begin_sample is at
// options.fs_hz. The lead falls back to the first signal when `options.lead` is absent and
// first_signal_if_lead_missing is set. InputError naming the header when the lead is missing.
WindowSet build_beat_windows(const std::filesystem::path& record,
                             const std::vector<int64_t>& beat_samples,
                             const MitBihOptions& options);

// An empty MIT-BIH window set (n = 0) carrying the shape, rate, class and side-input names that
// every window set built with `options` has.
WindowSet make_mitbih_window_set(const MitBihOptions& options);

// Samples of the beat annotations in `record`.atr (every beat code, AAMI class or not).
std::vector<int64_t> annotated_beats(const std::filesystem::path& record);

}  // namespace physiolite::data
