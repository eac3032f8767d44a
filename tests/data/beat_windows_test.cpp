// build_beat_windows makes the same windows and RR inputs as the MIT-BIH dataset for the same
// beats (record 100 of the shared data, all of its annotated beats).
#include "physiolite/data/beat_windows.hpp"

#include <gtest/gtest.h>

#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::data {
namespace {

TEST(BeatWindows, SameWindowsAsTheDatasetForTheAnnotatedBeats) {
  MitBihOptions options;
  options.mitdb_dir = shared_data_dir() / "mitdb";
  if (!std::filesystem::exists(options.mitdb_dir / "100.hea")) GTEST_SKIP() << "no MIT-BIH data";
  const WindowSet reference = build_mitbih_windows({100}, options);
  const auto beats = annotated_beats(options.mitdb_dir / "100");
  const WindowSet mine = build_beat_windows(options.mitdb_dir / "100", beats, options);
  ASSERT_EQ(mine.n, static_cast<int64_t>(beats.size()));
  EXPECT_EQ(mine.t, reference.t);
  EXPECT_TRUE(mine.labels.empty());
  // The dataset keeps only beats of classes N, S, V, F; match them by window start.
  int64_t j = 0, matched = 0;
  for (int64_t i = 0; i < mine.n && j < reference.n; ++i) {
    if (mine.begin_sample[static_cast<size_t>(i)] != reference.begin_sample[static_cast<size_t>(j)])
      continue;
    for (int64_t k = 0; k < mine.t; ++k) {
      ASSERT_EQ(mine.window(i)[k], reference.window(j)[k]) << "beat " << i << " sample " << k;
    }
    const int64_t d = mine.side_dim;
    for (int64_t s = 0; s < d; ++s) {
      ASSERT_EQ(mine.side[static_cast<size_t>(i * d + s)],
                reference.side[static_cast<size_t>(j * d + s)]);
    }
    ++j;
    ++matched;
  }
  EXPECT_EQ(matched, reference.n);
}

TEST(BeatWindows, TwoLeadsStackTheRecordsOtherSignalAsTheSecondChannel) {
  // Record 100 holds MLII and V5: with leads = 2 every window is [MLII window; V5 window], each
  // exactly what a one-lead build of that lead gives.
  MitBihOptions options;
  options.mitdb_dir = shared_data_dir() / "mitdb";
  if (!std::filesystem::exists(options.mitdb_dir / "100.hea")) GTEST_SKIP() << "no MIT-BIH data";
  const auto beats = annotated_beats(options.mitdb_dir / "100");
  const WindowSet mlii = build_beat_windows(options.mitdb_dir / "100", beats, options);
  MitBihOptions v5_options = options;
  v5_options.lead = "V5";
  const WindowSet v5 = build_beat_windows(options.mitdb_dir / "100", beats, v5_options);
  options.leads = 2;
  const WindowSet both = build_beat_windows(options.mitdb_dir / "100", beats, options);
  ASSERT_EQ(both.c, 2);
  ASSERT_EQ(both.n, mlii.n);
  EXPECT_EQ(both.side, mlii.side);
  for (int64_t i = 0; i < both.n; i += 97) {
    for (int64_t k = 0; k < both.t; ++k) {
      ASSERT_EQ(both.window(i)[k], mlii.window(i)[k]) << "beat " << i;
      ASSERT_EQ(both.window(i)[both.t + k], v5.window(i)[k]) << "beat " << i;
    }
  }
  options.leads = 3;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(BeatWindows, MissingLeadNamesTheHeader) {
  MitBihOptions options;
  options.mitdb_dir = shared_data_dir() / "mitdb";
  if (!std::filesystem::exists(options.mitdb_dir / "100.hea")) GTEST_SKIP() << "no MIT-BIH data";
  options.lead = "V9";
  try {
    build_beat_windows(options.mitdb_dir / "100", {100, 400}, options);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("100.hea"), std::string::npos) << e.what();
  }
}

// Beats at 1 s, 2 s and, after a 2.5 s pause, 4.5 s (360 Hz), each reported 250 ms after it.
// The 2 s beat gets the pause as its RR after only when it waits long enough (causal_max_post_ms)
// for the next beat's report; otherwise its RR after is taken equal to its RR before.
TEST(BeatWindows, CausalRrAfterABeatBeforeAPauseNeedsTheWait) {
  MitBihOptions o;
  o.mitdb_dir = "x";
  o.validation_records = {};
  o.causal = true;
  o.window_length = 128;
  o.beat_offset = 64;
  o.rr_seconds = false;
  const std::vector<std::vector<double>> lead = {std::vector<double>(360 * 8, 0.0)};
  const std::vector<int64_t> beats = {360, 720, 1620};
  const std::vector<int64_t> known_at = {450, 810, 1710};
  auto rr_post_of_second = [&](double max_post_ms) {
    o.causal_max_post_ms = max_post_ms;
    o.validate();
    WindowSet set = make_mitbih_window_set(o);
    set.n = 3;
    fill_causal_beat_windows(lead, 360.0, beats, known_at, o, set);
    // side inputs rr_pre, rr_post, rr_local over the mean RR of the beats known then
    return set.side[static_cast<size_t>(set.side_dim) + 1];
  };
  // 3 s (the default): the pause is known; mean RR (4.5 - 1) / 2 = 1.75 s, 2.5 / 1.75
  EXPECT_NEAR(rr_post_of_second(3000.0), 2.5 / 1.75, 1e-6);
  EXPECT_EQ(MitBihOptions{}.causal_max_post_ms, 3000.0);
  // 2 s: reported at 4.75 s, after the 4 s wait: RR after = RR before = the mean RR, 1 s
  EXPECT_NEAR(rr_post_of_second(2000.0), 1.0, 1e-6);
}

}  // namespace
}  // namespace physiolite::data
