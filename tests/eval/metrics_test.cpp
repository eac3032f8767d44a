// Hand-computed cases for evaluate_single_label / evaluate_multi_label; every expected value is
// worked out in the comments from the definitions in metrics.hpp.
#include "physiolite/eval/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "physiolite/core/error.hpp"

namespace physiolite::eval {
namespace {

constexpr double kTol = 1e-12;

// K = 3, N = 6. Rows: scores (class 0, 1, 2) -> argmax; true label.
//   s0 .6 .3 .1 -> 0; 0      s3 .5 .3 .2 -> 0; 1
//   s1 .4 .4 .2 -> 0; 0 (argmax tie: first maximum)
//   s2 .2 .7 .1 -> 1; 1      s4 .3 .5 .2 -> 1; 2      s5 .1 .8 .1 -> 1; 0
// Class 2 is never predicted.
const std::vector<float> kScores = {.6f, .3f, .1f, .4f, .4f, .2f, .2f, .7f, .1f,
                                    .5f, .3f, .2f, .3f, .5f, .2f, .1f, .8f, .1f};
const std::vector<int64_t> kLabels = {0, 0, 1, 1, 2, 0};

TEST(EvaluateSingleLabel, HandComputedCountsAndAverages) {
  const ClassificationReport r = evaluate_single_label(kScores, kLabels, 3, {"a", "b", "c"});
  // confusion[true][pred]: true 0 -> {s0, s1 -> 0; s5 -> 1}; true 1 -> {s3 -> 0; s2 -> 1};
  // true 2 -> {s4 -> 1}.
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int64_t>>{{2, 1, 0}, {1, 1, 0}, {0, 1, 0}}));
  EXPECT_FALSE(r.multi_label);
  EXPECT_EQ(r.num_samples, 6);
  EXPECT_NEAR(r.accuracy, 3.0 / 6, kTol);  // the diagonal: 2 + 1 + 0
  ASSERT_EQ(r.classes.size(), 3u);
  // class 0: TP 2, FP 1 (s3), FN 1 (s5), TN 2 -> Se 2/3, +P 2/3, F1 4/6.
  const ClassMetrics& a = r.classes[0];
  EXPECT_EQ(a.name, "a");
  EXPECT_EQ(a.support, 3);
  EXPECT_EQ(a.predicted, 3);
  EXPECT_EQ(a.tp, 2);
  EXPECT_EQ(a.fp, 1);
  EXPECT_EQ(a.fn, 1);
  EXPECT_EQ(a.tn, 2);
  EXPECT_NEAR(a.sensitivity, 2.0 / 3, kTol);
  EXPECT_NEAR(a.positive_predictivity, 2.0 / 3, kTol);
  EXPECT_NEAR(a.f1, 2.0 / 3, kTol);
  // class 1: TP 1 (s2), FP 2 (s4, s5), FN 1 (s3), TN 2 -> Se 1/2, +P 1/3, F1 2/5.
  const ClassMetrics& b = r.classes[1];
  EXPECT_EQ(b.tp, 1);
  EXPECT_EQ(b.fp, 2);
  EXPECT_EQ(b.fn, 1);
  EXPECT_EQ(b.tn, 2);
  EXPECT_NEAR(b.sensitivity, 0.5, kTol);
  EXPECT_NEAR(b.positive_predictivity, 1.0 / 3, kTol);
  EXPECT_NEAR(b.f1, 0.4, kTol);
  // class 2: one true (s4), never predicted: TP 0, FP 0, FN 1, TN 5; +P is 0/0 -> 0.
  const ClassMetrics& c = r.classes[2];
  EXPECT_EQ(c.support, 1);
  EXPECT_EQ(c.predicted, 0);
  EXPECT_EQ(c.tn, 5);
  EXPECT_EQ(c.sensitivity, 0.0);
  EXPECT_EQ(c.positive_predictivity, 0.0);
  EXPECT_EQ(c.f1, 0.0);
  // micro of a single-label problem = accuracy.
  EXPECT_NEAR(r.micro.precision, 0.5, kTol);
  EXPECT_NEAR(r.micro.recall, 0.5, kTol);
  EXPECT_NEAR(r.micro.f1, 0.5, kTol);
  // macro: P (2/3 + 1/3 + 0)/3 = 1/3; R (2/3 + 1/2 + 0)/3 = 7/18; F1 (2/3 + 2/5 + 0)/3 = 16/45.
  EXPECT_NEAR(r.macro.precision, 1.0 / 3, kTol);
  EXPECT_NEAR(r.macro.recall, 7.0 / 18, kTol);
  EXPECT_NEAR(r.macro.f1, 16.0 / 45, kTol);
  // weighted by support 3, 2, 1: P (2 + 2/3)/6 = 4/9; R (2 + 1)/6 = 1/2; F1 (2 + 4/5)/6 = 7/15.
  EXPECT_NEAR(r.weighted.precision, 4.0 / 9, kTol);
  EXPECT_NEAR(r.weighted.recall, 0.5, kTol);
  EXPECT_NEAR(r.weighted.f1, 7.0 / 15, kTol);
}

