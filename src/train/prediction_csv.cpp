#include "physiolite/train/prediction_csv.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace physiolite::train {

void write_prediction_csv(std::ostream& out, const PredictionTable& t) {
  const bool beats = !t.beat_samples.empty();
  out << (beats ? "index,sample,label" : "window,label");
  for (const auto& name : t.class_names) out << ",p_" << name;
  if (!t.logits.empty()) {
    for (const auto& name : t.class_names) out << ",logit_" << name;
  }
  out << "\n";
  const auto n = static_cast<int64_t>(t.probabilities.size()) / std::max<int64_t>(1, t.k);
  for (int64_t i = 0; i < n; ++i) {
    const auto row =
        t.probabilities.subspan(static_cast<size_t>(i * t.k), static_cast<size_t>(t.k));
    std::string label;
    if (t.multi_label) {
      for (int64_t c = 0; c < t.k; ++c) {
        if (row[static_cast<size_t>(c)] >= t.threshold) {
          if (!label.empty()) label += '|';
          label += t.class_names[static_cast<size_t>(c)];
        }
      }
    } else {
      label = t.class_names[static_cast<size_t>(std::max_element(row.begin(), row.end()) -
                                                row.begin())];
    }
    out << i;
    if (beats) out << ',' << t.beat_samples[static_cast<size_t>(i)];
    out << ',' << label;
    for (float p : row) out << fmt::format(",{:.6f}", p);
    if (!t.logits.empty()) {
      for (int64_t c = 0; c < t.k; ++c)
        out << ',' << static_cast<int>(t.logits[static_cast<size_t>(i * t.k + c)]);
    }
    out << "\n";
  }
}

}  // namespace physiolite::train
