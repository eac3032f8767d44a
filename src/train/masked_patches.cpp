#include "physiolite/train/masked_patches.hpp"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "physiolite/train/batch_producer.hpp"

namespace physiolite::train {

MaskedPatchObjective::MaskedPatchObjective(model::TransformerNetImpl& net, int64_t signal_channels,
                                           double mask_ratio)
    : net_(net),
      signal_channels_(signal_channels),
      patches_(net.num_tokens()),
      patch_size_(net.options().patch_size) {
  masked_ =
      std::clamp<int64_t>(std::llround(mask_ratio * static_cast<double>(patches_)), 1, patches_);
  const int64_t width = net.options().embed_dim;
  auto head = net.register_module("pretrain", std::make_shared<torch::nn::Module>());
  // As the class token: N(0, 0.02^2), small against the stem's outputs.
  mask_token_ = head->register_parameter("mask_token", torch::randn({width}) * 0.02);
  decoder_ = head->register_module(
      "decoder", torch::nn::Linear(torch::nn::LinearOptions(width, signal_channels * patch_size_)));
}

torch::Tensor MaskedPatchObjective::draw_mask(int64_t batch, const at::Generator& generator) const {
  const torch::Tensor order =
      torch::rand({batch, patches_}, generator, torch::TensorOptions(torch::kFloat32))
          .argsort(int64_t{1}, false);
  return torch::zeros({batch, patches_}, torch::kBool)
      .scatter_(1, order.narrow(1, 0, masked_), true);
}

torch::Tensor MaskedPatchObjective::loss(const torch::Tensor& inputs,
                                         const torch::Tensor& masked) const {
  const int64_t b = inputs.size(0), s = signal_channels_;
  const torch::Tensor signal = inputs.narrow(1, 0, s);
  // [B, S, N * p] -> [B, N, S * p]: each patch's samples, channel by channel.
  torch::Tensor target = signal.narrow(2, 0, patches_ * patch_size_)
                             .reshape({b, s, patches_, patch_size_})
                             .permute({0, 2, 1, 3})
                             .reshape({b, patches_, s * patch_size_});
  const torch::Tensor centred = target - target.mean(-1, true);
  target = centred / torch::sqrt(centred.pow(2).mean(-1, true) + 1e-6);

  const torch::Tensor hidden = masked.repeat_interleave(patch_size_, 1).unsqueeze(1);  // [B, 1, T']
  torch::Tensor cut = signal.narrow(2, 0, patches_ * patch_size_).masked_fill(hidden, 0.0);
  if (cut.size(2) < signal.size(2)) {
    cut = torch::cat({cut, signal.narrow(2, cut.size(2), signal.size(2) - cut.size(2))}, 2);
  }
  const torch::Tensor x = torch::cat({cut, inputs.narrow(1, s, inputs.size(1) - s)}, 1);
  const torch::Tensor tokens = net_.encode(x, masked, mask_token_).narrow(1, 1, patches_);
  const torch::Tensor predicted = decoder_->forward(net_.final_norm(tokens));
  return (predicted.index({masked}) - target.index({masked})).pow(2).mean();
}

double masked_patch_loss(const MaskedPatchObjective& objective, model::NetImpl& net,
                         const data::WindowSet& set, const InputAssembler& assembler,
                         int64_t batch_size, uint64_t seed) {
  const bool was_training = net.is_training();
  net.eval();
  torch::NoGradGuard no_grad;
  at::Generator generator = at::detail::createCPUGenerator(seed);
  std::vector<int64_t> order(static_cast<size_t>(set.n));
  std::iota(order.begin(), order.end(), int64_t{0});
  BatchProducer producer(set, assembler, std::move(order), batch_size, false);
  double sum = 0;
  while (auto batch = producer.next()) {
    const torch::Tensor masked = objective.draw_mask(batch->inputs.size(0), generator);
    sum += objective.loss(batch->inputs, masked).item<double>() *
           static_cast<double>(batch->inputs.size(0));
  }
  if (was_training) net.train();
  return set.n > 0 ? sum / static_cast<double>(set.n) : 0.0;
}

}  // namespace physiolite::train
