// A small PhysioLite network (every kind of layer: three bank branches with the stacked RF7, two
// bottlenecks) and windows for it, for the quantiser tests.
#pragma once

#include <torch/torch.h>

#include "physiolite/arch/model_config.hpp"
#include "physiolite/model/physiolite_net.hpp"
#include "train/synthetic_data.hpp"
#include "train/tiny_net_config.hpp"

namespace physiolite::testing {

// Every kind of layer: three bank branches with the stacked RF7, two bottlenecks.
inline arch::ModelConfig tiny_model_config() {
  return tiny_net_config({.input_length = 64,
                          .pos_freqs = 2,
                          .kernel_set = {3, 5, 7},
                          .embed_dim = 32,
                          .depth = 2,
                          .bank_init = "random"});
}

inline model::PhysioLiteNet tiny_model(uint64_t seed = 3) {
  torch::manual_seed(seed);
  model::PhysioLiteNet net(tiny_model_config());
  net->eval();
  return net;
}

}  // namespace physiolite::testing
