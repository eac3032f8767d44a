// Classification metrics for single-label and multi-label models, free of LibTorch.
//
// Definitions (the usual ones; scikit-learn's names):
//   per class c: TP, FP, FN, TN; sensitivity (recall) Se = TP/(TP+FN); positive predictivity
//   (precision) +P = TP/(TP+FP); F1 = 2 TP / (2 TP + FP + FN). A class with no support and no
//   prediction has all three undefined: they are reported as 0 and excluded from no average (as
//   sklearn's zero_division=0), and `support` says why.
//   micro: from the pooled TP/FP/FN; macro: unweighted mean over classes; weighted: mean
//   weighted by support.
//   AUROC and AP one-vs-rest on the scores, ties handled by averaging ranks (AUROC) and by
//   grouping equal scores into one threshold step (AP, sklearn's average_precision_score); see
//   ranking.hpp. AUROC is undefined (NaN) for a class without positives or without negatives,
//   AP for a class without positives; macro = mean over the classes where it is defined (NaN if
//   none); micro = the same metric over all (sample, class) pairs pooled.
//   Predictions: single-label argmax (first maximum on ties); multi-label score >= threshold.
//   In to_json a NaN becomes null.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace physiolite::eval {

struct ClassMetrics {
  std::string name;
  int64_t support = 0;    // true instances
  int64_t predicted = 0;  // predicted instances
  int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  double sensitivity = 0, positive_predictivity = 0, f1 = 0;
  double auroc = 0, average_precision = 0;  // NaN when undefined (see above)
};

struct Averages {
  double precision = 0, recall = 0, f1 = 0;
};

struct ClassificationReport {
  bool multi_label = false;
  int64_t num_samples = 0;
  double accuracy = 0;  // single-label: argmax == label; multi-label: argmax(score) is a positive
  std::vector<ClassMetrics> classes;
  Averages micro, macro, weighted;
  double auroc_micro = 0, auroc_macro = 0, ap_micro = 0, ap_macro = 0;
  // Single-label: confusion[true][predicted]; multi-label: empty.
  std::vector<std::vector<int64_t>> confusion;

  // Macro-F1 over a subset of classes (e.g. N, S, V, F of the five AAMI classes).
  double macro_f1_over(std::span<const int> class_indices) const;
};

// `scores` is row-major (N, K): probabilities or any monotone score per class.
// `labels` single-label: N values in [0, K); multi-label: N*K values 0/1.
ClassificationReport evaluate_single_label(std::span<const float> scores,
                                           std::span<const int64_t> labels, int64_t num_classes,
                                           const std::vector<std::string>& class_names);
ClassificationReport evaluate_multi_label(std::span<const float> scores,
                                          std::span<const int64_t> labels, int64_t num_classes,
                                          const std::vector<std::string>& class_names,
                                          float threshold);

nlohmann::json to_json(const ClassificationReport& report);
// Per-class table (Se, +P, F1, support), the averages, accuracy and the confusion matrix as text.
std::string format_report(const ClassificationReport& report);

}  // namespace physiolite::eval
