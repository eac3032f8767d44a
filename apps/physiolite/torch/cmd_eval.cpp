// physiolite eval --run DIR [--split test|validation] [--checkpoint best|last|FILE]
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/benchmark.hpp"
#include "physiolite/train/evaluation.hpp"

namespace physiolite::cli {
namespace {

struct EvalArgs {
  std::string run;
  std::string split = "test";
  std::string checkpoint = "best";
};

std::filesystem::path checkpoint_path(const std::filesystem::path& run, const std::string& which) {
  if (which == "best" || which == "last") return run / (which + ".pt");
  return which;
}

void run_eval(const EvalArgs& args) {
  const data::Split split = data::parse_split(args.split);
  const std::filesystem::path run = args.run;
  if (!std::filesystem::is_directory(run)) {
    throw UsageError(fmt::format("--run: {} is not a run directory", run.string()));
  }
  train::TrainedModel model =
      train::load_trained_model(checkpoint_path(run, args.checkpoint), shared_data_dir());
  const train::SplitEvaluation e = train::evaluate_split(model, split, shared_data_dir());
  nlohmann::json j = train::to_json(e);
  j["checkpoint"] = model.checkpoint.string();
  j["epoch"] = model.meta.value("epoch", 0);
  write_file_atomically(run / fmt::format("eval_{}.json", data::split_name(split)),
                        [&](std::ostream& out) { out << j.dump(2) << "\n"; });
  std::cout << fmt::format("{} ({}, epoch {})\n", run.string(), model.checkpoint.string(),
                           model.meta.value("epoch", 0))
            << train::format_evaluation(e);
}

const bool registered = register_command(51, [](CLI::App& app) {
  auto* sub = app.add_subcommand("eval", "Score a trained run on a split of its data");
  auto args = std::make_shared<EvalArgs>();
  sub->add_option("--run", args->run, "Run directory written by physiolite train")->required();
  sub->add_option("--split", args->split, "test or validation")->capture_default_str();
  sub->add_option("--checkpoint", args->checkpoint, "best, last or a checkpoint file")
      ->capture_default_str();
  sub->callback([args] { run_eval(*args); });
});

}  // namespace
}  // namespace physiolite::cli
