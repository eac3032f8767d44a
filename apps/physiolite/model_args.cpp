#include "model_args.hpp"

#include "physiolite/arch/config_override.hpp"
#include "physiolite/arch/profiles.hpp"

namespace physiolite::cli {

void add_model_options(CLI::App* sub, ModelArgs& args) {
  sub->add_option("--profile", args.profile,
                  "dataset profile: uci, db5, epn612, epn612_readme, ptb, cpsc, chapman, "
                  "chapman_kset7")
      ->capture_default_str();
  sub->add_option("--set", args.sets, "override a model key, model.key=value (repeatable)");
  sub->add_flag("--json", args.json, "print JSON instead of a table");
}

arch::ModelConfig resolve_model_config(const ModelArgs& args) {
  arch::ModelConfig config = arch::find_profile(args.profile).config;
  for (const std::string& s : args.sets) arch::apply_override(config, s);
  config.validate();
  return config;
}

}  // namespace physiolite::cli
