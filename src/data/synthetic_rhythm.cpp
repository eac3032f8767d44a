#include "physiolite/data/synthetic_rhythm.hpp"

#include <algorithm>
#include <cmath>

#include "physiolite/data/beat_windows.hpp"

namespace physiolite::data {

namespace {

constexpr double kTimeUnits = 1000.0;  // beat times in thousandths of the record's RR
constexpr uint64_t kStreamKey = 0xAF1B2C3D4E5F6071ull;

size_t side_index(const std::vector<std::string>& names, const std::string& name) {
  return static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

}  // namespace

std::vector<int64_t> synthetic_beat_times(SplitMix64& rng, double local_rr, double cv,
                                          int local_rr_beats) {
  const auto beats = static_cast<size_t>(2 * local_rr_beats + 2);
  std::vector<int64_t> times(beats, 0);
  for (size_t k = 1; k < beats; ++k) {
    const double factor = std::max(kSyntheticRhythmMinInterval, 1.0 + cv * rng.normal());
    times[k] = times[k - 1] + std::max<int64_t>(1, std::llround(kTimeUnits * local_rr * factor));
  }
  return times;
}

void give_synthetic_irregular_rhythm(WindowSet& set, const MitBihOptions& options) {
  const auto n_class = options.classes.find('N');
  if (n_class == std::string::npos || set.side_dim == 0) return;
  const auto dim = static_cast<size_t>(set.side_dim);
  const size_t local = side_index(set.side_names, "rr_local");
  const size_t mean_s = side_index(set.side_names, "rr_mean_s");  // == dim when rr_seconds is off
  const auto centre = static_cast<size_t>(options.local_rr_beats + 1);
  std::vector<float> inputs;
  for (size_t w = 0; w < static_cast<size_t>(set.n); ++w) {
    if (set.labels[w] != static_cast<int64_t>(n_class)) continue;
    SplitMix64 rng(SplitMix64(kStreamKey ^ static_cast<uint64_t>(w)).next());
    if (rng.uniform() >= options.af_rhythm_fraction) continue;
    const double cv =
        kSyntheticRhythmMinCv + (kSyntheticRhythmMaxCv - kSyntheticRhythmMinCv) * rng.uniform();
    float* side = set.side.data() + w * dim;
    const auto times = synthetic_beat_times(rng, side[local], cv, options.local_rr_beats);
    inputs.clear();
    // With the record's RR as the time unit, every interval input comes out over that RR.
    append_rr_side_inputs(times, centre, kTimeUnits, 1.0, options, inputs);
    for (size_t d = 0; d < dim; ++d) {
      if (d != mean_s) side[d] = inputs[d];
    }
  }
}

}  // namespace physiolite::data