TEST(EvaluateSingleLabel, HandComputedRankingWithTies) {
  const ClassificationReport r = evaluate_single_label(kScores, kLabels, 3, {});
  EXPECT_EQ(r.classes[2].name, "2");  // no names given: indices
  // class 0, column .6 .4 .2 .5 .3 .1, positives s0 s1 s5 (.6 .4 .1): .6 beats 3 negatives,
  // .4 beats 2, .1 none -> AUROC 5/9. AP, thresholds down: .6 (P 1, R 1/3), .4 (P 2/3, R 2/3),
  // .1 (P 3/6, R 1) -> 1/3 + 2/9 + 1/6 = 13/18.
  EXPECT_NEAR(r.classes[0].auroc, 5.0 / 9, kTol);
  EXPECT_NEAR(r.classes[0].average_precision, 13.0 / 18, kTol);
  // class 1, column .3 .4 .7 .3 .5 .8, positives s2 s3 (.7 .3): .7 beats .3 .4 .5; .3 ties s0's
  // .3 (half a point) -> 3.5/8 = 7/16 (mid-ranks: 1.5 + 5 - 3 = 3.5). AP: .8 (neg), .7 (P 1/2,
  // R 1/2), .5, .4 (neg), then the tie group .3 {s0 neg, s3 pos} enters at once (P 2/6, R 1)
  // -> 1/4 + 1/6 = 5/12 (breaking the tie positive-first would give 1/4 + 1/5).
  EXPECT_NEAR(r.classes[1].auroc, 7.0 / 16, kTol);
  EXPECT_NEAR(r.classes[1].average_precision, 5.0 / 12, kTol);
  // class 2, column .1 .2 .1 .2 .2 .1, positive s4 (.2): beats three .1, ties two .2 -> 4/5.
  // AP: the top group .2 = {s1, s3 neg; s4 pos} -> P 1/3 at R 1 -> 1/3.
  EXPECT_NEAR(r.classes[2].auroc, 0.8, kTol);
  EXPECT_NEAR(r.classes[2].average_precision, 1.0 / 3, kTol);
  EXPECT_NEAR(r.auroc_macro, (5.0 / 9 + 7.0 / 16 + 0.8) / 3, kTol);
  EXPECT_NEAR(r.ap_macro, (13.0 / 18 + 5.0 / 12 + 1.0 / 3) / 3, kTol);
}

// K = 3, class 2 absent from the labels and from the predictions (its score is always lowest).
//   scores .7 .2 .1 -> 0; 0     .4 .5 .1 -> 1; 1     .3 .6 .1 -> 1; 0     .2 .7 .1 -> 1; 1
TEST(EvaluateSingleLabel, ClassAbsentFromLabelsAndPredictions) {
  const std::vector<float> scores = {.7f, .2f, .1f, .4f, .5f, .1f, .3f, .6f, .1f, .2f, .7f, .1f};
  const std::vector<int64_t> labels = {0, 1, 0, 1};
  const ClassificationReport r = evaluate_single_label(scores, labels, 3, {"N", "S", "V"});
  // class 0: TP 1, FN 1, FP 0 -> Se 1/2, +P 1, F1 2/3; class 1: TP 2, FP 1 -> Se 1, +P 2/3,
  // F1 4/5; class 2: nothing at all -> 0, 0, 0 and still counted in the macro mean.
  EXPECT_NEAR(r.classes[0].f1, 2.0 / 3, kTol);
  EXPECT_NEAR(r.classes[1].f1, 0.8, kTol);
  EXPECT_EQ(r.classes[2].support, 0);
  EXPECT_EQ(r.classes[2].predicted, 0);
  EXPECT_EQ(r.classes[2].tn, 4);
  EXPECT_EQ(r.classes[2].f1, 0.0);
  EXPECT_NEAR(r.macro.f1, (2.0 / 3 + 0.8) / 3, kTol);
  // weighted: class 2 has no support and no weight: (2 * 2/3 + 2 * 4/5) / 4 = 11/15.
  EXPECT_NEAR(r.weighted.f1, 11.0 / 15, kTol);
  const int nsv[] = {0, 1};
  EXPECT_NEAR(r.macro_f1_over(nsv), 11.0 / 15, kTol);
  // AUROC: class 0 column .7 .4 .3 .2, positives .7 .3 -> (2 + 1)/4; class 1 column .2 .5 .6 .7,
  // positives .5 .7 -> (1 + 2)/4; class 2 has no positive: NaN, left out of the macro mean.
  EXPECT_NEAR(r.classes[0].auroc, 0.75, kTol);
  EXPECT_NEAR(r.classes[1].auroc, 0.75, kTol);
  EXPECT_TRUE(std::isnan(r.classes[2].auroc));
  EXPECT_TRUE(std::isnan(r.classes[2].average_precision));
  EXPECT_NEAR(r.auroc_macro, 0.75, kTol);
}

