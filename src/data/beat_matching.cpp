#include "physiolite/data/beat_matching.hpp"

#include <algorithm>
#include <tuple>

namespace physiolite::data {

namespace {
constexpr int kRhythmCode = 28;  // '+': rhythm change, the rhythm in AUX
}

double MatchCounts::sensitivity() const {
  return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
}

double MatchCounts::positive_predictivity() const {
  return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
}

MatchCounts& MatchCounts::operator+=(const MatchCounts& other) {
  tp += other.tp;
  fn += other.fn;
  fp += other.fp;
  return *this;
}

BeatMatching match_beats(std::span<const int64_t> reference, std::span<const int64_t> detected,
                         int64_t tolerance_samples) {
  // (distance, reference index, detection index) for every pair within the tolerance.
  std::vector<std::tuple<int64_t, size_t, size_t>> pairs;
  size_t first = 0;
  for (size_t r = 0; r < reference.size(); ++r) {
    while (first < detected.size() && detected[first] < reference[r] - tolerance_samples) ++first;
    for (size_t d = first; d < detected.size() && detected[d] <= reference[r] + tolerance_samples;
         ++d) {
      pairs.emplace_back(std::abs(detected[d] - reference[r]), r, d);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  BeatMatching out;
  out.detection_of_reference.assign(reference.size(), -1);
  std::vector<bool> detection_used(detected.size(), false);
  for (const auto& [distance, r, d] : pairs) {
    if (out.detection_of_reference[r] >= 0 || detection_used[d]) continue;
    out.detection_of_reference[r] = static_cast<int64_t>(d);
    detection_used[d] = true;
    ++out.counts.tp;
  }
  out.counts.fn = static_cast<int64_t>(reference.size()) - out.counts.tp;
  out.counts.fp = static_cast<int64_t>(detected.size()) - out.counts.tp;
  return out;
}

std::vector<SampleRange> ventricular_flutter_episodes(std::span<const io::Annotation> annotations,
                                                      int64_t num_samples) {
  std::vector<SampleRange> episodes;
  bool open = false;
  for (const auto& a : annotations) {
    if (a.code != kRhythmCode || a.aux.empty()) continue;
    if (open) {
      episodes.back().end_sample = a.sample;
      open = false;
    }
    if (a.aux.starts_with("(VFL")) {
      episodes.push_back({a.sample, num_samples});
      open = true;
    }
  }
  return episodes;
}

std::vector<int64_t> outside_ranges(std::span<const int64_t> samples,
                                    std::span<const SampleRange> ranges) {
  std::vector<int64_t> out;
  out.reserve(samples.size());
  for (int64_t s : samples) {
    if (std::none_of(ranges.begin(), ranges.end(),
                     [s](const SampleRange& r) { return r.contains(s); })) {
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace physiolite::data
