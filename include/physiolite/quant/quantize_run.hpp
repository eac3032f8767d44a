// `physiolite quantize` without its argument parsing: a trained run's checkpoint to an int8
// model file. Loads the checkpoint and its data, scores the float model on validation and test,
// quantises (calibration, PTQ, optional QAT: quantize_model), scores the int8 graph on the same
// windows, and writes FILE.plq, FILE.plq.json (the summary below), the run's report's int8
// section (when the model went into the run) and, when asked, the model as C source for
// runtime/examples/classify.c. Errors are UsageError naming the CLI flag or InputError naming the
// file; everything is checked before the first file is written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "physiolite/qgraph/graph.hpp"
#include "physiolite/quant/quantizer.hpp"
#include "physiolite/train/evaluation.hpp"

namespace physiolite::quant {

struct QuantizeRunOptions {
  std::filesystem::path run;        // a run directory written by train
  std::string checkpoint = "best";  // best, last (run/<name>.pt) or a checkpoint file
  qgraph::Scheme scheme = qgraph::Scheme::kMax78000;
  std::string calibration;  // minmax or percentile; empty: recipe_calibration's
  double percentile = 0;    // 0: the recipe's
  int64_t calibration_windows = 2048;
  // MAX78000 average pools: truncate (the chip's), floor or half-up; TFLite ignores it.
  std::string pool_rounding = "truncate";
  QatOptions qat;
  std::filesystem::path output;    // FILE.plq (its folder is created)
  std::filesystem::path c_array;   // empty: no C source; else the folder (created)
  std::string c_name;              // empty: output's stem as a C identifier
  std::filesystem::path data_dir;  // where the run's dataset is found (shared_data_dir())
};

struct SplitScores {
  train::SplitEvaluation fp, q;  // the float model, the int8 graph, on the same windows
};

struct QuantizeRunResult {
  qgraph::Graph graph;
  std::vector<SplitScores> scores;             // validation, then test when the run has one
  nlohmann::json summary;                      // what FILE.plq.json holds
  std::string text;                            // the human summary: files, score table, sizes
  bool report_updated = false;                 // run/report.md got its int8 section
  std::vector<std::filesystem::path> c_files;  // NAME.h, NAME.c when c_array was given
};

QuantizeRunResult quantize_run(const QuantizeRunOptions& options);

// Float vs int8 accuracy and macro-F1 per split, then per-class F1 (the text's table).
std::string comparison_table(const std::vector<SplitScores>& splits);

}  // namespace physiolite::quant
