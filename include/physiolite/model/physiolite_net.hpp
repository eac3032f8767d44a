// PhysioLite in LibTorch, layer for layer as docs/model.md (layer table): multi-scale filter bank,
// patch embedding, bottleneck trunk, 2-D head; every conv without bias, no normalisation.
//
// Built from the same arch::ModelConfig as the torch-free layer table, so parameter names and
// counts match arch::describe_layers() (torch name = arch::torch_module_name(layer) + ".weight").
// The constructor validates the config and, when config.target is set, refuses it with every
// chip-rule error (arch::require_chip_rules).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "physiolite/arch/model_config.hpp"
#include "physiolite/model/net.hpp"

namespace physiolite::model {

class PhysioLiteNetImpl : public NetImpl {
 public:
  explicit PhysioLiteNetImpl(arch::ModelConfig options);

  // x: [B, C, T] with C = C_raw + 2P (raw signal followed by the positional channels).
  torch::Tensor forward(torch::Tensor x) override;

  // [B, C_raw, T] -> [B, C, T]: appends the positional channels, computed once at construction
  // on the CPU and kept outside the graph (not a parameter or buffer, as [R]'s pe_cache).
  torch::Tensor prepare_input(const torch::Tensor& raw) const;

  const arch::ModelConfig& options() const override { return options_; }

 private:
  struct Branch {
    std::vector<torch::nn::Conv1d> convs;  // one conv, or c1, c2, c3 for receptive field 7
  };
  struct Block {
    torch::nn::Conv1d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
  };

  torch::Tensor act(const torch::Tensor& x) const;
  void init_bank();

  arch::ModelConfig options_;
  torch::Tensor positional_;  // [2P, T]
  torch::nn::Conv1d stem_{nullptr};
  std::vector<Branch> branches_;
  torch::nn::Conv1d patch_proj_{nullptr};
  std::vector<Block> blocks_;
  torch::nn::Conv2d barrier_{nullptr}, head_proj_{nullptr}, classifier_{nullptr};
};

TORCH_MODULE(PhysioLiteNet);

}  // namespace physiolite::model
