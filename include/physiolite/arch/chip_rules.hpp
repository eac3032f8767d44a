// Chip-rule checker: walks a layer table and reports every rule of docs/chip_rules.md it breaks on
// MAX78000 (ai8x-synthesis izer limits) or on HX6538 WE2's Ethos-U55 (Vela NPU placement rules).
//
// Errors mean the chip's tool chain refuses the network (or, for WE2, places the operator on the
// CPU). Warnings are limits that depend on something this table cannot see (the izer's weight
// allocator, the Vela version, trained weight values) or on a documented wording conflict (the
// README's 1023 vs the izer's 1024 dimension limit); they never make a config fail.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "physiolite/arch/layer_table.hpp"
#include "physiolite/arch/model_config.hpp"

namespace physiolite::arch {

enum class Severity { kError, kWarning };

struct RuleViolation {
  std::string layer;  // layer name from the table; "(network)" for whole-network limits
  std::string rule;   // stable id, e.g. "max78000.conv1d.kernel"
  std::string text;   // what the rule says
  std::string value;  // offending value, e.g. "11"
  std::string limit;  // allowed range, e.g. "1..9"
  Severity severity = Severity::kError;
};

std::vector<RuleViolation> check_max78000_rules(const std::vector<LayerSpec>& layers);
std::vector<RuleViolation> check_we2_rules(const std::vector<LayerSpec>& layers);
// Dispatches on target; kNone has no rules.
std::vector<RuleViolation> check_chip_rules(const std::vector<LayerSpec>& layers, Target target);

// Throws UsageError listing every error-severity violation of config.target (no-op for kNone).
// The LibTorch model constructor calls this.
void require_chip_rules(const ModelConfig& config);

bool has_errors(const std::vector<RuleViolation>& violations);
// "blocks[0].conv2: max78000.conv1d.kernel (Conv1d kernel size): 11, allowed 1..9"
std::string format_violation(const RuleViolation& v);

// How the layer table maps onto MAX78000 (what the rules above are computed from).
struct Max78000Usage {
  int layers = 0;               // hardware layers: convs (with fused pools), unfused pools, adds
  int64_t weight_bytes = 0;     // raw int8 weights
  int weight_columns = 0;       // packed kernel columns per processor, layers stacked (of 768)
  int64_t peak_data_bytes = 0;  // largest sum of live activations (of 512 KiB)
};
Max78000Usage max78000_usage(const std::vector<LayerSpec>& layers);

inline constexpr int kMax78000MaxLayers = 32;
inline constexpr int64_t kMax78000WeightBytes = 442368;  // 432 KiB
inline constexpr int kMax78000WeightColumns = 768;       // 72-bit kernel words per processor
inline constexpr int64_t kMax78000DataBytes = 524288;    // 512 KiB

}  // namespace physiolite::arch