// K = 2, N = 4, threshold 0.5 (a score equal to it is a positive prediction).
//   labels  scores     predicted   argmax
//   1 0     .9 .2      1 0         0 (a label: hit)
//   1 1     .5 .4      1 0         0 (hit)
//   0 1     .3 .8      0 1         1 (hit)
//   0 0     .6 .1      1 0         0 (miss: no label at all)
TEST(EvaluateMultiLabel, HandComputedWithThresholdTie) {
  const std::vector<float> scores = {.9f, .2f, .5f, .4f, .3f, .8f, .6f, .1f};
  const std::vector<int64_t> labels = {1, 0, 1, 1, 0, 1, 0, 0};
  const ClassificationReport r = evaluate_multi_label(scores, labels, 2, {"AF", "RBBB"}, 0.5f);
  EXPECT_TRUE(r.multi_label);
  EXPECT_TRUE(r.confusion.empty());
  EXPECT_NEAR(r.accuracy, 0.75, kTol);
  // class 0: TP 2, FP 1, FN 0, TN 1 -> Se 1, +P 2/3, F1 4/5.
  EXPECT_EQ(r.classes[0].tp, 2);
  EXPECT_EQ(r.classes[0].fp, 1);
  EXPECT_EQ(r.classes[0].fn, 0);
  EXPECT_EQ(r.classes[0].tn, 1);
  EXPECT_EQ(r.classes[0].support, 2);
  EXPECT_EQ(r.classes[0].predicted, 3);
  EXPECT_NEAR(r.classes[0].f1, 0.8, kTol);
  // class 1: TP 1, FP 0, FN 1, TN 2 -> Se 1/2, +P 1, F1 2/3.
  EXPECT_NEAR(r.classes[1].sensitivity, 0.5, kTol);
  EXPECT_NEAR(r.classes[1].positive_predictivity, 1.0, kTol);
  EXPECT_NEAR(r.classes[1].f1, 2.0 / 3, kTol);
  // micro: TP 3, FP 1, FN 1 -> 3/4 each; macro F1 (4/5 + 2/3)/2 = 11/15.
  EXPECT_NEAR(r.micro.precision, 0.75, kTol);
  EXPECT_NEAR(r.micro.recall, 0.75, kTol);
  EXPECT_NEAR(r.micro.f1, 0.75, kTol);
  EXPECT_NEAR(r.macro.f1, 11.0 / 15, kTol);
  // AUROC class 0: positives .9 .5, negatives .3 .6 -> (2 + 1)/4; class 1: positives .4 .8,
  // negatives .2 .1 -> 1. Micro over the 8 pairs: positives .9 .5 .4 .8 vs negatives .2 .3 .6
  // .1: .9 and .8 beat all 4, .5 and .4 beat 3 -> 14/16.
  EXPECT_NEAR(r.classes[0].auroc, 0.75, kTol);
  EXPECT_NEAR(r.classes[1].auroc, 1.0, kTol);
  EXPECT_NEAR(r.auroc_micro, 14.0 / 16, kTol);
}

TEST(EvaluateSingleLabel, RejectsBadArguments) {
  const std::vector<float> scores = {.5f, .5f, .2f, .8f};
  try {
    evaluate_single_label(scores, std::vector<int64_t>{0, 2}, 2, {});
    FAIL() << "label out of range accepted";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "evaluate_single_label: labels[1]: expected 0..1, got 2");
  }
  EXPECT_THROW(evaluate_single_label(scores, std::vector<int64_t>{0}, 2, {}), UsageError);
  EXPECT_THROW(evaluate_single_label(scores, std::vector<int64_t>{0, 1}, 3, {}), UsageError);
  EXPECT_THROW(evaluate_single_label(scores, std::vector<int64_t>{0, 1}, 2, {"x"}), UsageError);
  EXPECT_THROW(evaluate_single_label(scores, std::vector<int64_t>{0, 1}, 0, {}), UsageError);
}

TEST(EvaluateMultiLabel, RejectsLabelsThatAreNotZeroOrOne) {
  const std::vector<float> scores = {.5f, .5f, .2f, .8f};
  try {
    evaluate_multi_label(scores, std::vector<int64_t>{0, 1, 2, 0}, 2, {}, 0.5f);
    FAIL() << "label 2 accepted";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "evaluate_multi_label: labels[1][0]: expected 0 or 1, got 2");
  }
  EXPECT_THROW(evaluate_multi_label(scores, std::vector<int64_t>{0, 1}, 2, {}, 0.5f), UsageError);
}

TEST(MacroF1Over, RejectsUnknownOrNoClasses) {
  const ClassificationReport r = evaluate_single_label(kScores, kLabels, 3, {});
  const int bad[] = {0, 3};
  EXPECT_THROW(r.macro_f1_over(bad), UsageError);
  EXPECT_THROW(r.macro_f1_over({}), UsageError);
}

}  // namespace
}  // namespace physiolite::eval
