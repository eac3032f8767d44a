#include "physiolite/train/weight_average.hpp"

#include <algorithm>

namespace physiolite::train {

double warmed_up_decay(double decay, int64_t step) {
  const auto s = static_cast<double>(step);
  return std::min(decay, (1.0 + s) / (10.0 + s));
}

void copy_weights(torch::nn::Module& from, torch::nn::Module& to) {
  torch::NoGradGuard no_grad;
  auto source = from.parameters();
  auto target = to.parameters();
  for (size_t i = 0; i < source.size(); ++i) target[i].copy_(source[i]);
}

void update_weight_average(torch::nn::Module& average, torch::nn::Module& model, double decay,
                           int64_t step) {
  torch::NoGradGuard no_grad;
  const double d = warmed_up_decay(decay, step);
  auto weights = model.parameters();
  auto averaged = average.parameters();
  for (size_t i = 0; i < weights.size(); ++i) averaged[i].mul_(d).add_(weights[i], 1.0 - d);
}

}  // namespace physiolite::train
