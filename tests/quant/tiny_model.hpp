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
  TinyNet t;
  t.input_length = 64;
  t.pos_freqs = 2;
  t.kernel_set = {3, 5, 7};
  t.embed_dim = 32;
  t.depth = 2;
  t.bank_init = "random";
  return tiny_net_config(t);
}

inline model::PhysioLiteNet tiny_model(uint64_t seed = 3) {
  torch::manual_seed(seed);
  model::PhysioLiteNet net(tiny_model_config());
  net->eval();
  return net;
}

}  // namespace physiolite::testing
