// physiolite train --config FILE [--set section.key=value ...] [--resume | --force]
//                  [--nproc N] [--dist-timeout SECONDS]
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/dist/env.hpp"
#include "physiolite/dist/launcher.hpp"
#include "physiolite/dist/process_group.hpp"
#include "physiolite/train/train_config.hpp"
#include "physiolite/train/trainer.hpp"

namespace physiolite::cli {
namespace {

struct TrainArgs {
  std::string config;
  std::vector<std::string> sets;
  bool resume = false;
  bool force = false;
  int nproc = 0;              // > 0: start this many local ranks
  double dist_timeout = 300;  // seconds a collective waits for a peer
};

// `--nproc N`: this program again, N times, with the same arguments but --nproc.
void launch_ranks(const TrainArgs& args) {
  // MASTER_ADDR/MASTER_PORT alone are fine: the port the ranks meet on.
  if (std::getenv("RANK") != nullptr || std::getenv("WORLD_SIZE") != nullptr) {
    throw UsageError(
        "--nproc: RANK/WORLD_SIZE are already set (this process is a rank of a "
        "distributed run); use one or the other");
  }
  // Check the config once here rather than N times in parallel.
  train::load_train_config(args.config, args.sets, shared_data_dir());
  std::vector<std::string> argv{"train", "--config", args.config};
  for (const std::string& s : args.sets) argv.insert(argv.end(), {"--set", s});
  if (args.resume) argv.push_back("--resume");
  if (args.force) argv.push_back("--force");
  argv.insert(argv.end(), {"--dist-timeout", fmt::format("{}", args.dist_timeout)});
  const char* port = std::getenv("MASTER_PORT");
  const int code =
      dist::launch_local(std::filesystem::read_symlink("/proc/self/exe").string(), argv, args.nproc,
                         port != nullptr ? std::atoi(port) : dist::free_local_port());
  if (code != 0) std::exit(code);  // each rank printed its own error
}

void run_train(const TrainArgs& args) {
  if (args.resume && args.force) throw UsageError("--resume and --force exclude each other");
  if (args.nproc > 0) {
    launch_ranks(args);
    return;
  }
  const auto data_dir = shared_data_dir();
  const train::TrainConfig config = train::load_train_config(args.config, args.sets, data_dir);
  train::TrainRunOptions options;
  options.data_dir = data_dir;
  options.resume = args.resume;
  options.force = args.force;
  std::optional<dist::ProcessGroup> group;
  if (const auto env = dist::dist_env_from_environment()) {
    group.emplace(*env, std::chrono::milliseconds(std::llround(args.dist_timeout * 1000)));
    options.group = &*group;
  }
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
  sub->add_option("--nproc", args->nproc,
                  "Train data-parallel in N local processes (RANK, WORLD_SIZE, ... set for each; "
                  "see docs/distributed.md)")
      ->check(CLI::Range(1, dist::kMaxWorldSize));
  sub->add_option("--dist-timeout", args->dist_timeout,
                  "Distributed runs: seconds to wait for the other ranks (rendezvous, each "
                  "all-reduce) before stopping with an error naming the rank")
      ->check(CLI::Range(0.1, 86400.0));
  set_examples(
      sub,
      {"train --config configs/mitbih_aami.json --set train.seed=2 --set run_dir=runs/mitbih-seed2",
       "train --config configs/hdf5_windows.json --set data.train_file=train.h5 --set "
       "data.validation_file=val.h5"});
  sub->callback([args] { run_train(*args); });
});

}  // namespace
}  // namespace physiolite::cli
