#include "physiolite/arch/chip_rules.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "physiolite/core/error.hpp"
#include "rule_report.hpp"

namespace physiolite::arch {

namespace detail {

LayerIndex::LayerIndex(const std::vector<LayerSpec>& layers) {
  if (!layers.empty()) {
    input_.name = "input";
    input_.in_channels = input_.out_channels = layers.front().in_channels;
    input_.in_dims = input_.out_dims = layers.front().in_dims;
    by_name_[input_.name] = &input_;
  }
  for (size_t i = 0; i < layers.size(); ++i) {
    by_name_[layers[i].name] = &layers[i];
    for (const std::string& in : layers[i].inputs) consumers_[in].push_back(i);
  }
}

const std::vector<size_t>& LayerIndex::consumers(const std::string& name) const {
  auto it = consumers_.find(name);
  return it == consumers_.end() ? none_ : it->second;
}

}  // namespace detail

std::vector<RuleViolation> check_chip_rules(const std::vector<LayerSpec>& layers, Target target) {
  switch (target) {
    case Target::kMax78000:
      return check_max78000_rules(layers);
    case Target::kWe2:
      return check_we2_rules(layers);
    case Target::kNone:
      break;
  }
  return {};
}

bool has_errors(const std::vector<RuleViolation>& violations) {
  return std::any_of(violations.begin(), violations.end(),
                     [](const RuleViolation& v) { return v.severity == Severity::kError; });
}

std::string format_violation(const RuleViolation& v) {
  return fmt::format("{}: {} ({}): {}, allowed {}", v.layer, v.rule, v.text, v.value, v.limit);
}

void require_chip_rules(const ModelConfig& config) {
  if (config.target == Target::kNone) return;
  const auto violations = check_chip_rules(describe_layers(config), config.target);
  if (!has_errors(violations)) return;
  std::string message =
      fmt::format("model.target: the config breaks {} rules:", to_string(config.target));
  for (const RuleViolation& v : violations) {
    if (v.severity == Severity::kError) message += "\n  " + format_violation(v);
  }
  throw UsageError(message);
}

}  // namespace physiolite::arch
