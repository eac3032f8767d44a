// The smallest PhysioLite network the checkpoint and weight-averaging tests build: one input
// channel of 16 samples, one bank branch of 4 channels, one block of embed_dim channels.
#pragma once

#include "physiolite/arch/model_config.hpp"

namespace physiolite::testing {

inline arch::ModelConfig tiny_net_config(int embed_dim = 8) {
  arch::ModelConfig c;
  c.raw_channels = 1;
  c.input_length = 16;
  c.num_classes = 2;
  c.pos_freqs = 1;
  c.bank_channels = 4;
  c.kernel_set = {3};
  c.embed_dim = embed_dim;
  c.depth = 1;
  c.front_pool = c.patch_pool = c.post_pool = 2;
  return c;
}

}  // namespace physiolite::testing
