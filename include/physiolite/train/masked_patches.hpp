// Self-supervised pre-training of the Transformer teacher (train.objective = "masked_patches"):
// masked-patch reconstruction on the training windows' signal, labels unused.
//
// Per window, round(train.mask_ratio * N) of the N patches are drawn (at least one). Their signal
// samples are zeroed before the stem, so that the stem's 7-tap convolution cannot read them from
// a neighbouring patch, and their tokens are replaced by a learned mask token. A linear decoder
// maps each masked patch's output token (after the encoder's final LayerNorm) to the patch's
// S x patch_size signal samples (S = the window's signal channels; the side inputs and positional
// channels are left in place and not reconstructed). The target is the patch's samples
// normalised over the patch (minus their mean, over sqrt(variance + 1e-6)), so predicting zero
// costs exactly 1 per patch whatever the amplitude; the loss is the mean squared error over the
// masked patches' samples (masked autoencoders, He et al. 2022, with a one-layer decoder).
//
// The mask token and the decoder are a child module "pretrain" of the network: checkpoints save
// and resume them with it, and train.init, which starts a classifier from a pre-training run,
// loads every weight but them and the classifier head.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>

#include "physiolite/data/window_set.hpp"
#include "physiolite/model/transformer_net.hpp"
#include "physiolite/train/model_input.hpp"

namespace physiolite::train {

class MaskedPatchObjective {
 public:
  // Registers "pretrain" on `net`, which must outlive this object.
  MaskedPatchObjective(model::TransformerNetImpl& net, int64_t signal_channels, double mask_ratio);

  int64_t masked_per_window() const { return masked_; }
  // [batch, N] bool, exactly masked_per_window() true per row, drawn from `generator` (LibTorch's
  // default one when undefined).
  torch::Tensor draw_mask(int64_t batch, const at::Generator& generator = {}) const;
  // The mean squared error of one batch of assembled inputs [B, C, T] under `masked` [B, N].
  torch::Tensor loss(const torch::Tensor& inputs, const torch::Tensor& masked) const;
  torch::Tensor loss(const torch::Tensor& inputs) const {
    return loss(inputs, draw_mask(inputs.size(0)));
  }

 private:
  model::TransformerNetImpl& net_;
  int64_t signal_channels_, patches_, patch_size_, masked_;
  torch::Tensor mask_token_;
  std::shared_ptr<torch::nn::LinearImpl> decoder_;  // a pointer: forward is not const
};

// The mean loss over every window of `set` (network in eval mode), with masks drawn from a
// generator seeded with `seed`: the same masks at every epoch, so that epochs compare.
double masked_patch_loss(const MaskedPatchObjective& objective, model::NetImpl& net,
                         const data::WindowSet& set, const InputAssembler& assembler,
                         int64_t batch_size, uint64_t seed);

}  // namespace physiolite::train
