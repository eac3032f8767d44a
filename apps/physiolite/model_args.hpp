// Options shared by the commands that take a model config: --profile NAME and repeatable
// --set model.key=value (the trainer will share the syntax).
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/arch/model_config.hpp"
#include "physiolite/qgraph/graph.hpp"

namespace physiolite::cli {

struct ModelArgs {
  std::string profile = "uci";
  std::string run;  // a run directory: its config.json's resolved model section instead
  std::vector<std::string> sets;
  bool json = false;
};

void add_model_options(CLI::App* sub, ModelArgs& args);

// The profile's (or the run's) config with every --set applied in order, validated.
arch::ModelConfig resolve_model_config(const ModelArgs& args);

// The int8 model a run ships for a scheme, as the shipped recipes name it:
// RUN/int8/<scheme>-qat.plq (max78000-qat.plq, tflite-qat.plq). UsageError for a teacher's run.
std::filesystem::path run_int8_model(const std::filesystem::path& run, qgraph::Scheme scheme);

}  // namespace physiolite::cli
