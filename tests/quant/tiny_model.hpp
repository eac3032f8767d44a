// A small PhysioLite network (every kind of layer: three bank branches with the stacked RF7, two
// bottlenecks) and windows for it, for the quantiser tests.
#pragma once

#include <torch/torch.h>

#include "physiolite/arch/model_config.hpp"
#include "physiolite/model/physiolite_net.hpp"
#include "train/synthetic_data.hpp"

namespace physiolite::testing {

inline arch::ModelConfig tiny_model_config() {
  arch::ModelConfig c;
  c.raw_channels = 1;
  c.input_length = 64;
  c.num_classes = 2;
  c.pos_freqs = 2;
  c.bank_channels = 4;
  c.kernel_set = {3, 5, 7};
  c.embed_dim = 32;
  c.depth = 2;
  c.front_pool = 2;
  c.patch_pool = 2;
  c.post_pool = 2;
  c.bank_init = "random";
  return c;
}

inline model::PhysioLiteNet tiny_model(uint64_t seed = 3) {
  torch::manual_seed(seed);
  model::PhysioLiteNet net(tiny_model_config());
  net->eval();
  return net;
}

}  // namespace physiolite::testing
