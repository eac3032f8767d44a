// Rhythm augmentation for MIT-BIH beats (mitbih.af_rhythm_fraction). AAMI labels the beats of
// atrial fibrillation N, however short their RR; DS1 has two records with it (201, 203), so a
// network sees too few irregular rhythms to learn that a short RR in one is no S beat. A chosen
// fraction of the N windows keep their waveform and get the RR side inputs of a synthetic
// irregular rhythm instead: independent intervals around the beat's own local RR with a
// coefficient of variation drawn from [0.12, 0.35] (AF's typical range), put through the same
// feature code as real beats (append_rr_side_inputs).
#pragma once

#include <cstdint>
#include <vector>

#include "physiolite/core/splitmix64.hpp"
#include "physiolite/data/mitbih.hpp"
#include "physiolite/data/window_set.hpp"

namespace physiolite::data {

inline constexpr double kSyntheticRhythmMinCv = 0.12;
inline constexpr double kSyntheticRhythmMaxCv = 0.35;
// An interval is at least this fraction of the local RR (a refractory floor).
inline constexpr double kSyntheticRhythmMinInterval = 0.35;

// Beat times, in thousandths of the record's RR, of a synthetic irregular rhythm around one
// beat: 2 * local_rr_beats + 2 beats (enough for every RR input), the beat at index
// local_rr_beats + 1, each interval local_rr * max(kSyntheticRhythmMinInterval, 1 + cv z) with z
// standard normal drawn from `rng`.
std::vector<int64_t> synthetic_beat_times(SplitMix64& rng, double local_rr, double cv,
                                          int local_rr_beats);

// Replaces, for about `options.af_rhythm_fraction` of the N windows of `set` (chosen by a hash of
// the window's index, so the same ones every run), the RR side inputs by those of a synthetic
// irregular rhythm; rr_mean_s (the record's RR) is kept. No-op without an N class.
void give_synthetic_irregular_rhythm(WindowSet& set, const MitBihOptions& options);

}  // namespace physiolite::data
