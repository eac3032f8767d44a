// The one builder of the small PhysioLite networks the model, checkpoint, weight-averaging and
// quantiser tests build (the CLI tests' JSON form is common/tiny_model_config.hpp). Defaults: one
// input channel of 16 samples, one bank branch of 4 channels, one block of 8 channels.
#pragma once

#include <string>
#include <vector>

#include "physiolite/arch/model_config.hpp"

namespace physiolite::testing {

struct TinyNet {
  int input_length = 16;
  int pos_freqs = 1;
  std::vector<int> kernel_set = {3};
  int embed_dim = 8;
  int depth = 1;
  std::string bank_init = "wavelet";
};

inline arch::ModelConfig tiny_net_config(const TinyNet& t) {
  arch::ModelConfig c;
  c.raw_channels = 1;
  c.input_length = t.input_length;
  c.num_classes = 2;
  c.pos_freqs = t.pos_freqs;
  c.bank_channels = 4;
  c.kernel_set = t.kernel_set;
  c.embed_dim = t.embed_dim;
  c.depth = t.depth;
  c.front_pool = c.patch_pool = c.post_pool = 2;
  c.bank_init = t.bank_init;
  return c;
}

inline arch::ModelConfig tiny_net_config(int embed_dim = 8) {
  TinyNet t;
  t.embed_dim = embed_dim;
  return tiny_net_config(t);
}

}  // namespace physiolite::testing
