// physiolite profile --int8 FILE.plq | --run DIR | --profile NAME [--set model.key=value]
//                    --target max78000|we2 [--json] [--svg FILE]
//                    [--weights flash|sram] [--memory-config FILE.ini] [--signal ecg|emg]
// What the network costs on the chip, per accelerator layer and per component (docs/profile.md).
// Parsing only: the cost model is physiolite/profile/profile.hpp.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "model_args.hpp"
#include "physiolite/arch/profiles.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/profile/config_graph.hpp"
#include "physiolite/profile/profile.hpp"
#include "physiolite/qgraph/plq_file.hpp"

namespace physiolite::cli {
namespace {

namespace fs = std::filesystem;

struct ProfileArgs {
  std::string int8;
  std::string run;
  std::string profile;
  std::vector<std::string> sets;
  std::string target;
  bool json = false;
  std::string svg;
  std::string weights;
  std::string memory_config;
  std::string signal;
};

// The graph to profile and the number of raw (signal) channels the CPU prepares.
qgraph::Graph load_graph(const ProfileArgs& a, profile::Chip chip, int& raw_channels) {
  const int given = !a.int8.empty() + !a.run.empty() + !a.profile.empty();
  if (given != 1)
    throw UsageError("give exactly one of --int8 FILE.plq, --run DIR, --profile NAME");
  if (!a.sets.empty() && a.profile.empty() && a.run.empty()) {
    throw UsageError("--set changes a model config: use it with --profile NAME or --run DIR");
  }
  const qgraph::Scheme scheme =
      chip == profile::Chip::kMax78000 ? qgraph::Scheme::kMax78000 : qgraph::Scheme::kTflite;
  if (!a.int8.empty()) {
    if (!fs::is_regular_file(a.int8))
      throw UsageError(fmt::format("{}: no such model file", a.int8));
    return qgraph::read_plq(a.int8);
  }
  if (!a.run.empty() && a.sets.empty()) {
    const fs::path model = run_int8_model(a.run, scheme);
    if (!fs::is_regular_file(model)) {
      throw UsageError(
          fmt::format("{}: no such model file (quantise the run first)", model.string()));
    }
    ModelArgs m;
    m.run = a.run;
    raw_channels = resolve_model_config(m).raw_channels;
    return qgraph::read_plq(model);
  }
  // A config, not a trained model: the graph of its shapes (weights do not change the cost).
  ModelArgs m;
  m.run = a.run;
  if (!a.profile.empty()) m.profile = a.profile;
  m.sets = a.sets;
  const arch::ModelConfig config = resolve_model_config(m);
  raw_channels = config.raw_channels;
  return profile::graph_of_config(config, scheme);
}

// The CPU-side preparation the model's data needs: --signal, else the dataset of the profile or
// of the run's config.json (data.dataset), else ECG (a bare .plq names no dataset).
profile::Signal signal_of(const ProfileArgs& a) {
  if (!a.signal.empty()) return profile::parse_signal(a.signal);
  if (!a.profile.empty()) {
    return profile::is_emg_dataset(a.profile) ? profile::Signal::kEmg : profile::Signal::kEcg;
  }
  if (!a.run.empty()) {
    const fs::path config = fs::path(a.run) / "config.json";
    std::ifstream in(config);
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.contains("data") && j["data"].contains("dataset") &&
        j["data"]["dataset"].is_string()) {
      return profile::is_emg_dataset(j["data"]["dataset"].get<std::string>())
                 ? profile::Signal::kEmg
                 : profile::Signal::kEcg;
    }
  }
  return profile::Signal::kEcg;
}

void run_profile(const ProfileArgs& a) {
  const profile::Chip chip = profile::parse_chip(a.target);
  profile::Options options;
  if (!a.weights.empty()) options.weights = profile::parse_weights(a.weights);
  options.signal = signal_of(a);
  if (!a.memory_config.empty()) {
    if (chip != profile::Chip::kWe2) throw UsageError("--memory-config is a WE2 (Vela) config");
    options.we2_memory = profile::read_we2_memory(a.memory_config);
  }
  const qgraph::Graph graph = load_graph(a, chip, options.raw_channels);
  const profile::Profile p = profile::profile_graph(graph, chip, options);
  if (!a.svg.empty()) {
    write_file_atomically(a.svg, [&](std::ostream& out) { out << profile::to_svg(p); });
  }
  std::cout << (a.json ? profile::to_json(p) : profile::to_table(p));
  if (!a.svg.empty() && !a.json) std::cout << "wrote " << a.svg << "\n";
}

const bool registered = register_command(57, [](CLI::App& app) {
  auto* sub = app.add_subcommand(
      "profile",
      "Predict what a model costs on a chip: cycles, time, energy and memory per layer and per "
      "component");
  auto a = std::make_shared<ProfileArgs>();
  sub->add_option("--int8", a->int8, "An int8 model (.plq): POW2 for max78000, TFLITE for we2");
  sub->add_option("--run", a->run,
                  "A run folder: its int8/max78000-qat.plq or int8/tflite-qat.plq (with --set: "
                  "its config changed, before training)");
  sub->add_option("--profile", a->profile,
                  "A dataset profile's model config (uci, db5, ...), before any training");
  sub->add_option("--set", a->sets, "Override a model key, model.key=value (repeatable)");
  sub->add_option("--target", a->target, "Target chip: max78000 or we2")
      ->required()
      ->check(CLI::IsMember({"max78000", "we2"}));
  sub->add_flag("--json", a->json, "Print JSON instead of a table");
  sub->add_option("--svg", a->svg, "Write a stacked bar chart of time and energy per component");
  sub->add_option("--weights", a->weights,
                  "Where the weights live: flash or sram (default: the chip's usual place)")
      ->check(CLI::IsMember({"flash", "sram"}));
  sub->add_option("--memory-config", a->memory_config,
                  "WE2: a Vela system config (.ini; default the published himax_we2.ini values)");
  sub->add_option("--signal", a->signal,
                  "The CPU-side input preparation: ecg or emg (default: from the dataset; ecg for "
                  "a bare .plq)")
      ->check(CLI::IsMember({"ecg", "emg"}));
  set_examples(sub, {"profile --run models/mitbih-wavelet-seed1 --target max78000",
                     "profile --run models/uci-wavelet-seed1 --target we2 --weights sram --json",
                     "profile --profile uci --set model.embed_dim=128 --target we2 --svg we2.svg"});
  sub->callback([a] { run_profile(*a); });
});

}  // namespace
}  // namespace physiolite::cli
