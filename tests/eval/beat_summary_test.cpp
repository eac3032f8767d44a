// The per-record beat table of `physiolite predict`, against counts made by hand.
#include "physiolite/eval/beat_summary.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace physiolite::eval {
namespace {

const std::vector<std::string> kNsvf = {"N", "S", "V", "F"};

TEST(BeatSummary, CountsAnnotatedRowsAgainstPredictedColumns) {
  // Six beats: N N S V Q(paced) N, predicted N S S V N V.
  const std::vector<std::string> annotated = {"N", "N", "S", "V", "Q", "N"};
  const std::vector<int> predicted = {0, 1, 1, 2, 0, 2};
  const BeatSummary s = summarize_beats(annotated, predicted, kNsvf);
  EXPECT_EQ(s.predicted, (std::vector<int64_t>{2, 2, 2, 0}));
  // Rows in the model's class order (F never annotated: no row), then the foreign Q.
  EXPECT_EQ(s.row_names, (std::vector<std::string>{"N", "S", "V", "Q"}));
  EXPECT_EQ(s.counts[0], (std::vector<int64_t>{1, 1, 1, 0}));  // N -> N, S, V
  EXPECT_EQ(s.counts[1], (std::vector<int64_t>{0, 1, 0, 0}));
  EXPECT_EQ(s.counts[2], (std::vector<int64_t>{0, 0, 1, 0}));
  EXPECT_EQ(s.counts[3], (std::vector<int64_t>{1, 0, 0, 0}));
  EXPECT_EQ(s.scored, 5);  // the Q beat is not one of the model's classes
  EXPECT_EQ(s.agree, 3);   // beats 0, 2, 3
  const std::string text = format_beat_summary(s);
  EXPECT_NE(text.find("agreement     3 of 5 annotated beats (60.00 %)"), std::string::npos) << text;
  EXPECT_NE(text.find("not scored"), std::string::npos) << text;
}

TEST(BeatSummary, WithoutAnnotationsOnlyThePredictedCounts) {
  const std::vector<int> predicted = {3, 3, 0};
  const BeatSummary s = summarize_beats({}, predicted, kNsvf);
  EXPECT_EQ(s.predicted, (std::vector<int64_t>{1, 0, 0, 2}));
  EXPECT_TRUE(s.row_names.empty());
  const std::string text = format_beat_summary(s);
  EXPECT_EQ(text.find("agreement"), std::string::npos) << text;
  EXPECT_NE(text.find("beats                1       0       0       2"), std::string::npos) << text;
}

TEST(BeatSummary, MismatchedLengthsAndBadIndicesAreRefused) {
  const std::vector<std::string> annotated = {"N"};
  const std::vector<int> two = {0, 0};
  EXPECT_THROW(summarize_beats(annotated, two, kNsvf), std::invalid_argument);
  const std::vector<int> bad = {4};
  EXPECT_THROW(summarize_beats({}, bad, kNsvf), std::invalid_argument);
}

}  // namespace
}  // namespace physiolite::eval
