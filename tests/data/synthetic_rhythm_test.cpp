// The synthetic irregular rhythm of mitbih.af_rhythm_fraction: a regular rhythm's inputs worked
// out by hand, the irregularity's mean against the normal distribution's, and which windows change.
#include "physiolite/data/synthetic_rhythm.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "physiolite/data/beat_windows.hpp"

namespace physiolite::data {
namespace {

MitBihOptions rhythm_options() {
  MitBihOptions o;
  o.local_rr_beats = 10;
  o.rr_ratios = true;
  o.rr_irregularity = true;
  o.rr_seconds = true;
  o.classes = "NSVF";
  return o;
}

TEST(SyntheticRhythm, WithoutVariationTheRhythmIsRegularAtTheLocalRate) {
  SplitMix64 rng(7);
  const auto times = synthetic_beat_times(rng, 0.8, 0.0, 10);
  ASSERT_EQ(times.size(), 22u);  // 2 * 10 + 2 beats
  for (size_t k = 1; k < times.size(); ++k) EXPECT_EQ(times[k] - times[k - 1], 800);
  std::vector<float> inputs;
  append_rr_side_inputs(times, 11, 1000.0, 1.0, rhythm_options(), inputs);
  // pre, post, local over the record's RR = 0.8; rr_mean_s = 1 (the unit); pre/local = post/pre
  // = 1; no irregularity.
  const std::vector<float> expected = {0.8f, 0.8f, 0.8f, 1.0f, 1.0f, 1.0f, 0.0f};
  ASSERT_EQ(inputs.size(), expected.size());
  for (size_t d = 0; d < expected.size(); ++d) EXPECT_FLOAT_EQ(inputs[d], expected[d]) << d;
}

TEST(SyntheticRhythm, IntervalsHaveTheRefractoryFloor) {
  SplitMix64 rng(11);
  const auto times = synthetic_beat_times(rng, 1.0, 3.0, 10);  // absurd cv: most draws floored
  for (size_t k = 1; k < times.size(); ++k) EXPECT_GE(times[k] - times[k - 1], 350);
}

// A window set of `n` windows, labels cycling N, N, N, S, rr_local 0.9 and the record's RR 0.75 s.
WindowSet side_only_set(const MitBihOptions& o, int64_t n) {
  WindowSet set;
  set.n = n;
  set.side_names = mitbih_side_names(o);
  set.side_dim = static_cast<int64_t>(set.side_names.size());
  for (int64_t w = 0; w < n; ++w) {
    set.labels.push_back(w % 4 == 3 ? 1 : 0);
    for (float v : {0.9f, 0.9f, 0.9f, 0.75f, 1.0f, 1.0f, 0.0f}) set.side.push_back(v);
  }
  return set;
}

TEST(SyntheticRhythm, ChangesTheChosenFractionOfNBeatsOnlyAndKeepsTheRecordRr) {
  MitBihOptions o = rhythm_options();
  o.af_rhythm_fraction = 0.3;
  const int64_t n = 4000;
  const WindowSet before = side_only_set(o, n);
  WindowSet after = before;
  give_synthetic_irregular_rhythm(after, o);
  const auto dim = static_cast<size_t>(after.side_dim);
  int64_t changed = 0, n_beats = 0;
  double irregularity_sum = 0;
  for (size_t w = 0; w < static_cast<size_t>(n); ++w) {
    const float* a = after.side.data() + w * dim;
    const float* b = before.side.data() + w * dim;
    EXPECT_EQ(a[3], b[3]) << "rr_mean_s of window " << w;
    const bool differs = !std::equal(a, a + dim, b);
    if (after.labels[w] != 0) {
      EXPECT_FALSE(differs) << "S window " << w;
      continue;
    }
    ++n_beats;
    if (!differs) continue;
    ++changed;
    irregularity_sum += a[6];
    EXPECT_FLOAT_EQ(a[4], a[0] / a[2]);  // pre / local, from the same intervals
    EXPECT_FLOAT_EQ(a[5], a[1] / a[0]);  // post / pre
  }
  // 3000 N windows, each chosen with probability 0.3: 900 expected, sd sqrt(3000 .3 .7) = 25.
  EXPECT_EQ(n_beats, 3000);
  EXPECT_NEAR(static_cast<double>(changed), 900.0, 100.0);
  // Independent normal intervals with coefficient of variation s: successive differences are
  // N(0, 2 s^2) in units of the mean, so median |difference| = 0.6745 * sqrt(2) s = 0.954 s over a
  // median interval of ~1; s uniform in [0.12, 0.35] has mean 0.235: about 0.22 on average (20
  // differences per beat make each value noisy, the mean over 900 is not).
  EXPECT_NEAR(irregularity_sum / static_cast<double>(changed), 0.954 * 0.235, 0.03);
  // The same windows on a second call: a pure function of the window index.
  WindowSet again = before;
  give_synthetic_irregular_rhythm(again, o);
  EXPECT_EQ(again.side, after.side);
}

}  // namespace
}  // namespace physiolite::data
