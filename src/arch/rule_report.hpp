// Helpers shared by the per-chip rule files (private to src/arch).
#pragma once

#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "physiolite/arch/chip_rules.hpp"

namespace physiolite::arch::detail {

class RuleReport {
 public:
  void add(const std::string& layer, std::string rule, std::string text, int64_t value,
           std::string limit, Severity severity = Severity::kError) {
    add(layer, std::move(rule), std::move(text), std::to_string(value), std::move(limit), severity);
  }
  void add(const std::string& layer, std::string rule, std::string text, std::string value,
           std::string limit, Severity severity = Severity::kError) {
    list_.push_back(
        {layer, std::move(rule), std::move(text), std::move(value), std::move(limit), severity});
  }
  // Reports `value` unless it lies in [lo, hi].
  void range(const std::string& layer, std::string rule, std::string text, int64_t value,
             int64_t lo, int64_t hi) {
    if (value < lo || value > hi) {
      add(layer, std::move(rule), std::move(text), value, fmt::format("{}..{}", lo, hi));
    }
  }
  std::vector<RuleViolation> take() { return std::move(list_); }

 private:
  std::vector<RuleViolation> list_;
};

// name -> layer, plus the network input as a pseudo layer so every operand can be looked up.
class LayerIndex {
 public:
  explicit LayerIndex(const std::vector<LayerSpec>& layers);
  const LayerSpec& at(const std::string& name) const { return *by_name_.at(name); }
  // Indices (into the table) of the layers reading `name`.
  const std::vector<size_t>& consumers(const std::string& name) const;

 private:
  LayerSpec input_;
  std::map<std::string, const LayerSpec*> by_name_;
  std::map<std::string, std::vector<size_t>> consumers_;
  std::vector<size_t> none_;
};

}  // namespace physiolite::arch::detail
