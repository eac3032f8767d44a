// Exponential moving average of a model's weights (train.ema_decay): a <- d a + (1 - d) w after
// every optimizer step. Averaging the weights along the end of a run smooths out the last steps'
// noise, which on a few hundred ectopic beats per class moves the scores from seed to seed.
#pragma once

#include <cstdint>

#include "physiolite/model/physiolite_net.hpp"

namespace physiolite::train {

// The decay used after step `step` (0-based): min(decay, (1 + step) / (10 + step)), so that the
// first steps' (random) weights are forgotten quickly, as TensorFlow's ExponentialMovingAverage
// does with num_updates.
double warmed_up_decay(double decay, int64_t step);

// to <- from, parameter by parameter (two models of one config).
void copy_weights(torch::nn::Module& from, torch::nn::Module& to);
inline void copy_weights(model::PhysioLiteNet& from, model::PhysioLiteNet& to) {
  copy_weights(*from, *to);
}

// average <- d average + (1 - d) model, with d = warmed_up_decay(decay, step).
void update_weight_average(torch::nn::Module& average, torch::nn::Module& model, double decay,
                           int64_t step);
inline void update_weight_average(model::PhysioLiteNet& average, model::PhysioLiteNet& model,
                                  double decay, int64_t step) {
  update_weight_average(*average, *model, decay, step);
}

}  // namespace physiolite::train
