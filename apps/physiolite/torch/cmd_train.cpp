// physiolite train --config FILE [--set section.key=value ...] [--resume | --force]
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/train/train_config.hpp"
#include "physiolite/train/trainer.hpp"

namespace physiolite::cli {
namespace {

struct TrainArgs {
  std::string config;
  std::vector<std::string> sets;
  bool resume = false;
  bool force = false;
};

void run_train(const TrainArgs& args) {
  if (args.resume && args.force) throw UsageError("--resume and --force exclude each other");
  const auto data_dir = shared_data_dir();
  const train::TrainConfig config = train::load_train_config(args.config, args.sets, data_dir);
  train::TrainRunOptions options;
  options.data_dir = data_dir;
  options.resume = args.resume;
  options.force = args.force;
  train::run_training(config, options);
}

const bool registered = register_command(50, [](CLI::App& app) {
  auto* sub = app.add_subcommand("train", "Train a model from a JSON config into a run directory");
  auto args = std::make_shared<TrainArgs>();
  sub->add_option("--config", args->config, "Training config (JSON; see configs/)")->required();
  sub->add_option("--set", args->sets, "Override a config key: section.key=value (repeatable)");
  sub->add_flag("--resume", args->resume,
                "Continue the run directory's run from its last checkpoint (or start it)");
  sub->add_flag("--force", args->force, "Start over in a non-empty run directory");
  set_examples(
      sub,
      {"train --config configs/mitbih_aami.json --set train.seed=2 --set run_dir=runs/mitbih-seed2",
       "train --config configs/hdf5_windows.json --set data.train_file=train.h5 --set "
       "data.validation_file=val.h5"});
  sub->callback([args] { run_train(*args); });
});

}  // namespace
}  // namespace physiolite::cli
