// physiolite eval --run DIR [--split test|validation] [--checkpoint best|last|FILE]
//                 [--int8 FILE.plq [--check-exact]] [--output FILE.json]
//
// The scores go to stdout and to a JSON file: --output, else eval_<split>.json in the run
// directory (float) or eval_<split>_<name>.json beside FILE.plq (int8, named after the file).
// A shipped run (one without last.pt, as under models/) is never rewritten by default: without
// --output nothing is written there.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "command.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/benchmark.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "physiolite/qgraph/runtime_model.hpp"
#include "physiolite/quant/int8_evaluation.hpp"
#include "physiolite/train/evaluation.hpp"
#include "physiolite/train/training_data.hpp"

namespace physiolite::cli {
namespace {

struct EvalArgs {
  std::string run;
  std::string split = "test";
  std::string checkpoint = "best";
  std::string int8;
  bool check_exact = false;
  std::string output;
};

// Where the JSON goes, or nothing for a shipped run without --output (see the file comment).
std::optional<std::filesystem::path> json_output(const EvalArgs& args,
                                                 const std::filesystem::path& run,
                                                 const std::filesystem::path& default_path) {
  if (!args.output.empty()) return std::filesystem::path(args.output);
  if (!std::filesystem::exists(run / "last.pt")) {
    std::cerr << fmt::format(
        "{} has no last.pt (a shipped run): not writing {}; give --output FILE.json to keep the "
        "scores\n",
        run.string(), default_path.string());
    return std::nullopt;
  }
  return default_path;
}

std::filesystem::path checkpoint_path(const std::filesystem::path& run, const std::string& which) {
  if (which == "best" || which == "last") return run / (which + ".pt");
  return which;
}

// Windows whose int8 outputs differ between `a` and `b` ([N, K] codes): count and first index.
std::pair<int64_t, int64_t> mismatches(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor differs = (a != b).any(1);
  const int64_t count = differs.sum().item<int64_t>();
  return {count, count > 0 ? differs.nonzero()[0][0].item<int64_t>() : -1};
}

// The C runtime (optimised kernels) on every window of the split; with check_exact also the
// reference kernels and the LibTorch integer graph, which must give the same integers.
void run_eval_int8(const EvalArgs& args, train::TrainedModel& model, data::Split split,
                   const std::filesystem::path& run) {
  const std::filesystem::path file = args.int8;
  const qgraph::RuntimeModel runtime = qgraph::RuntimeModel::load(file);
  const qgraph::Graph graph = qgraph::read_plq(file);
  quant::check_graph_fits(graph, model.model_config, file.string());
  data::WindowSet windows = train::load_split(model.config.data, split, shared_data_dir());
  if (windows.n == 0) {
    throw UsageError(fmt::format("split {}: no windows ({})", data::split_name(split),
                                 train::split_origin(model.config.data, split)));
  }
  train::check_windows_fit(model.model_config, windows, data::split_name(split));
  const train::InputAssembler assembler(model.model_config, windows.c, windows.side_dim);
  const torch::Tensor codes =
      quant::runtime_outputs(runtime, windows, assembler, PLRT_KERNELS_OPTIMIZED);
  std::string exactness;
  if (args.check_exact) {
    const torch::Tensor reference =
        quant::runtime_outputs(runtime, windows, assembler, PLRT_KERNELS_REFERENCE);
    const torch::Tensor torch_graph =
        quant::integer_outputs(graph, windows, assembler, model.config.train.eval_batch_size);
    const auto [opt_count, opt_first] = mismatches(codes, torch_graph);
    const auto [ref_count, ref_first] = mismatches(reference, torch_graph);
    if (opt_count > 0 || ref_count > 0) {
      throw Error(fmt::format(
          "{}: int8 outputs differ from the LibTorch integer graph on {} windows (optimised "
          "kernels; first: window {}) and {} windows (reference kernels; first: window {}) of "
          "{} {}",
          file.string(), opt_count, opt_first, ref_count, ref_first, windows.n,
          data::split_name(split)));
    }
    exactness = fmt::format(
        "bit-exact: runtime optimised = runtime reference = LibTorch integer graph on all {} "
        "windows\n",
        windows.n);
  }
  const train::SplitEvaluation e =
      quant::evaluate_codes(graph, model, std::move(windows), data::split_name(split), codes);
  nlohmann::json j = train::to_json(e);
  j["model"] = file.string();
  j["scheme"] = qgraph::to_string(graph.scheme);
  j["check_exact"] = args.check_exact;
  const auto json_file =
      json_output(args, run,
                  file.parent_path() / fmt::format("eval_{}_{}.json", data::split_name(split),
                                                   file.stem().string()));
  if (json_file) {
    write_file_atomically(*json_file, [&](std::ostream& out) { out << j.dump(2) << "\n"; });
  }
  std::cout << fmt::format("{} (int8, {} scheme, C runtime)\n", file.string(),
                           qgraph::to_string(graph.scheme))
            << train::format_evaluation(e) << exactness;
}

void run_eval(const EvalArgs& args) {
  const data::Split split = data::parse_split(args.split);
  const std::filesystem::path run = args.run;
  if (!std::filesystem::is_directory(run)) {
    throw UsageError(fmt::format("--run: {} is not a run directory", run.string()));
  }
  if (args.check_exact && args.int8.empty()) throw UsageError("--check-exact needs --int8 FILE");
  train::TrainedModel model =
      train::load_trained_model(checkpoint_path(run, args.checkpoint), shared_data_dir());
  train::check_checkpoint_matches_run(model, run);
  if (!args.int8.empty()) {
    run_eval_int8(args, model, split, run);
    return;
  }
  const train::SplitEvaluation e = train::evaluate_split(model, split, shared_data_dir());
  nlohmann::json j = train::to_json(e);
  j["checkpoint"] = model.checkpoint.string();
  j["epoch"] = model.meta.value("epoch", 0);
  const auto json_file =
      json_output(args, run, run / fmt::format("eval_{}.json", data::split_name(split)));
  if (json_file) {
    write_file_atomically(*json_file, [&](std::ostream& out) { out << j.dump(2) << "\n"; });
  }
  std::cout << fmt::format("{} ({}, epoch {})\n", run.string(), model.checkpoint.string(),
                           model.meta.value("epoch", 0))
            << train::format_evaluation(e);
}

const bool registered = register_command(51, [](CLI::App& app) {
  auto* sub = app.add_subcommand("eval", "Score a trained run (or its int8 model) on a split");
  auto args = std::make_shared<EvalArgs>();
  sub->add_option("--run", args->run, "Run directory written by physiolite train")->required();
  sub->add_option("--split", args->split, "Split: test or validation")->capture_default_str();
  sub->add_option("--checkpoint", args->checkpoint, "Checkpoint: best, last or a file")
      ->capture_default_str();
  sub->add_option("--int8", args->int8,
                  "Score this .plq model (physiolite quantize) with the C runtime instead");
  sub->add_flag("--check-exact", args->check_exact,
                "With --int8: also run the reference kernels and the LibTorch integer graph and "
                "fail unless every window's int8 output is identical");
  sub->add_option("--output", args->output,
                  "JSON file for the scores (default: eval_<split>.json in the run, or "
                  "eval_<split>_<name>.json beside FILE.plq; nothing for a run without last.pt)");
  set_examples(
      sub,
      {"eval --run models/mitbih-wavelet-seed1 --split test --output eval.json",
       "eval --run models/mitbih-wavelet-seed1 --int8 "
       "models/mitbih-wavelet-seed1/int8/max78000-qat.plq --check-exact --output eval_int8.json"});
  sub->callback([args] { run_eval(*args); });
});

}  // namespace
}  // namespace physiolite::cli
