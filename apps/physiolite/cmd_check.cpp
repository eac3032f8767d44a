// physiolite check --target max78000|we2: every chip rule the model config breaks.
// Exit 0 when nothing but warnings is found; otherwise the violations are printed and the
// command fails (exit 1).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "model_args.hpp"
#include "physiolite/arch/chip_rules.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::cli {
namespace {

struct CheckArgs {
  ModelArgs model;
  std::string target;
};

void run_check(const CheckArgs& args) {
  const arch::Target target = arch::parse_target(args.target, "--target");
  if (target == arch::Target::kNone) throw UsageError("--target: expected max78000 or we2");
  const auto violations =
      arch::check_chip_rules(arch::describe_layers(resolve_model_config(args.model)), target);
  int errors = 0;
  for (const auto& v : violations) errors += v.severity == arch::Severity::kError;
  const int warnings = static_cast<int>(violations.size()) - errors;
  if (args.model.json) {
    nlohmann::json report{
        {"target", args.target}, {"profile", args.model.run.empty() ? args.model.profile : ""},
        {"run", args.model.run}, {"errors", errors},
        {"warnings", warnings},  {"violations", nlohmann::json::array()}};
    for (const auto& v : violations) {
      report["violations"].push_back(
          {{"layer", v.layer},
           {"rule", v.rule},
           {"text", v.text},
           {"value", v.value},
           {"limit", v.limit},
           {"severity", v.severity == arch::Severity::kError ? "error" : "warning"}});
    }
    std::cout << report.dump(2) << "\n";
  } else {
    for (const auto& v : violations) {
      std::cout << fmt::format("{:<8} {:<22} {:<34} value {:<8} limit {}   ({})\n",
                               v.severity == arch::Severity::kError ? "error" : "warning", v.layer,
                               v.rule, v.value, v.limit, v.text);
    }
    if (errors == 0) std::cout << fmt::format("no violations ({} warnings)\n", warnings);
  }
  if (errors > 0) {
    throw Error(fmt::format("{} chip-rule violation(s) on {}", errors, args.target));
  }
}

const bool registered = register_command(41, [](CLI::App& app) {
  auto* sub = app.add_subcommand("check", "Check a model config against a chip's rules");
  auto args = std::make_shared<CheckArgs>();
  sub->add_option("--target", args->target, "Chip: max78000 or we2")->required();
  add_model_options(sub, args->model);
  set_examples(sub, {"check --target max78000 --run models/mitbih-wavelet-seed1",
                     "check --target we2 --profile ptb --set model.depth=4"});
  sub->callback([args] { run_check(*args); });
});

}  // namespace
}  // namespace physiolite::cli
