// evaluate_single_label / evaluate_multi_label against scikit-learn 1.2 on seeded random cases
// full of ties (tests/golden/gen_metrics.py, frozen in golden/metrics_sklearn.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <span>
#include <vector>

#include "golden/metrics_sklearn.hpp"
#include "physiolite/eval/metrics.hpp"

namespace physiolite::eval {
namespace {

namespace g = golden;
constexpr double kTol = 1e-12;

void expect_near_or_nan(double actual, double expected, const char* what, size_t c) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << " of class " << c << ": " << actual;
  } else {
    EXPECT_NEAR(actual, expected, kTol) << what << " of class " << c;
  }
}

struct Expected {
  double accuracy;
  std::span<const double> precision, recall, f1, auroc, ap;
  std::span<const int64_t> support;
  std::span<const double> micro, macro, weighted;
  double auroc_macro, ap_macro, auroc_micro, ap_micro;
};

void expect_report(const ClassificationReport& r, const Expected& e) {
  EXPECT_NEAR(r.accuracy, e.accuracy, kTol);
  ASSERT_EQ(r.classes.size(), e.precision.size());
  for (size_t c = 0; c < r.classes.size(); ++c) {
    const ClassMetrics& m = r.classes[c];
    EXPECT_EQ(m.support, e.support[c]) << "class " << c;
    EXPECT_NEAR(m.positive_predictivity, e.precision[c], kTol) << "class " << c;
    EXPECT_NEAR(m.sensitivity, e.recall[c], kTol) << "class " << c;
    EXPECT_NEAR(m.f1, e.f1[c], kTol) << "class " << c;
    expect_near_or_nan(m.auroc, e.auroc[c], "AUROC", c);
    expect_near_or_nan(m.average_precision, e.ap[c], "AP", c);
  }
  for (const auto& [actual, expected] :
       {std::pair{r.micro, e.micro}, {r.macro, e.macro}, {r.weighted, e.weighted}}) {
    EXPECT_NEAR(actual.precision, expected[0], kTol);
    EXPECT_NEAR(actual.recall, expected[1], kTol);
    EXPECT_NEAR(actual.f1, expected[2], kTol);
  }
  EXPECT_NEAR(r.auroc_macro, e.auroc_macro, kTol);
  EXPECT_NEAR(r.ap_macro, e.ap_macro, kTol);
  EXPECT_NEAR(r.auroc_micro, e.auroc_micro, kTol);
  EXPECT_NEAR(r.ap_micro, e.ap_micro, kTol);
}

TEST(MetricsVsSklearn, SingleLabelWithAbsentClassAndTies) {
  const ClassificationReport r =
      evaluate_single_label(g::kSingleScores, g::kSingleLabels, g::kNumSingleClasses, {});
  expect_report(
      r, {g::kSingleAccuracy, g::kSinglePrecision, g::kSingleRecall, g::kSingleF1, g::kSingleAuroc,
          g::kSingleAp, g::kSingleSupport, g::kSingleMicro, g::kSingleMacro, g::kSingleWeighted,
          g::kSingleAurocMacro, g::kSingleApMacro, g::kSingleAurocMicro, g::kSingleApMicro});
  const size_t k = g::kNumSingleClasses;
  for (size_t t = 0; t < k; ++t) {
    for (size_t p = 0; p < k; ++p) {
      EXPECT_EQ(r.confusion[t][p], g::kSingleConfusion[t * k + p]) << t << "," << p;
    }
  }
}

TEST(MetricsVsSklearn, MultiLabelWithThreshold) {
  const ClassificationReport r = evaluate_multi_label(g::kMultiScores, g::kMultiLabels,
                                                      g::kNumMultiClasses, {}, g::kMultiThreshold);
  expect_report(
      r, {g::kMultiAccuracy, g::kMultiPrecision, g::kMultiRecall, g::kMultiF1, g::kMultiAuroc,
          g::kMultiAp, g::kMultiSupport, g::kMultiMicro, g::kMultiMacro, g::kMultiWeighted,
          g::kMultiAurocMacro, g::kMultiApMacro, g::kMultiAurocMicro, g::kMultiApMicro});
}

}  // namespace
}  // namespace physiolite::eval
