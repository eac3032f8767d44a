// Scoring of detected beats against reference annotations (AAMI EC57 / ANSI bxb style): each
// reference beat is matched to at most one detection within a tolerance, and vice versa.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "physiolite/io/annotation.hpp"

namespace physiolite::data {

struct MatchCounts {
  int64_t tp = 0;
  int64_t fn = 0;
  int64_t fp = 0;

  double sensitivity() const;            // TP / (TP + FN); 1 when there is no reference beat
  double positive_predictivity() const;  // TP / (TP + FP); 1 when nothing was detected
  MatchCounts& operator+=(const MatchCounts& other);
};

struct BeatMatching {
  MatchCounts counts;
  std::vector<int64_t> detection_of_reference;  // index into detected, -1 = missed
};

// One-to-one matching of sorted sample lists within +/- tolerance_samples: candidate pairs are
// taken closest first, so a detection between two beats goes to the nearer one.
BeatMatching match_beats(std::span<const int64_t> reference, std::span<const int64_t> detected,
                         int64_t tolerance_samples);

struct SampleRange {
  int64_t begin_sample = 0;
  int64_t end_sample = 0;  // exclusive
  bool contains(int64_t sample) const { return sample >= begin_sample && sample < end_sample; }
};

// Ventricular flutter episodes: from a rhythm annotation "(VFL" to the next rhythm change (or
// `num_samples`). AAMI EC57 leaves them out of QRS detection scoring.
std::vector<SampleRange> ventricular_flutter_episodes(std::span<const io::Annotation> annotations,
                                                      int64_t num_samples);

// The samples of `samples` (sorted) that lie in none of `ranges`.
std::vector<int64_t> outside_ranges(std::span<const int64_t> samples,
                                    std::span<const SampleRange> ranges);

}  // namespace physiolite::data
