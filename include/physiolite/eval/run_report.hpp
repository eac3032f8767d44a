// The files a finished training run leaves for people: metrics, figures and a Markdown report.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "physiolite/eval/metrics.hpp"

namespace physiolite::eval {

// One epoch of training, as the trainer logs it. NaN = not measured (e.g. no validation set).
struct EpochRecord {
  int epoch = 0;  // 1-based
  double train_loss = std::numeric_limits<double>::quiet_NaN();
  double val_loss = std::numeric_limits<double>::quiet_NaN();
  std::string val_metric_name;  // e.g. "macro_f1"; the same every epoch
  double val_metric = std::numeric_limits<double>::quiet_NaN();
  double lr = std::numeric_limits<double>::quiet_NaN();
  double seconds = 0;  // wall time of the epoch, validation included
};

struct RunReportInput {
  std::string run_name;
  nlohmann::json config;  // the resolved configuration (what config.json holds)
  std::vector<EpochRecord> history;
  int best_epoch = 0;  // EpochRecord::epoch of the kept weights; 0 = none selected
  std::optional<ClassificationReport> validation, test;  // of the kept weights
  int64_t parameter_count = 0;
  std::vector<std::string> dataset_description;  // one line each: source, split, counts, ...
  // Merged into metrics.json's top level (e.g. {"test": {"scored_macro_f1": ...}}: objects are
  // merged key by key, so a split's extra fields land next to its report).
  nlohmann::json extra_metrics = nlohmann::json::object();
};

// Writes into `run_dir` (which must exist), each file atomically:
//   metrics.json        {"run_name", "best_epoch", "parameter_count", "history": [...],
//                        "validation": to_json(report), "test": ...} (absent reports omitted)
//   confusion_val.svg, confusion_test.svg   single-label reports only
//   curves.svg          train and validation loss per epoch
//   metric.svg          the validation metric per epoch
//   report.md           what was trained, per-class Se / +P / F1, averages, confusion matrices
//                       as Markdown tables, and links to the figures
void write_run_report(const std::filesystem::path& run_dir, const RunReportInput& input);

// The "## int8 models" section of a run's report.md: one row per `*.plq.json` that
// `physiolite quantize` wrote in the run directory or its int8/ folder (file, scheme,
// calibration, QAT epochs kept, float and int8 scored macro-F1 on validation and test, weight
// and arena bytes), linking each model file. Replaces the section (or adds it before
// "## Configuration"), atomically; nothing happens without a report.md. Returns the rows.
int update_int8_report_section(const std::filesystem::path& run_dir);

}  // namespace physiolite::eval
