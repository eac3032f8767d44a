#include "physiolite/eval/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "physiolite/core/error.hpp"
#include "physiolite/eval/ranking.hpp"

namespace physiolite::eval {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(int64_t numerator, int64_t denominator) {  // sklearn's zero_division=0
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

void check_shapes(const char* function, size_t num_scores, int64_t num_classes,
                  const std::vector<std::string>& class_names) {
  if (num_classes < 1) {
    throw UsageError(fmt::format("{}: num_classes: expected >= 1, got {}", function, num_classes));
  }
  if (num_scores % static_cast<size_t>(num_classes) != 0) {
    throw UsageError(fmt::format("{}: scores: expected N x {} values, got {}", function,
                                 num_classes, num_scores));
  }
  if (!class_names.empty() && class_names.size() != static_cast<size_t>(num_classes)) {
    throw UsageError(fmt::format("{}: class_names: expected {} names (or none), got {}", function,
                                 num_classes, class_names.size()));
  }
}

// Index of the highest score in a row; the first one on ties (numpy's and torch's argmax).
int64_t argmax(std::span<const float> row) {
  return std::max_element(row.begin(), row.end()) - row.begin();
}

std::span<const float> row(std::span<const float> scores, int64_t i, int64_t k) {
  return scores.subspan(static_cast<size_t>(i * k), static_cast<size_t>(k));
}

// Everything that follows from the per-class counts and the 0/1 truth matrix: per-class rates,
// the three averages, and the ranking metrics. `truth` and `scores` are row-major (N, K).
void complete_report(ClassificationReport& report, std::span<const float> scores,
                     const std::vector<uint8_t>& truth, int64_t k,
                     const std::vector<std::string>& class_names) {
  const int64_t n = report.num_samples;
  int64_t tp = 0, fp = 0, fn = 0, support = 0;
  std::vector<float> column(static_cast<size_t>(n));
  std::vector<uint8_t> column_truth(static_cast<size_t>(n));
  double auroc_sum = 0, ap_sum = 0;
  int auroc_count = 0, ap_count = 0;
  for (int64_t c = 0; c < k; ++c) {
    ClassMetrics& m = report.classes[static_cast<size_t>(c)];
    m.name = class_names.empty() ? std::to_string(c) : class_names[static_cast<size_t>(c)];
    m.sensitivity = ratio(m.tp, m.tp + m.fn);
    m.positive_predictivity = ratio(m.tp, m.tp + m.fp);
    m.f1 = ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn);
    tp += m.tp;
    fp += m.fp;
    fn += m.fn;
    support += m.support;
    report.macro.precision += m.positive_predictivity / static_cast<double>(k);
    report.macro.recall += m.sensitivity / static_cast<double>(k);
    report.macro.f1 += m.f1 / static_cast<double>(k);
    report.weighted.precision += m.positive_predictivity * static_cast<double>(m.support);
    report.weighted.recall += m.sensitivity * static_cast<double>(m.support);
    report.weighted.f1 += m.f1 * static_cast<double>(m.support);

    for (int64_t i = 0; i < n; ++i) {
      column[static_cast<size_t>(i)] = scores[static_cast<size_t>(i * k + c)];
      column_truth[static_cast<size_t>(i)] = truth[static_cast<size_t>(i * k + c)];
    }
    m.auroc = roc_auc(column, column_truth);
    m.average_precision = average_precision(column, column_truth);
    if (!std::isnan(m.auroc)) {
      auroc_sum += m.auroc;
      ++auroc_count;
    }
    if (!std::isnan(m.average_precision)) {
      ap_sum += m.average_precision;
      ++ap_count;
    }
  }
  report.micro = {.precision = ratio(tp, tp + fp),
                  .recall = ratio(tp, tp + fn),
                  .f1 = ratio(2 * tp, 2 * tp + fp + fn)};
  const double total = static_cast<double>(support);
  for (double* v : {&report.weighted.precision, &report.weighted.recall, &report.weighted.f1}) {
    *v = support == 0 ? 0.0 : *v / total;
  }
  report.auroc_macro = auroc_count == 0 ? kNaN : auroc_sum / auroc_count;
  report.ap_macro = ap_count == 0 ? kNaN : ap_sum / ap_count;
  report.auroc_micro = roc_auc(scores, truth);
  report.ap_micro = average_precision(scores, truth);
}

}  // namespace

