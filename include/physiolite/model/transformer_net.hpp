// The distillation teacher (model.type = "transformer"): a conv stem that cuts the window into
// tokens, a Transformer encoder over them, a classifier on a class token. Not bound by chip rules;
// it only exists to give the student soft targets (train.teacher, docs/teacher.md).
//
//   stem    conv1 [C -> D/2, k 7, same padding] + GELU, then conv2 [D/2 -> D, kernel = stride =
//           patch_size]: N = T / patch_size tokens of width D (through conv1 a patch also sees
//           3 samples either side, so a wave cut by a patch edge is not lost)
//   tokens  [cls, t_1 .. t_N] + a learned position embedding [N + 1, D]
//   layers  depth x pre-norm encoder layer: x += drop(attn(ln1(x))); x += drop(mlp(ln2(x)))
//           attn: qkv = Linear(D, 3D), `heads` heads of D / heads, softmax(q k^T / sqrt(d)) v,
//           proj = Linear(D, D); mlp: Linear(D, r D), GELU, Linear(r D, D)
//   head    LayerNorm, Linear(D, K) on the class token
// Parameters: C * (D/2) * 7 + D/2 + (D/2) * D * p + D + D + (N + 1) D
//             + depth * ((4 + 2r) D^2 + (9 + r) D) + 2D + D K + K.
// The side inputs (RR features) reach the tokens as the constant channels the assembler adds,
// exactly as the student sees them. Module names follow PyTorch's usual ones (stem.conv1,
// layers.0.attn.qkv, ...) so that tests/golden/gen_teacher.py builds the same state dict.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "physiolite/model/net.hpp"

namespace physiolite::model {

class TransformerNetImpl : public NetImpl {
 public:
  explicit TransformerNetImpl(arch::ModelConfig options);

  torch::Tensor forward(torch::Tensor x) override;
  // The encoder's output tokens [B, N + 1, D] (class token first), before the final LayerNorm.
  // `masked` [B, N] (bool), when given, replaces those patch tokens by `mask_token` [D] before the
  // position embedding: the masked-patch pre-training of train/masked_patches.hpp.
  torch::Tensor encode(torch::Tensor x, const torch::Tensor& masked = {},
                       const torch::Tensor& mask_token = {});
  torch::Tensor final_norm(const torch::Tensor& tokens) { return norm_->forward(tokens); }
  const arch::ModelConfig& options() const override { return options_; }

  int64_t num_tokens() const { return options_.input_length / options_.patch_size; }

 private:
  struct Layer {
    torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
    torch::nn::Linear qkv{nullptr}, proj{nullptr}, fc1{nullptr}, fc2{nullptr};
  };

  torch::Tensor attention(Layer& layer, const torch::Tensor& x);
  torch::Tensor patch_tokens(const torch::Tensor& stem);  // conv2: [B, D/2, T] -> [B, N, D]

  arch::ModelConfig options_;
  torch::nn::Conv1d conv1_{nullptr}, conv2_{nullptr};
  torch::Tensor cls_, pos_;
  std::vector<Layer> layers_;
  torch::nn::LayerNorm norm_{nullptr};
  torch::nn::Linear head_{nullptr};
};

TORCH_MODULE(TransformerNet);

// Inverted dropout, the teacher's: in training each element is zeroed with probability p (in
// [0, 1)) and the others scaled by 1 / (1 - p), the mask from one uniform draw per element;
// otherwise x unchanged.
torch::Tensor uniform_mask_dropout(const torch::Tensor& x, double p, bool training);

}  // namespace physiolite::model
