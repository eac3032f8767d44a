// Quantisation-aware fine-tuning: the float model trained through the fake-quantised forward
// (fake_quant.hpp; ranges frozen from calibration or tracked) with the run's own data, sampler,
// loss and AdamW at a small learning rate; after every epoch the integer graph of the current
// weights and ranges is scored on the validation split and the best epoch kept (by the scored
// macro-F1; epoch 0 is the post-training graph).
#pragma once

#include <nlohmann/json.hpp>

#include "physiolite/quant/graph_builder.hpp"
#include "physiolite/quant/quantizer.hpp"

namespace physiolite::quant {

struct QatOutcome {
  nlohmann::json history = nlohmann::json::array();
  int selected_epoch = 0;
  Calibration ranges;  // the selected epoch's (the model holds its weights)
};

QatOutcome fine_tune_qat(train::TrainedModel& model, const std::vector<Node>& plan,
                         const Calibration& calibration, const BuildOptions& build,
                         const data::WindowSet& train, const data::WindowSet& validation,
                         const QatOptions& options);

}  // namespace physiolite::quant
