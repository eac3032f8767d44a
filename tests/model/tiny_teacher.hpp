// The tiny teacher of tests/golden/gen_teacher.py and its closed-form weights and inputs, shared
// by the model tests (logits) and the training tests (a distillation step).
#pragma once

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "physiolite/arch/model_config.hpp"

namespace physiolite::testing {

// The tiny config of gen_teacher.py: 3 raw channels and no positional ones (the network takes
// them as given), 16 samples, patches of 4 (N = 4 tokens), width 8, 2 heads, 2 layers, MLP 2x.
inline arch::ModelConfig tiny_teacher() {
  arch::ModelConfig c;
  c.type = "transformer";
  c.raw_channels = 3;
  c.pos_freqs = 0;
  c.input_length = 16;
  c.num_classes = 3;
  c.embed_dim = 8;
  c.heads = 2;
  c.patch_size = 4;
  c.depth = 2;
  c.mlp_ratio = 2;
  c.dropout = 0.0;
  return c;
}

inline int64_t parameter_count(torch::nn::Module& net) {
  int64_t n = 0;
  for (const auto& p : net.parameters()) n += p.numel();
  return n;
}

// Same closed formula as fill() in gen_teacher.py.
inline void fill_weights(torch::nn::Module& net) {
  torch::NoGradGuard no_grad;
  int64_t j = 0;
  for (auto& w : net.parameters()) {
    const int64_t n = w.numel();
    const int64_t fan = w.dim() > 1 ? n / w.size(0) : n;
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      const double u = static_cast<double>((7919 * i + 104729 * j) % 10007) / 10007.0 - 0.5;
      v[static_cast<size_t>(i)] =
          static_cast<float>(u * std::sqrt(12.0 / static_cast<double>(fan)));
    }
    w.copy_(torch::from_blob(v.data(), w.sizes(), torch::kFloat32));
    ++j;
  }
}

inline torch::Tensor inputs() {
  std::vector<float> v;
  for (int b = 0; b < 2; ++b) {
    for (int c = 0; c < 3; ++c) {
      for (int n = 0; n < 16; ++n) {
        v.push_back(static_cast<float>(std::sin(0.3 * n * (c + 1) + 0.7 * b) + 0.1 * c));
      }
    }
  }
  return torch::from_blob(v.data(), {2, 3, 16}, torch::kFloat32).clone();
}

inline void expect_logits(const torch::Tensor& out, const float (&expected)[6], const char* what) {
  ASSERT_EQ(out.sizes(), (std::vector<int64_t>{2, 3}));
  const auto flat = out.contiguous().view({-1});
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(flat[i].item<float>(), expected[i], 1e-5) << what << i;
}

}  // namespace physiolite::testing
