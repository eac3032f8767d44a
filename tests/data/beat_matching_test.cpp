// Beat matching and VF episodes against hand-worked cases.
#include "physiolite/data/beat_matching.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace physiolite::data {
namespace {

TEST(MatchBeats, CountsTruePositivesMissesAndExtras) {
  const std::vector<int64_t> reference = {100, 400, 700, 1000};
  const std::vector<int64_t> detected = {105, 390, 760, 850, 1000};
  // 105~100, 390~400, 1000~1000 within 54; 760 is 60 from 700 (outside), 850 matches nothing.
  const auto m = match_beats(reference, detected, 54);
  EXPECT_EQ(m.counts.tp, 3);
  EXPECT_EQ(m.counts.fn, 1);
  EXPECT_EQ(m.counts.fp, 2);
  EXPECT_EQ(m.detection_of_reference, (std::vector<int64_t>{0, 1, -1, 4}));
  EXPECT_DOUBLE_EQ(m.counts.sensitivity(), 0.75);
  EXPECT_DOUBLE_EQ(m.counts.positive_predictivity(), 0.6);
}

TEST(MatchBeats, IsOneToOneAndPrefersTheNearerBeat) {
  // One detection between two close beats goes to the nearer (the second, 10 away vs 30).
  const std::vector<int64_t> reference = {100, 140};
  const std::vector<int64_t> detected = {130};
  const auto m = match_beats(reference, detected, 54);
  EXPECT_EQ(m.counts.tp, 1);
  EXPECT_EQ(m.counts.fn, 1);
  EXPECT_EQ(m.counts.fp, 0);
  EXPECT_EQ(m.detection_of_reference, (std::vector<int64_t>{-1, 0}));
  // Two detections near one beat: one TP, one FP.
  const auto two = match_beats(std::vector<int64_t>{500}, std::vector<int64_t>{480, 510}, 54);
  EXPECT_EQ(two.counts.tp, 1);
  EXPECT_EQ(two.counts.fp, 1);
  EXPECT_EQ(two.detection_of_reference[0], 1);
}

TEST(MatchBeats, ToleranceIsInclusive) {
  const auto m = match_beats(std::vector<int64_t>{1000}, std::vector<int64_t>{1054}, 54);
  EXPECT_EQ(m.counts.tp, 1);
  const auto n = match_beats(std::vector<int64_t>{1000}, std::vector<int64_t>{1055}, 54);
  EXPECT_EQ(n.counts.tp, 0);
}

TEST(MatchBeats, EmptyListsScoreAsPerfect) {
  const auto m = match_beats({}, {}, 54);
  EXPECT_EQ(m.counts.tp + m.counts.fn + m.counts.fp, 0);
  EXPECT_DOUBLE_EQ(m.counts.sensitivity(), 1.0);
  EXPECT_DOUBLE_EQ(m.counts.positive_predictivity(), 1.0);
}

io::Annotation rhythm(int64_t sample, std::string aux) {
  io::Annotation a;
  a.sample = sample;
  a.code = 28;  // '+'
  a.aux = std::move(aux);
  return a;
}

TEST(VentricularFlutter, RunsFromVflToTheNextRhythmChange) {
  io::Annotation beat;
  beat.sample = 50;
  beat.code = 1;
  const std::vector<io::Annotation> annotations = {rhythm(0, "(N"),     beat,
                                                   rhythm(100, "(VFL"), rhythm(300, "(N"),
                                                   rhythm(500, "(VT"),  rhythm(600, "(VFL")};
  const auto episodes = ventricular_flutter_episodes(annotations, 1000);
  ASSERT_EQ(episodes.size(), 2u);
  EXPECT_EQ(episodes[0].begin_sample, 100);
  EXPECT_EQ(episodes[0].end_sample, 300);
  EXPECT_EQ(episodes[1].begin_sample, 600);
  EXPECT_EQ(episodes[1].end_sample, 1000);  // open until the end of the record
  const std::vector<int64_t> samples = {50, 100, 299, 300, 650};
  EXPECT_EQ(outside_ranges(samples, episodes), (std::vector<int64_t>{50, 300}));
}

}  // namespace
}  // namespace physiolite::data
