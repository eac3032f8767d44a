// physiolite quantize --run DIR [--checkpoint best|last|FILE] --scheme max78000|tflite [--qat N]
//   [--calibration minmax|percentile] [--percentile P] [--calibration-windows N]
//   [--pool-rounding truncate|floor|half-up] -o FILE.plq [--c-array DIR]
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "physiolite/arch/chip_rules.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/eval/run_report.hpp"
#include "physiolite/qgraph/c_array.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "physiolite/quant/int8_evaluation.hpp"
#include "physiolite/quant/quantizer.hpp"
#include "physiolite/train/training_data.hpp"

namespace physiolite::cli {
namespace {

using arch::kMax78000DataBytes;
using arch::kMax78000WeightBytes;

struct QuantizeArgs {
  std::string run;
  std::string checkpoint = "best";
  std::string scheme;
  int qat = 0;
  double qat_lr_factor = 0.1;
  std::string qat_ranges = "frozen";
  std::string calibration;  // empty: the shipped recipe's (quant::recipe_calibration)
  double percentile = 0;    // 0: the recipe's
  int64_t calibration_windows = 2048;
  std::string pool_rounding = "truncate";
  std::string output;
  std::string c_array;
  std::string c_name;
};

std::filesystem::path checkpoint_path(const std::filesystem::path& run, const std::string& which) {
  if (which == "best" || which == "last") return run / (which + ".pt");
  return which;
}

struct Scores {
  train::SplitEvaluation fp, q;
};

std::string comparison_table(const std::vector<Scores>& splits) {
  std::string out = fmt::format("{:<12} {:>9} {:>9} {:>11} {:>11} {:>10}\n", "split", "float acc",
                                "int8 acc", "float F1", "int8 F1", "F1 drop");
  for (const Scores& s : splits) {
    out += fmt::format("{:<12} {:>9.4f} {:>9.4f} {:>11.4f} {:>11.4f} {:>+10.4f}\n", s.fp.split,
                       s.fp.report.accuracy, s.q.report.accuracy, s.fp.scored_macro_f1,
                       s.q.scored_macro_f1, s.fp.scored_macro_f1 - s.q.scored_macro_f1);
  }
  for (const Scores& s : splits) {
    out += fmt::format("per-class F1 ({}, float -> int8):", s.fp.split);
    for (size_t c = 0; c < s.fp.report.classes.size(); ++c) {
      out += fmt::format(" {} {:.3f} -> {:.3f}", s.fp.report.classes[c].name,
                         s.fp.report.classes[c].f1, s.q.report.classes[c].f1);
    }
    out += "\n";
  }
  return out;
}

nlohmann::json metrics_json(const train::SplitEvaluation& e) {
  nlohmann::json j = train::to_json(e);
  j["windows"] = e.windows.n;
  return j;
}

void run_quantize(const QuantizeArgs& args) {
  const std::filesystem::path run = args.run;
  if (!std::filesystem::is_directory(run)) {
    throw UsageError(fmt::format("--run: {} is not a run directory", run.string()));
  }
  quant::QuantizeOptions options;
  options.scheme = qgraph::parse_scheme(args.scheme);
  options.qat.epochs = args.qat;
  options.qat.lr_factor = args.qat_lr_factor;
  options.qat.ranges = args.qat_ranges;
  if (args.pool_rounding != "truncate" && args.pool_rounding != "floor" &&
      args.pool_rounding != "half-up") {
    throw UsageError(fmt::format("--pool-rounding: expected truncate, floor or half-up, got '{}'",
                                 args.pool_rounding));
  }
  options.pool_round_half_up = args.pool_rounding == "half-up";
  // The default, truncate, is the MAX78000's 1-D average (izer's model of the chip); the TFLite
  // scheme has its own rounding and ignores it.
  options.pool_truncate =
      args.pool_rounding == "truncate" && options.scheme == qgraph::Scheme::kMax78000;
  const std::filesystem::path output = args.output;
  if (output.has_parent_path() && std::filesystem::exists(output.parent_path()) &&
      !std::filesystem::is_directory(output.parent_path())) {
    throw UsageError(fmt::format("-o: {} is not a directory", output.parent_path().string()));
  }
  if (!args.c_array.empty() && std::filesystem::exists(args.c_array) &&
      !std::filesystem::is_directory(args.c_array)) {
    throw UsageError(fmt::format("--c-array: {} exists and is not a directory", args.c_array));
  }

  const auto data_dir = shared_data_dir();
  train::TrainedModel model =
      train::load_trained_model(checkpoint_path(run, args.checkpoint), data_dir);
  // The shipped recipe's calibration unless the flags say otherwise.
  options.calibration = quant::recipe_calibration(model.config.data.dataset, options.scheme);
  if (!args.calibration.empty()) options.calibration.method = args.calibration;
  if (args.percentile != 0) options.calibration.percentile = args.percentile;
  options.calibration.windows = args.calibration_windows;
  options.validate();
  at::set_num_threads(model.config.train.threads);
  at::globalContext().setFlushDenormal(true);
  const train::DataConfig& dc = model.config.data;
  const data::WindowSet train_set = train::load_split(dc, data::Split::kTrain, data_dir);
  train::check_windows_fit(model.model_config, train_set,
                           train::split_origin(dc, data::Split::kTrain));

  // Float scores first: QAT changes the model's weights.
  std::vector<Scores> scores;
  for (data::Split split : {data::Split::kValidation, data::Split::kTest}) {
    data::WindowSet windows = train::load_split(dc, split, data_dir);
    if (windows.n == 0) continue;
    Scores s;
    s.fp = train::evaluate_windows(model, std::move(windows), data::split_name(split));
    scores.push_back(std::move(s));
  }
  PL_CHECK(!scores.empty() && scores.front().fp.split == "validation", "validation split");
  quant::QuantizeResult result =
      quant::quantize_model(model, train_set, scores.front().fp.windows, options);
  const train::InputAssembler assembler(model.model_config, train_set.c, train_set.side_dim);
  for (Scores& s : scores) {
    const torch::Tensor codes = quant::graph_outputs(result.graph, s.fp.windows, assembler);
    s.q = quant::evaluate_codes(result.graph, model, s.fp.windows, s.fp.split, codes);
  }

  const std::vector<uint8_t> bytes = qgraph::serialize_plq(result.graph);
  if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());
  qgraph::write_plq(result.graph, output);
  const qgraph::Graph& g = result.graph;
  nlohmann::json summary{{"model", output.string()},
                         {"run", run.string()},
                         {"checkpoint", model.checkpoint.string()},
                         {"checkpoint_epoch", model.meta.value("epoch", 0)},
                         {"scheme", qgraph::to_string(options.scheme)},
                         {"calibration", quant::to_json(options.calibration)},
                         {"pool_rounding", args.pool_rounding},
                         {"qat",
                          {{"epochs", options.qat.epochs},
                           {"lr_factor", options.qat.lr_factor},
                           {"ranges", options.qat.ranges},
                           {"selected_epoch", result.selected_epoch},
                           {"history", result.qat_history}}},
                         {"file_bytes", bytes.size()},
                         {"weight_bytes", g.weight_bytes()},
                         {"arena_bytes", g.arena_size},
                         {"macs", g.macs()},
                         {"max78000",
                          {{"weight_memory_bytes", kMax78000WeightBytes},
                           {"data_memory_bytes", kMax78000DataBytes},
                           {"weights_fit", g.weight_bytes() <= kMax78000WeightBytes},
                           {"arena_fits", g.arena_size <= kMax78000DataBytes}}}};
  for (const Scores& s : scores) {
    summary["float"][s.fp.split] = metrics_json(s.fp);
    summary["int8"][s.q.split] = metrics_json(s.q);
  }
  write_file_atomically(output.string() + ".json",
                        [&](std::ostream& out) { out << summary.dump(2) << "\n"; });
  std::cout << fmt::format(
                   "{} -> {} ({} scheme, {} calibration on {} training windows{})\n",
                   model.checkpoint.string(), output.string(), qgraph::to_string(options.scheme),
                   options.calibration.method, result.calibration.windows,
                   options.qat.epochs > 0 ? fmt::format(", QAT {} epochs, selected epoch {}",
                                                        options.qat.epochs, result.selected_epoch)
                                          : "")
            << comparison_table(scores)
            << fmt::format(
                   "weights {} B ({:.1f} % of the MAX78000's 432 KiB), arena {} B ({:.1f} % of "
                   "its 512 KiB data memory), {} MACs per window, file {} B\n",
                   g.weight_bytes(),
                   100.0 * static_cast<double>(g.weight_bytes()) / kMax78000WeightBytes,
                   g.arena_size, 100.0 * g.arena_size / kMax78000DataBytes, g.macs(), bytes.size());
  // The run's report lists its int8 models (when the model was written into the run).
  if (eval::update_int8_report_section(run) > 0) {
    std::cout << "updated " << (run / "report.md").string() << "\n";
  }
  if (!args.c_array.empty()) {
    const std::string name =
        args.c_name.empty() ? qgraph::c_identifier(output.stem().string()) : args.c_name;
    for (const auto& p :
         qgraph::write_c_array(bytes, name, args.c_array, output.filename().string())) {
      std::cout << "wrote " << p.string() << "\n";
    }
  }
}

const bool registered = register_command(53, [](CLI::App& app) {
  auto* sub = app.add_subcommand(
      "quantize", "Quantise a trained run to an int8 model file (.plq) for the C runtime");
  auto args = std::make_shared<QuantizeArgs>();
  sub->add_option("--run", args->run, "Run directory written by physiolite train")->required();
  sub->add_option("--checkpoint", args->checkpoint, "Best, last or a checkpoint file")
      ->capture_default_str();
  sub->add_option("--scheme", args->scheme,
                  "Max78000 (power-of-two shifts, Q7) or tflite (int8 asymmetric, per-channel)")
      ->required();
  sub->add_option("--qat", args->qat, "Quantisation-aware fine-tuning epochs (0: PTQ only)")
      ->capture_default_str();
  sub->add_option("--qat-ranges", args->qat_ranges,
                  "QAT tensor ranges: frozen (calibrated) or ema (moving average of batches)")
      ->capture_default_str();
  sub->add_option("--qat-lr-factor", args->qat_lr_factor, "QAT learning rate = train.lr x this")
      ->capture_default_str();
  sub->add_option("--calibration", args->calibration,
                  "Percentile (default, as the shipped int8 models) or minmax");
  sub->add_option("--percentile", args->percentile,
                  "Percentile of the values kept (default: 99.99 for MIT-BIH on max78000, else "
                  "99.9: what validation chose for the shipped models)");
  sub->add_option("--calibration-windows", args->calibration_windows,
                  "Training windows the ranges are taken over (a seeded subset)")
      ->capture_default_str();
  sub->add_option("--pool-rounding", args->pool_rounding,
                  "max78000 average pools: truncate (toward zero, what the chip computes for "
                  "Conv1d layers), floor or half-up")
      ->capture_default_str();
  sub->add_option("-o,--output", args->output,
                  "The model file to write (FILE.plq; also FILE.plq.json)")
      ->required();
  sub->add_option("--c-array", args->c_array,
                  "Also write the model as C source NAME.h/NAME.c into DIR (created if "
                  "missing), what runtime/examples/classify.c compiles with");
  sub->add_option("--c-name", args->c_name,
                  "With --c-array: the array's C name (default: FILE's name as an identifier; "
                  "runtime/examples/classify.c includes plrt_model_data)");
  set_examples(
      sub,
      {"quantize --run runs/my_run --scheme max78000 -o runs/my_run/int8/max78000.plq --c-array "
       "firmware --c-name plrt_model_data",
       "quantize --run runs/my_run --scheme tflite --qat 4 -o runs/my_run/int8/tflite-qat.plq"});
  sub->callback([args] { run_quantize(*args); });
});

}  // namespace
}  // namespace physiolite::cli
