// A record's predicted beat classes against its reference annotations: what `physiolite
// predict` prints after classifying a record that has an annotation file. Torch-free.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace physiolite::eval {

struct BeatSummary {
  std::vector<std::string> class_names;  // the model's classes: the columns
  // Rows: the annotated classes found, in first-seen order of the model's classes, then any
  // annotated class the model does not have (e.g. AAMI Q for paced beats).
  std::vector<std::string> row_names;
  std::vector<std::vector<int64_t>> counts;  // counts[row][predicted class]
  std::vector<int64_t> predicted;            // beats per predicted class
  int64_t agree = 0;                         // beats whose predicted class is their annotated class
  int64_t scored = 0;                        // beats whose annotated class is one of the model's
};

// `annotated[i]` is beat i's reference class name, `predicted[i]` its predicted class index
// into `class_names`. std::invalid_argument when the lengths differ or an index is out of range.
BeatSummary summarize_beats(std::span<const std::string> annotated, std::span<const int> predicted,
                            const std::vector<std::string>& class_names);

// Predicted counts per class, then (when there are annotations) the table of annotated rows
// against predicted columns and the agreement over the scored beats, as fixed-width text.
std::string format_beat_summary(const BeatSummary& summary);

}  // namespace physiolite::eval