double ClassificationReport::macro_f1_over(std::span<const int> class_indices) const {
  if (class_indices.empty()) {
    throw UsageError("macro_f1_over: class_indices: expected at least one class, got none");
  }
  double sum = 0;
  for (int c : class_indices) {
    if (c < 0 || static_cast<size_t>(c) >= classes.size()) {
      throw UsageError(
          fmt::format("macro_f1_over: class index: expected 0..{}, got {}", classes.size() - 1, c));
    }
    sum += classes[static_cast<size_t>(c)].f1;
  }
  return sum / static_cast<double>(class_indices.size());
}

ClassificationReport evaluate_single_label(std::span<const float> scores,
                                           std::span<const int64_t> labels, int64_t num_classes,
                                           const std::vector<std::string>& class_names) {
  check_shapes("evaluate_single_label", scores.size(), num_classes, class_names);
  const int64_t k = num_classes;
  const auto n = static_cast<int64_t>(labels.size());
  if (static_cast<int64_t>(scores.size()) != n * k) {
    throw UsageError(fmt::format("evaluate_single_label: scores: expected {} x {} values, got {}",
                                 n, k, scores.size()));
  }
  ClassificationReport report;
  report.num_samples = n;
  report.classes.resize(static_cast<size_t>(k));
  report.confusion.assign(static_cast<size_t>(k), std::vector<int64_t>(static_cast<size_t>(k), 0));
  std::vector<uint8_t> truth(static_cast<size_t>(n * k), 0);
  int64_t correct = 0;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t label = labels[static_cast<size_t>(i)];
    if (label < 0 || label >= k) {
      throw UsageError(fmt::format("evaluate_single_label: labels[{}]: expected 0..{}, got {}", i,
                                   k - 1, label));
    }
    const int64_t predicted = argmax(row(scores, i, k));
    ++report.confusion[static_cast<size_t>(label)][static_cast<size_t>(predicted)];
    truth[static_cast<size_t>(i * k + label)] = 1;
    correct += predicted == label;
  }
  for (int64_t c = 0; c < k; ++c) {
    ClassMetrics& m = report.classes[static_cast<size_t>(c)];
    for (int64_t o = 0; o < k; ++o) {
      m.support += report.confusion[static_cast<size_t>(c)][static_cast<size_t>(o)];
      m.predicted += report.confusion[static_cast<size_t>(o)][static_cast<size_t>(c)];
    }
    m.tp = report.confusion[static_cast<size_t>(c)][static_cast<size_t>(c)];
    m.fp = m.predicted - m.tp;
    m.fn = m.support - m.tp;
    m.tn = n - m.tp - m.fp - m.fn;
  }
  report.accuracy = ratio(correct, n);
  complete_report(report, scores, truth, k, class_names);
  return report;
}

ClassificationReport evaluate_multi_label(std::span<const float> scores,
                                          std::span<const int64_t> labels, int64_t num_classes,
                                          const std::vector<std::string>& class_names,
                                          float threshold) {
  check_shapes("evaluate_multi_label", scores.size(), num_classes, class_names);
  const int64_t k = num_classes;
  const auto n = static_cast<int64_t>(scores.size()) / k;
  if (labels.size() != scores.size()) {
    throw UsageError(fmt::format(
        "evaluate_multi_label: labels: expected {} x {} values (one 0/1 per score), got {}", n, k,
        labels.size()));
  }
  ClassificationReport report;
  report.multi_label = true;
  report.num_samples = n;
  report.classes.resize(static_cast<size_t>(k));
  std::vector<uint8_t> truth(labels.size());
  int64_t top1_positive = 0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t c = 0; c < k; ++c) {
      const auto index = static_cast<size_t>(i * k + c);
      const int64_t label = labels[index];
      if (label != 0 && label != 1) {
        throw UsageError(fmt::format(
            "evaluate_multi_label: labels[{}][{}]: expected 0 or 1, got {}", i, c, label));
      }
      truth[index] = static_cast<uint8_t>(label);
      const bool predicted = scores[index] >= threshold;
      ClassMetrics& m = report.classes[static_cast<size_t>(c)];
      m.support += label;
      m.predicted += predicted;
      m.tp += label && predicted;
      m.fp += !label && predicted;
      m.fn += label && !predicted;
      m.tn += !label && !predicted;
    }
    top1_positive += truth[static_cast<size_t>(i * k + argmax(row(scores, i, k)))];
  }
  report.accuracy = ratio(top1_positive, n);
  complete_report(report, scores, truth, k, class_names);
  return report;
}

}  // namespace physiolite::eval
