// Threshold-free ranking metrics of one binary problem (one class against the rest).
//
// Both take a score per sample and whether the sample is a positive; higher scores mean "more
// positive". Ties are handled the way scikit-learn does, so the values match roc_auc_score and
// average_precision_score exactly:
//   AUROC = Mann-Whitney U / (P N), each group of tied scores getting the mean of its ranks
//           (equivalently, the trapezoidal area under the ROC curve through the tie groups).
//   AP    = sum over distinct score thresholds, descending, of (R_n - R_(n-1)) * P_n, where all
//           samples sharing a score enter at the same step (no interpolation).
// A NaN score (a diverged model) ranks below every number.
#pragma once

#include <cstdint>
#include <span>

namespace physiolite::eval {

// NaN when there are no positives or no negatives.
double roc_auc(std::span<const float> scores, std::span<const uint8_t> positive);
// NaN when there are no positives; 1 when every sample is a positive.
double average_precision(std::span<const float> scores, std::span<const uint8_t> positive);

}  // namespace physiolite::eval
