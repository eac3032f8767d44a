// libFuzzer target: arbitrary bytes as a JSON config (a train config file, a run's config.json,
// a checkpoint's metadata): the bounded parser, then the torch-free consumers of its sections,
// "model" keys as `--set model.<key>=<value>` overrides plus ModelConfig::validate, and "data" as
// dataset options (Benchmark::set_options). InputError and UsageError (a bad value named by its
// key) are the only exceptions allowed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "physiolite/arch/config_override.hpp"
#include "physiolite/arch/model_config.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/json_text.hpp"
#include "physiolite/data/benchmark.hpp"

namespace {

// A JSON value in the override syntax: numbers and strings as text, lists comma-separated.
std::string override_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_array()) return value.dump();
  std::string out;
  for (const auto& v : value) out += (out.empty() ? "" : ",") + v.dump();
  return out;
}

void apply_model(const nlohmann::json& section) {
  physiolite::arch::ModelConfig config;
  config.raw_channels = 2;
  config.input_length = 128;
  config.num_classes = 4;
  for (const auto& [key, value] : section.items()) {
    physiolite::arch::apply_override(config, "model." + key + "=" + override_text(value));
  }
  config.validate();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json config = physiolite::parse_json_text(text, "fuzz.json", "config");
    if (!config.is_object()) return 0;
    if (config.contains("model") && config["model"].is_object()) apply_model(config["model"]);
    if (config.contains("data") && config["data"].is_object()) {
      for (const char* name : {"mitbih", "uci"}) {
        physiolite::data::Benchmark benchmark(name, "/nonexistent");
        try {
          benchmark.set_options(config["data"]);
        } catch (const physiolite::UsageError&) {
        }
      }
    }
  } catch (const physiolite::InputError&) {
  } catch (const physiolite::UsageError&) {
  }
  return 0;
}
