// A trained model to an int8 graph: calibration on a seeded subset of the training windows,
// parameters per scheme, optionally quantisation-aware fine-tuning, the graph (docs/
// quantization.md). What `physiolite quantize` calls.
#pragma once

#include <nlohmann/json.hpp>

#include "physiolite/qgraph/graph.hpp"
#include "physiolite/quant/calibration.hpp"
#include "physiolite/quant/graph_builder.hpp"
#include "physiolite/train/evaluation.hpp"

namespace physiolite::quant {

struct QatOptions {
  int epochs = 0;          // 0: post-training quantisation only
  double lr_factor = 0.1;  // fine-tuning lr = train.lr * lr_factor (cosine to 0, no warm-up)
  // "frozen": the calibrated ranges throughout (keeps a percentile calibration's clipping);
  // "ema": every tensor's range follows a moving average of the batches' min and max.
  std::string ranges = "frozen";
  void validate() const;  // UsageError naming --qat / --qat-lr-factor
};

struct QuantizeOptions {
  qgraph::Scheme scheme = qgraph::Scheme::kMax78000;
  CalibrationOptions calibration;
  bool pool_round_half_up = false;  // MAX78000 only
  bool pool_truncate = false;       // MAX78000 only: the chip's 1-D average (the CLI's default)
  QatOptions qat;
  void validate() const;  // UsageError naming the CLI flag
};

// The calibration the shipped int8 models were made with, chosen on validation macro-F1 among
// min/max and the 99.5th, 99.9th and 99.99th percentiles (docs/quantization.md): percentile
// ranges, P = 99.99 for MIT-BIH on the MAX78000 (its power-of-two scales round every range up
// by up to 2x, so it keeps more of the tails) and P = 99.9 otherwise. Min/max loses 5.8 points
// of validation macro-F1 on MAX78000 MIT-BIH. `dataset` is the config's data.dataset.
CalibrationOptions recipe_calibration(const std::string& dataset, qgraph::Scheme scheme);

struct QuantizeResult {
  qgraph::Graph graph;
  Calibration calibration;  // the ranges `graph` was built from (after QAT: the tracked ones)
  // QAT: one record per epoch (epoch 0 = the post-training graph) with the int8 graph's
  // validation loss, accuracy and scored macro-F1; the selected epoch's weights built `graph`.
  nlohmann::json qat_history = nlohmann::json::array();
  int selected_epoch = 0;
};

// Fine-tunes `model.net` in place when options.qat.epochs > 0 (left at the selected epoch's
// weights). `train` gives the calibration windows and the fine-tuning data, `validation` the
// selection (never the test split).
QuantizeResult quantize_model(train::TrainedModel& model, const data::WindowSet& train,
                              const data::WindowSet& validation, const QuantizeOptions& options);

}  // namespace physiolite::quant
