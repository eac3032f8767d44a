// `--set model.<key>=<value>` overrides and the JSON form of a ModelConfig (what `physiolite info`
// prints and a trainer will write into its run directory). Unknown keys and values of the wrong
// type are UsageErrors naming the key.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "physiolite/arch/model_config.hpp"

namespace physiolite::arch {

// Applies one "model.key=value" assignment. Integers and lists are decimal ("model.depth=4",
// "model.kernel_set=3,5,7"); model.target is none|max78000|we2.
void apply_override(ModelConfig& config, std::string_view assignment);

// Every key apply_override accepts, in declaration order ("model.raw_channels", ...).
std::vector<std::string> override_keys();

nlohmann::json to_json(const ModelConfig& config);

// Applies every key of a config's `model` section (JSON values: numbers, strings, lists of
// numbers) but "profile" with apply_override: what `train` does with its config and what `info
// --run` / `check --run` read back from a run's config.json.
void apply_json_keys(ModelConfig& config, const nlohmann::json& section);
// A default ModelConfig with `section` applied, validated (a run's resolved `model` section).
ModelConfig model_config_from_json(const nlohmann::json& section);

}  // namespace physiolite::arch
