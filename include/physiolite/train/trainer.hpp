// The training loop: AdamW, warm-up + cosine per step, CE/BCE (+ KD), gradient clipping,
// validation every epoch, best checkpoint by train.select_metric, early stopping, exact resume.
//
// Run directory: config.json (resolved config), log.jsonl (one record per epoch), last.pt (every
// epoch), best.pt (on improvement), and after the last epoch the report files of the best
// checkpoint on validation and test (metrics.json, confusion matrix and curves, report.md).
#pragma once

#include <filesystem>
#include <string>

#include "physiolite/train/train_config.hpp"

namespace physiolite::train {

struct TrainRunOptions {
  std::filesystem::path data_dir;  // shared recordings (benchmarks)
  bool resume = false;             // continue from <run_dir>/last.pt if there is one (else start)
  bool force = false;              // start over in a non-empty run directory
  // Stop after this many epochs of this process (0 = run to the end). Simulates an interruption
  // for tests; the schedule still spans train.epochs.
  int stop_after_epochs = 0;
  bool final_report = true;  // evaluate best.pt on validation and test after the last epoch
};

struct TrainResult {
  int epochs_done = 0;  // completed epochs, counting those before a resume
  int best_epoch = 0;   // 1-based
  double best_metric = 0;
  bool finished = false;  // all epochs run or stopped early (not interrupted)
};

// UsageError/InputError before anything is written when the config, data or run directory
// does not fit.
TrainResult run_training(const TrainConfig& config, const TrainRunOptions& options);

}  // namespace physiolite::train
