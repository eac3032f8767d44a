// `physiolite quantize`'s work, from a run directory to the .plq, its summary and C source.
#include "physiolite/quant/quantize_run.hpp"

#include <fmt/format.h>

#include "physiolite/arch/chip_rules.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/eval/run_report.hpp"
#include "physiolite/qgraph/c_array.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "physiolite/quant/int8_evaluation.hpp"
#include "physiolite/train/training_data.hpp"

namespace physiolite::quant {

namespace {

using arch::kMax78000DataBytes;
using arch::kMax78000WeightBytes;
namespace fs = std::filesystem;

fs::path checkpoint_path(const fs::path& run, const std::string& which) {
  if (which == "best" || which == "last") return run / (which + ".pt");
  return which;
}

nlohmann::json metrics_json(const train::SplitEvaluation& e) {
  nlohmann::json j = train::to_json(e);
  j["windows"] = e.windows.n;
  return j;
}

// The option checks that need no file: before the (slow) loading.
QuantizeOptions checked_options(const QuantizeRunOptions& o) {
  if (!fs::is_directory(o.run)) {
    throw UsageError(fmt::format("--run: {} is not a run directory", o.run.string()));
  }
  if (o.pool_rounding != "truncate" && o.pool_rounding != "floor" && o.pool_rounding != "half-up") {
    throw UsageError(fmt::format("--pool-rounding: expected truncate, floor or half-up, got '{}'",
                                 excerpt(o.pool_rounding)));
  }
  if (o.output.has_parent_path() && fs::exists(o.output.parent_path()) &&
      !fs::is_directory(o.output.parent_path())) {
    throw UsageError(fmt::format("-o: {} is not a directory", o.output.parent_path().string()));
  }
  if (!o.c_array.empty() && fs::exists(o.c_array) && !fs::is_directory(o.c_array)) {
    throw UsageError(
        fmt::format("--c-array: {} exists and is not a directory", o.c_array.string()));
  }
  QuantizeOptions options;
  options.scheme = o.scheme;
  options.qat = o.qat;
  options.pool_round_half_up = o.pool_rounding == "half-up";
  // The default, truncate, is the MAX78000's 1-D average (izer's model of the chip); the TFLite
  // scheme has its own rounding and ignores it.
  options.pool_truncate = o.pool_rounding == "truncate" && o.scheme == qgraph::Scheme::kMax78000;
  return options;
}

}  // namespace

std::string comparison_table(const std::vector<SplitScores>& splits) {
  std::string out = fmt::format("{:<12} {:>9} {:>9} {:>11} {:>11} {:>10}\n", "split", "float acc",
                                "int8 acc", "float F1", "int8 F1", "F1 drop");
  for (const SplitScores& s : splits) {
    out += fmt::format("{:<12} {:>9.4f} {:>9.4f} {:>11.4f} {:>11.4f} {:>+10.4f}\n", s.fp.split,
                       s.fp.report.accuracy, s.q.report.accuracy, s.fp.scored_macro_f1,
                       s.q.scored_macro_f1, s.fp.scored_macro_f1 - s.q.scored_macro_f1);
  }
  for (const SplitScores& s : splits) {
    out += fmt::format("per-class F1 ({}, float -> int8):", s.fp.split);
    for (size_t c = 0; c < s.fp.report.classes.size(); ++c) {
      out += fmt::format(" {} {:.3f} -> {:.3f}", s.fp.report.classes[c].name,
                         s.fp.report.classes[c].f1, s.q.report.classes[c].f1);
    }
    out += "\n";
  }
  return out;
}

QuantizeRunResult quantize_run(const QuantizeRunOptions& o) {
  QuantizeOptions options = checked_options(o);
  train::TrainedModel model =
      train::load_trained_model(checkpoint_path(o.run, o.checkpoint), o.data_dir);
  // The shipped recipe's calibration unless the options say otherwise.
  options.calibration = recipe_calibration(model.config.data.dataset, options.scheme);
  if (!o.calibration.empty()) options.calibration.method = o.calibration;
  if (o.percentile != 0) options.calibration.percentile = o.percentile;
  options.calibration.windows = o.calibration_windows;
  options.validate();
  at::set_num_threads(model.config.train.threads);
  at::globalContext().setFlushDenormal(true);
  const train::DataConfig& dc = model.config.data;
  const data::WindowSet train_set = train::load_split(dc, data::Split::kTrain, o.data_dir);
  train::check_windows_fit(model.model_config, train_set,
                           train::split_origin(dc, data::Split::kTrain));

  // Float scores first: QAT changes the model's weights.
  QuantizeRunResult out;
  for (data::Split split : {data::Split::kValidation, data::Split::kTest}) {
    data::WindowSet windows = train::load_split(dc, split, o.data_dir);
    if (windows.n == 0) continue;
    SplitScores s;
    s.fp = train::evaluate_windows(model, std::move(windows), data::split_name(split));
    out.scores.push_back(std::move(s));
  }
  PL_CHECK(!out.scores.empty() && out.scores.front().fp.split == "validation", "validation split");
  QuantizeResult result = quantize_model(model, train_set, out.scores.front().fp.windows, options);
  const train::InputAssembler assembler(model.model_config, train_set.c, train_set.side_dim);
  for (SplitScores& s : out.scores) {
    const torch::Tensor codes = graph_outputs(result.graph, s.fp.windows, assembler);
    s.q = evaluate_codes(result.graph, model, s.fp.windows, s.fp.split, codes);
  }

  const std::vector<uint8_t> bytes = qgraph::serialize_plq(result.graph);
  if (o.output.has_parent_path()) fs::create_directories(o.output.parent_path());
  qgraph::write_plq(result.graph, o.output);
  const qgraph::Graph& g = result.graph;
  out.summary = {{"model", o.output.string()},
                 {"run", o.run.string()},
                 {"checkpoint", model.checkpoint.string()},
                 {"checkpoint_epoch", model.meta.value("epoch", 0)},
                 {"scheme", qgraph::to_string(options.scheme)},
                 {"calibration", to_json(options.calibration)},
                 {"pool_rounding", o.pool_rounding},
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
  for (const SplitScores& s : out.scores) {
    out.summary["float"][s.fp.split] = metrics_json(s.fp);
    out.summary["int8"][s.q.split] = metrics_json(s.q);
  }
  write_file_atomically(o.output.string() + ".json",
                        [&](std::ostream& os) { os << out.summary.dump(2) << "\n"; });
  out.text =
      fmt::format("{} -> {} ({} scheme, {} calibration on {} training windows{})\n",
                  model.checkpoint.string(), o.output.string(), qgraph::to_string(options.scheme),
                  options.calibration.method, result.calibration.windows,
                  options.qat.epochs > 0 ? fmt::format(", QAT {} epochs, selected epoch {}",
                                                       options.qat.epochs, result.selected_epoch)
                                         : "") +
      comparison_table(out.scores) +
      fmt::format(
          "weights {} B ({:.1f} % of the MAX78000's 432 KiB), arena {} B ({:.1f} % of "
          "its 512 KiB data memory), {} MACs per window, file {} B\n",
          g.weight_bytes(), 100.0 * static_cast<double>(g.weight_bytes()) / kMax78000WeightBytes,
          g.arena_size, 100.0 * g.arena_size / kMax78000DataBytes, g.macs(), bytes.size());
  // The run's report lists its int8 models (when the model was written into the run).
  out.report_updated = eval::update_int8_report_section(o.run) > 0;
  if (!o.c_array.empty()) {
    const std::string name =
        o.c_name.empty() ? qgraph::c_identifier(o.output.stem().string()) : o.c_name;
    out.c_files = qgraph::write_c_array(bytes, name, o.c_array, o.output.filename().string());
  }
  out.graph = std::move(result.graph);
  return out;
}

}  // namespace physiolite::quant
