#include "physiolite/eval/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "physiolite/core/error.hpp"

namespace physiolite::eval {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A diverged model can emit NaN; it ranks below every number (and ties with other NaNs) so that
// the sort keeps a strict weak order.
std::vector<float> rank_keys(std::span<const float> scores) {
  std::vector<float> keys(scores.begin(), scores.end());
  for (float& k : keys) {
    if (std::isnan(k)) k = -std::numeric_limits<float>::infinity();
  }
  return keys;
}

// Calls visit(tp_in_group, fp_in_group) for each group of equal scores, highest score first.
template <typename Visit>
void for_each_tie_group(std::span<const float> scores, std::span<const uint8_t> positive,
                        Visit visit) {
  PL_CHECK(scores.size() == positive.size(), "one positive flag per score");
  const std::vector<float> keys = rank_keys(scores);
  std::vector<size_t> order(keys.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] > keys[b]; });
  for (size_t begin = 0; begin < order.size();) {
    int64_t tp = 0, fp = 0;
    size_t end = begin;
    for (; end < order.size() && keys[order[end]] == keys[order[begin]]; ++end) {
      (positive[order[end]] ? tp : fp) += 1;
    }
    visit(tp, fp);
    begin = end;
  }
}

}  // namespace

double roc_auc(std::span<const float> scores, std::span<const uint8_t> positive) {
  const auto num_pos = static_cast<int64_t>(
      std::count_if(positive.begin(), positive.end(), [](uint8_t p) { return p != 0; }));
  const int64_t num_neg = static_cast<int64_t>(positive.size()) - num_pos;
  if (num_pos == 0 || num_neg == 0) return kNaN;
  // Walking down the thresholds, each positive in a group beats every negative already passed
  // (ranked lower is "passed later", so count negatives still below) and ties with the group's
  // negatives for half a point each: the Mann-Whitney U with mid-ranks.
  double wins = 0;
  int64_t negatives_above = 0;
  for_each_tie_group(scores, positive, [&](int64_t tp, int64_t fp) {
    wins += static_cast<double>(tp) *
            (static_cast<double>(num_neg - negatives_above - fp) + 0.5 * static_cast<double>(fp));
    negatives_above += fp;
  });
  return wins / (static_cast<double>(num_pos) * static_cast<double>(num_neg));
}

double average_precision(std::span<const float> scores, std::span<const uint8_t> positive) {
  const auto num_pos = static_cast<int64_t>(
      std::count_if(positive.begin(), positive.end(), [](uint8_t p) { return p != 0; }));
  if (num_pos == 0) return kNaN;
  double ap = 0;
  int64_t tp_total = 0, fp_total = 0;
  for_each_tie_group(scores, positive, [&](int64_t tp, int64_t fp) {
    tp_total += tp;
    fp_total += fp;
    const double precision =
        static_cast<double>(tp_total) / static_cast<double>(tp_total + fp_total);
    ap += static_cast<double>(tp) / static_cast<double>(num_pos) * precision;  // recall step
  });
  return ap;
}

}  // namespace physiolite::eval
