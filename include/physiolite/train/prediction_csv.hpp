// The CSV `physiolite predict` writes. Torch-free.
//   per beat:   index,sample,label,p_<class>...   (sample at the record's own rate)
//   per window: window,label,p_<class>...
// then, for an int8 model, logit_<class>... (its int8 output codes)
// label: the most probable class; multi-label: every class with p >= threshold, joined by '|'
// (empty when none).
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace physiolite::train {

struct PredictionTable {
  std::span<const float> probabilities;  // (n, k) row-major
  int64_t k = 0;
  std::vector<std::string> class_names;  // k names
  bool multi_label = false;
  double threshold = 0.5;
  std::span<const int64_t> beat_samples;  // n beats, or empty for windows
  std::span<const int8_t> logits;         // (n, k) int8 logits of an int8 model, or empty
};

void write_prediction_csv(std::ostream& out, const PredictionTable& table);

}  // namespace physiolite::train
