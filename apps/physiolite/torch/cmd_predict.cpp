// physiolite predict (--run DIR | --checkpoint FILE | --int8 FILE.plq [--run DIR])
//                    <record | file.h5> [--causal] [--output FILE.csv]
//
// A WFDB record: one row per beat (beats from its .atr when there is one, else from the QRS
// detector), windows made as the MIT-BIH dataset makes them (with --causal, or a run trained
// with data.causal, as the device makes them: docs/stream.md). An HDF5 windows file: one row per
// window. Columns: index, sample (or window), label, then one probability per class; with --int8
// the int8 model runs in the C runtime and its logits follow (logit_<class>).
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/json_file.hpp"
#include "physiolite/data/beat_windows.hpp"
#include "physiolite/data/benchmark.hpp"
#include "physiolite/data/device_beats.hpp"
#include "physiolite/data/hdf5_windows.hpp"
#include "physiolite/eval/beat_summary.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/quant/int8_evaluation.hpp"
#include "physiolite/stream/ecg_stream.hpp"
#include "physiolite/train/evaluation.hpp"
#include "physiolite/train/model_input.hpp"
#include "physiolite/train/prediction_csv.hpp"

namespace physiolite::cli {
namespace {

namespace fs = std::filesystem;

struct PredictArgs {
  std::string run;
  std::string checkpoint;
  std::string int8;
  std::string input;
  std::string output;
  bool causal = false;
};

bool is_hdf5(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".h5" || ext == ".hdf5";
}

// The windows exactly as the model was trained on (every dataset option of its config).
data::MitBihOptions record_options(const train::TrainedModel& model) {
  data::MitBihOptions options =
      data::mitbih_options_from_json(model.config.data.benchmark_options, {});
  options.first_signal_if_lead_missing = true;
  return options;
}

// Beats of `record` (its .atr, else the QRS detector) and their windows made with `options`;
// detector beats carry the sample that reported them (for the causal windows).
data::WindowSet beat_windows(const std::string& dataset, const fs::path& record,
                             const data::MitBihOptions& options, std::vector<int64_t>& beats,
                             std::vector<std::string>& annotated) {
  if (dataset != "mitbih") {
    throw UsageError(
        fmt::format("{}: a WFDB record needs a model trained on MIT-BIH beats (this one: {})",
                    record.string(), dataset));
  }
  std::vector<int64_t> known_at;
  if (fs::exists(record.string() + ".atr")) {
    beats = data::annotated_beats(record);
    annotated = data::annotated_beat_classes(record);
    std::cerr << fmt::format("{} beats from {}.atr\n", beats.size(), record.string());
  } else {
    io::WfdbRecord rec = io::read_wfdb_record(record);
    // at the R peak, as plrt_ecg puts them (`stream` reports the same samples)
    data::DeviceBeats found =
        data::device_beats(rec.physical(std::max(0, rec.find_signal(options.lead))).samples,
                           rec.header.fs_hz, options);
    beats = std::move(found.samples);
    known_at = std::move(found.known_at);
    std::cerr << fmt::format("{} beats from the QRS detector (no {}.atr)\n", beats.size(),
                             record.string());
  }
  return data::build_beat_windows(record, beats, options, known_at);
}

data::WindowSet record_windows(const train::TrainedModel& model, const fs::path& record,
                               std::vector<int64_t>& beats, std::vector<std::string>& annotated,
                               bool causal) {
  data::MitBihOptions options = record_options(model);
  options.causal = options.causal || causal;
  return beat_windows(model.config.data.dataset, record, options, beats, annotated);
}

// Beside the input (never silently in the current directory): <input>[.<plq stem>].predictions.csv.
fs::path output_path(const PredictArgs& args, const fs::path& input) {
  if (!args.output.empty()) return args.output;
  std::string suffix = ".predictions.csv";
  if (!args.int8.empty()) suffix = "." + fs::path(args.int8).stem().string() + suffix;
  return input.string() + suffix;
}

// Predicted counts per class on stdout, against the reference labels when there are any (a
// record's .atr, an HDF5 file's single labels).
void print_summary(const PredictArgs& args, const fs::path& input, bool hdf5,
                   const data::WindowSet& windows, const std::vector<float>& probabilities,
                   int64_t k, const std::vector<std::string>& class_names,
                   std::vector<std::string> annotated) {
  const int64_t n = windows.n;
  if (hdf5 && static_cast<int64_t>(windows.labels.size()) == n) {
    for (int64_t l : windows.labels) {
      annotated.push_back(l >= 0 && l < k ? class_names[static_cast<size_t>(l)]
                                          : fmt::format("label {}", l));
    }
  }
  std::vector<int> labels(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const float* row = probabilities.data() + i * k;
    labels[static_cast<size_t>(i)] = static_cast<int>(std::max_element(row, row + k) - row);
  }
  std::cout << fmt::format(
                   "{} ({}{})\n", input.string(),
                   args.int8.empty() ? "float model" : "int8 model " + args.int8 + ", C runtime",
                   annotated.empty() ? ""
                   : hdf5            ? "; reference: the file's labels"
                                     : "; reference: the .atr beat labels")
            << eval::format_beat_summary(eval::summarize_beats(annotated, labels, class_names));
}

// --int8: the .plq in the C runtime, the preprocessing from its run's config.json.
void run_predict_int8(const PredictArgs& args, const fs::path& input, bool hdf5) {
  if (!args.checkpoint.empty()) throw UsageError("--int8 takes --run DIR, not --checkpoint");
  const fs::path config_path = stream::find_run_config(args.int8, args.run);
  const nlohmann::json config = read_json_file(config_path, "config");
  if (!config.is_object() || !config.contains("data") || !config.contains("model")) {
    throw InputError(InputLocation::file(config_path.string()), "config",
                     "a run's config.json with data and model sections", "something else");
  }
  const arch::ModelConfig model_config = train::model_config_from_json(config["model"]);
  const qgraph::RuntimeModel runtime = qgraph::RuntimeModel::load(args.int8);
  std::vector<int64_t> beats;
  std::vector<std::string> annotated;
  data::WindowSet windows;
  if (hdf5) {
    windows = data::read_hdf5_windows(input);
  } else {
    data::MitBihOptions options = data::mitbih_options_from_json(config["data"], shared_data_dir());
    options.first_signal_if_lead_missing = true;
    options.causal = options.causal || args.causal;
    windows = beat_windows(config["data"].value("dataset", ""), input, options, beats, annotated);
  }
  if (windows.multi_label()) {
    throw UsageError(
        fmt::format("{}: multi-label windows; --int8 predicts single labels", input.string()));
  }
  train::check_windows_fit(model_config, windows, input.string());
  const train::InputAssembler assembler(model_config, windows.c, windows.side_dim);
  const torch::Tensor codes =
      quant::runtime_outputs(runtime, windows, assembler, PLRT_KERNELS_OPTIMIZED).contiguous();
  const int64_t k = runtime.num_classes();
  const float scale = plrt_output_scale(&runtime.model());
  const int32_t zero = plrt_output_zero_point(&runtime.model());
  std::vector<int8_t> logits(static_cast<size_t>(codes.numel()));
  std::vector<float> probabilities(logits.size());
  const int64_t* c = codes.data_ptr<int64_t>();
  for (int64_t i = 0; i < windows.n; ++i) {  // softmax of the dequantised logits
    float top = -INFINITY, sum = 0;
    for (int64_t j = 0; j < k; ++j) {
      logits[static_cast<size_t>(i * k + j)] = static_cast<int8_t>(c[i * k + j]);
      top = std::max(top, scale * static_cast<float>(c[i * k + j] - zero));
    }
    for (int64_t j = 0; j < k; ++j) {
      const float e = std::exp(scale * static_cast<float>(c[i * k + j] - zero) - top);
      probabilities[static_cast<size_t>(i * k + j)] = e;
      sum += e;
    }
    for (int64_t j = 0; j < k; ++j) probabilities[static_cast<size_t>(i * k + j)] /= sum;
  }
  std::vector<std::string> names = windows.class_names;
  names.resize(static_cast<size_t>(k));
  for (int64_t j = 0; j < k; ++j) {
    if (names[static_cast<size_t>(j)].empty()) names[static_cast<size_t>(j)] = std::to_string(j);
  }
  const fs::path output = output_path(args, input);
  train::PredictionTable table{.probabilities = probabilities,
                               .k = k,
                               .class_names = names,
                               .multi_label = false,
                               .threshold = 0.5,
                               .beat_samples = {},
                               .logits = logits};
  if (!hdf5) table.beat_samples = beats;
  write_file_atomically(output,
                        [&](std::ostream& out) { train::write_prediction_csv(out, table); });
  std::cerr << fmt::format("{} rows -> {}\n", windows.n, output.string());
  print_summary(args, input, hdf5, windows, probabilities, k, names, annotated);
}

void run_predict(const PredictArgs& args) {
  if (!args.int8.empty()) {
    fs::path input = args.input;
    if (!is_hdf5(input) && input.extension() == ".hea") input.replace_extension();
    run_predict_int8(args, input, is_hdf5(input));
    return;
  }
  if (args.run.empty() == args.checkpoint.empty()) {
    throw UsageError("give exactly one of --run DIR and --checkpoint FILE");
  }
  const fs::path checkpoint =
      args.run.empty() ? fs::path(args.checkpoint) : fs::path(args.run) / "best.pt";
  train::TrainedModel model = train::load_trained_model(checkpoint, shared_data_dir());
  fs::path input = args.input;
  const bool hdf5 = is_hdf5(input);
  if (!hdf5 && input.extension() == ".hea") input.replace_extension();
  std::vector<int64_t> beats;
  std::vector<std::string> annotated;
  data::WindowSet windows = hdf5 ? data::read_hdf5_windows(input)
                                 : record_windows(model, input, beats, annotated, args.causal);
  const train::Predictions p = train::predict_windows(model, windows, input.string());
  const fs::path output = output_path(args, input);
  train::PredictionTable table{.probabilities = p.probabilities,
                               .k = p.k,
                               .class_names = train::class_names(model),
                               .multi_label = model.loss.multi_label,
                               .threshold = model.config.data.hdf5.threshold,
                               .beat_samples = {},
                               .logits = {}};
  if (!hdf5) table.beat_samples = beats;
  write_file_atomically(output,
                        [&](std::ostream& out) { train::write_prediction_csv(out, table); });
  std::cerr << fmt::format("{} rows -> {}\n", p.n, output.string());
  if (!model.loss.multi_label) {
    print_summary(args, input, hdf5, windows, p.probabilities, p.k, table.class_names, annotated);
  }
}

const bool registered = register_command(52, [](CLI::App& app) {
  auto* sub = app.add_subcommand("predict", "Labels and class probabilities per beat or window");
  auto args = std::make_shared<PredictArgs>();
  sub->add_option("--run", args->run, "Run directory (its best.pt)");
  sub->add_option("--checkpoint", args->checkpoint, "A checkpoint file");
  sub->add_option("--int8", args->int8,
                  "An int8 model (.plq), run in the C runtime; its run's config.json is found "
                  "next to it or given by --run");
  sub->add_flag("--causal", args->causal,
                "Windows as the device makes them (causal filter, running estimates)");
  sub->add_option("input", args->input, "WFDB record (path without extension) or HDF5 windows")
      ->required();
  sub->add_option("--output", args->output,
                  "CSV file (default: beside the input, <input>.predictions.csv, or "
                  "<input>.<plq name>.predictions.csv with --int8)");
  set_examples(sub, {"predict --run models/mitbih-wavelet-seed1 --int8 "
                     "models/mitbih-wavelet-seed1/int8/max78000-qat.plq ../shared/data/mitdb/100 "
                     "--output 100.csv"});
  sub->callback([args] { run_predict(*args); });
});

}  // namespace
}  // namespace physiolite::cli
