// physiolite predict (--run DIR | --checkpoint FILE) [--int8 FILE.plq] <record | file.h5>
//                    [--output FILE.csv]
//
// A WFDB record: one row per beat (beats from its .atr when there is one, else from the QRS
// detector), windows made as the MIT-BIH dataset makes them. An HDF5 windows file: one row per
// window. Columns: index, sample (or window), label, then one probability per class. With
// --int8 the C runtime runs the int8 model instead of the float checkpoint. The predicted counts
// per class are printed, and for a record with an .atr, the table against its annotations.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/beat_windows.hpp"
#include "physiolite/data/benchmark.hpp"
#include "physiolite/data/hdf5_windows.hpp"
#include "physiolite/eval/beat_summary.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "physiolite/qgraph/runtime_model.hpp"
#include "physiolite/quant/int8_evaluation.hpp"
#include "physiolite/stream/qrs_detector.hpp"
#include "physiolite/train/evaluation.hpp"
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

data::WindowSet record_windows(const train::TrainedModel& model, const fs::path& record,
                               std::vector<int64_t>& beats, std::vector<std::string>& annotated) {
  if (model.config.data.dataset != "mitbih") {
    throw UsageError(
        fmt::format("{}: a WFDB record needs a model trained on MIT-BIH beats (this one: {})",
                    record.string(), model.config.data.dataset));
  }
  if (fs::exists(record.string() + ".atr")) {
    beats = data::annotated_beats(record);
    annotated = data::annotated_beat_classes(record);
    std::cerr << fmt::format("{} beats from {}.atr\n", beats.size(), record.string());
  } else {
    io::WfdbRecord rec = io::read_wfdb_record(record);
    const data::MitBihOptions o = record_options(model);
    int lead = std::max(0, rec.find_signal(o.lead));
    for (const auto& b : stream::detect_qrs(rec.physical(lead)).beats) beats.push_back(b.sample);
    std::cerr << fmt::format("{} beats from the QRS detector (no {}.atr)\n", beats.size(),
                             record.string());
  }
  return data::build_beat_windows(record, beats, record_options(model));
}

void run_predict(const PredictArgs& args) {
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
  data::WindowSet windows =
      hdf5 ? data::read_hdf5_windows(input) : record_windows(model, input, beats, annotated);
  train::Predictions p;
  std::string suffix = ".predictions.csv";
  if (args.int8.empty()) {
    p = train::predict_windows(model, windows, input.string());
  } else {
    const fs::path file = args.int8;
    const qgraph::RuntimeModel runtime = qgraph::RuntimeModel::load(file);
    p = quant::predict_int8(runtime, qgraph::read_plq(file), model, windows, file.string());
    suffix = "." + file.stem().string() + suffix;
  }
  // Beside the input (never silently in the current directory), named after the int8 file.
  const fs::path output =
      args.output.empty() ? fs::path(input.string() + suffix) : fs::path(args.output);
  train::PredictionTable table{.probabilities = p.probabilities,
                               .k = p.k,
                               .class_names = train::class_names(model),
                               .multi_label = model.loss.multi_label,
                               .threshold = model.config.data.hdf5.threshold,
                               .beat_samples = {}};
  if (!hdf5) table.beat_samples = beats;
  write_file_atomically(output,
                        [&](std::ostream& out) { train::write_prediction_csv(out, table); });
  std::cerr << fmt::format("{} rows -> {}\n", p.n, output.string());
  if (model.loss.multi_label) return;
  // HDF5 windows with one label each: the labels are the reference, as the .atr is for a record.
  if (hdf5 && static_cast<int64_t>(windows.labels.size()) == p.n) {
    for (int64_t l : windows.labels) {
      annotated.push_back(l >= 0 && l < p.k ? table.class_names[static_cast<size_t>(l)]
                                            : fmt::format("label {}", l));
    }
  }
  std::vector<int> labels(static_cast<size_t>(p.n));
  for (int64_t i = 0; i < p.n; ++i) {
    const float* row = p.probabilities.data() + i * p.k;
    labels[static_cast<size_t>(i)] = static_cast<int>(std::max_element(row, row + p.k) - row);
  }
  std::cout << fmt::format("{} ({}{})\n", input.string(),
                           args.int8.empty() ? "float model " + checkpoint.string()
                                             : "int8 model " + args.int8 + ", C runtime",
                           annotated.empty() ? ""
                           : hdf5            ? "; reference: the file's labels"
                                             : "; reference: the .atr beat labels")
            << eval::format_beat_summary(
                   eval::summarize_beats(annotated, labels, table.class_names));
}

const bool registered = register_command(52, [](CLI::App& app) {
  auto* sub = app.add_subcommand("predict", "Labels and class probabilities per beat or window");
  auto args = std::make_shared<PredictArgs>();
  sub->add_option("--run", args->run, "Run directory (its best.pt)");
  sub->add_option("--checkpoint", args->checkpoint, "A checkpoint file");
  sub->add_option("input", args->input, "WFDB record (path without extension) or HDF5 windows")
      ->required();
  sub->add_option("--int8", args->int8,
                  "Classify with this int8 model (.plq of physiolite quantize) in the C runtime");
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
