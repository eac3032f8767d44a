// What the trainer, checkpoints and inference need of a network, whichever model.type built it:
// the PhysioLite student (physiolite_net.hpp) or the Transformer teacher (transformer_net.hpp).
// Both take the same assembled input [B, C, T] (train::InputAssembler: signal, side inputs,
// positional channels) and return logits [B, K], so one training loop serves both.
#pragma once

#include <torch/torch.h>

#include <memory>

#include "physiolite/arch/model_config.hpp"

namespace physiolite::model {

class NetImpl : public torch::nn::Module {
 public:
  // x: [B, C, T] with C = raw_channels + 2 * pos_freqs; returns [B, num_classes].
  virtual torch::Tensor forward(torch::Tensor x) = 0;
  virtual const arch::ModelConfig& options() const = 0;
};

using Net = std::shared_ptr<NetImpl>;

// The network of config.type ("physiolite" or "transformer"), freshly initialised from torch's
// generator. UsageError naming the key for an invalid config.
Net make_net(const arch::ModelConfig& config);

}  // namespace physiolite::model
