// The training loop: AdamW, warm-up + cosine per step, CE/BCE (+ KD), gradient clipping,
// validation every epoch, best checkpoint by train.select_metric, early stopping, exact resume.
//
// Run directory: config.json (resolved config), log.jsonl (one record per epoch), last.pt (every
// epoch), best.pt (on improvement), and after the last epoch the report files of the best
// checkpoint on validation and test (metrics.json, confusion matrix and curves, report.md).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "physiolite/core/progress.hpp"
#include "physiolite/train/batch_producer.hpp"
#include "physiolite/train/losses.hpp"

#include "physiolite/train/train_config.hpp"

namespace physiolite::dist {
class ProcessGroup;
class GradientReducer;
}  // namespace physiolite::dist

namespace physiolite::train {

struct TrainRunOptions {
  std::filesystem::path data_dir;  // shared recordings (benchmarks)
  bool resume = false;             // continue from <run_dir>/last.pt if there is one (else start)
  bool force = false;              // start over in a non-empty run directory
  // Stop after this many epochs of this process (0 = run to the end). Simulates an interruption
  // for tests; the schedule still spans train.epochs.
  int stop_after_epochs = 0;
  bool final_report = true;  // evaluate best.pt on validation and test after the last epoch
  // A data-parallel run (dist/): this process is one rank of `group`. train.batch_size is the
  // batch of all ranks together (each trains on batch_size / world_size windows of it), so a
  // config means the same run whatever the number of processes; only rank 0 writes the run
  // directory. Null: a single process.
  dist::ProcessGroup* group = nullptr;
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

// One epoch of optimiser steps, the loop that training and quantisation-aware fine-tuning
// (quant/qat) share: per batch the rate is set, gradients zeroed, the loss of `forward`'s logits
// computed (an Error naming `lower_hint` when it is not finite), back-propagated, the gradient
// norm clipped to `grad_clip` (0 = off), the optimiser stepped, `after_step` called (the weight
// average), and `step` counted.
struct EpochLoop {
  torch::optim::Optimizer* optimizer = nullptr;
  std::vector<torch::Tensor> parameters;     // what is clipped
  std::function<double(int64_t step)> rate;  // learning rate at a global step
  std::function<torch::Tensor(const torch::Tensor& inputs)> forward;  // the logits
  LossOptions loss;
  double grad_clip = 0;
  std::function<void(int64_t step)> after_step;  // may be empty
  std::string what;                              // in the error: "training" or "QAT"
  std::string lower_hint;                        // in the error: what to lower ("train.lr")
  // Data-parallel runs: averages the gradients over the ranks after backward (the loss checked
  // and returned is then the mean over all ranks), weighing this rank's batches by their rows,
  // except the last one by `last_batch_rows` (0: padding) when >= 0.
  dist::GradientReducer* reducer = nullptr;
  int64_t last_batch_rows = -1;
  // When set, the loss itself, instead of `loss` of forward's logits (masked-patch pre-training).
  std::function<torch::Tensor(const torch::Tensor& inputs)> objective = nullptr;
};

// Runs every batch of `producer`, ticking `bar`; returns the mean loss (0 without batches).
double run_epoch(const EpochLoop& loop, BatchProducer& producer, ProgressBar& bar, int64_t& step);

}  // namespace physiolite::train
