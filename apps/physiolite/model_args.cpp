#include "model_args.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "physiolite/arch/config_override.hpp"
#include "physiolite/arch/profiles.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/core/json_file.hpp"

namespace physiolite::cli {

void add_model_options(CLI::App* sub, ModelArgs& args) {
  sub->add_option("--profile", args.profile,
                  "Dataset profile: uci, db5, epn612, epn612_readme, ptb, cpsc, chapman, "
                  "chapman_kset7")
      ->capture_default_str();
  sub->add_option("--run", args.run,
                  "A run directory (physiolite train, or models/<name>): the model its "
                  "config.json describes, instead of --profile");
  sub->add_option("--set", args.sets, "Override a model key, model.key=value (repeatable)");
  sub->add_flag("--json", args.json, "Print JSON instead of a table");
}

arch::ModelConfig resolve_model_config(const ModelArgs& args) {
  arch::ModelConfig config;
  if (args.run.empty()) {
    config = arch::find_profile(args.profile).config;
  } else {
    const std::filesystem::path file = std::filesystem::path(args.run) / "config.json";
    const nlohmann::json j = read_json_file(file, "config");
    if (!j.is_object() || !j.contains("model")) {
      throw InputError(InputLocation::file(file.string()), "model",
                       "a run's config (a JSON object with a model section)", "no model section");
    }
    try {
      config = arch::model_config_from_json(j["model"]);
    } catch (const UsageError& e) {
      throw UsageError(fmt::format("{}: {}", file.string(), e.what()));
    }
  }
  for (const std::string& s : args.sets) arch::apply_override(config, s);
  config.validate();
  return config;
}

std::filesystem::path run_int8_model(const std::filesystem::path& run, qgraph::Scheme scheme) {
  // A teacher run has no int8 model: say so, rather than that a file is missing.
  if (std::filesystem::is_regular_file(run / "config.json")) {
    ModelArgs args;
    args.run = run.string();
    const std::string type = resolve_model_config(args).type;
    if (type != "physiolite") {
      throw UsageError(fmt::format(
          "{}: model.type '{}' is a distillation teacher, which no chip runs (quantize, export "
          "and profile take a student's run)",
          run.string(), type));
    }
  }
  return run / "int8" / fmt::format("{}-qat.plq", qgraph::to_string(scheme));
}

}  // namespace physiolite::cli
