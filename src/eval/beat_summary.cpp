#include "physiolite/eval/beat_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace physiolite::eval {

BeatSummary summarize_beats(std::span<const std::string> annotated, std::span<const int> predicted,
                            const std::vector<std::string>& class_names) {
  if (!annotated.empty() && annotated.size() != predicted.size()) {
    throw std::invalid_argument(fmt::format("summarize_beats: {} annotations for {} beats",
                                            annotated.size(), predicted.size()));
  }
  const size_t k = class_names.size();
  BeatSummary s;
  s.class_names = class_names;
  s.predicted.assign(k, 0);
  for (int p : predicted) {
    if (p < 0 || static_cast<size_t>(p) >= k) {
      throw std::invalid_argument(fmt::format("summarize_beats: class index {} of {}", p, k));
    }
    ++s.predicted[static_cast<size_t>(p)];
  }
  if (annotated.empty()) return s;
  // The model's classes first (in its order, when annotated), then foreign ones as seen.
  for (const auto& name : class_names) {
    if (std::find(annotated.begin(), annotated.end(), name) != annotated.end()) {
      s.row_names.push_back(name);
    }
  }
  for (const auto& name : annotated) {
    if (std::find(s.row_names.begin(), s.row_names.end(), name) == s.row_names.end()) {
      s.row_names.push_back(name);
    }
  }
  s.counts.assign(s.row_names.size(), std::vector<int64_t>(k, 0));
  for (size_t i = 0; i < annotated.size(); ++i) {
    const auto row = static_cast<size_t>(
        std::find(s.row_names.begin(), s.row_names.end(), annotated[i]) - s.row_names.begin());
    const auto p = static_cast<size_t>(predicted[i]);
    ++s.counts[row][p];
    const bool known =
        std::find(class_names.begin(), class_names.end(), annotated[i]) != class_names.end();
    if (known) {
      ++s.scored;
      if (class_names[p] == annotated[i]) ++s.agree;
    }
  }
  return s;
}

std::string format_beat_summary(const BeatSummary& s) {
  std::string out = fmt::format("{:<14}", "predicted");
  for (const auto& c : s.class_names) out += fmt::format(" {:>7}", c);
  out += "\n";
  out += fmt::format("{:<14}", "beats");
  for (int64_t n : s.predicted) out += fmt::format(" {:>7}", n);
  out += "\n";
  if (s.row_names.empty()) return out;
  out += "\nannotated \\ predicted\n";
  for (size_t r = 0; r < s.row_names.size(); ++r) {
    out += fmt::format("{:<14}", s.row_names[r]);
    for (int64_t n : s.counts[r]) out += fmt::format(" {:>7}", n);
    out += "\n";
  }
  out += fmt::format("agreement     {} of {} annotated beats ({:.2f} %)", s.agree, s.scored,
                     s.scored > 0 ? 100.0 * static_cast<double>(s.agree) / s.scored : 0.0);
  // Every beat has a row, so the beats not scored are the total less the scored ones.
  int64_t total = 0;
  for (int64_t n : s.predicted) total += n;
  if (s.scored < total) {
    out += "; beats of classes the model lacks are not scored";
  }
  return out + "\n";
}

}  // namespace physiolite::eval
