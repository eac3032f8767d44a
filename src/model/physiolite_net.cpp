#include "physiolite/model/physiolite_net.hpp"

#include <array>
#include <string>

#include "physiolite/arch/chip_rules.hpp"
#include "physiolite/arch/positional.hpp"
#include "physiolite/model/bank_init.hpp"

namespace physiolite::model {

namespace {

torch::nn::Conv1d conv1d(int in, int out, int kernel) {
  return torch::nn::Conv1d(
      torch::nn::Conv1dOptions(in, out, kernel).padding((kernel - 1) / 2).bias(false));
}

torch::nn::Conv2d conv2d_1x1(int in, int out) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1).bias(false));
}

// The forward pass runs every layer as a 2-D operation on [B, C, 1, T] in channels-last
// (NHWC) layout. With the default NCHW layout, oneDNN reorders each convolution's input and
// output between NCHW and its blocked layout, forward and backward; with NHWC the activations
// stay in one layout from layer to layer, which made a training step 1.3-1.5x faster here
// (bench/run_train.sh). The parameters keep their Conv1d shapes [O, I, K], so checkpoints, the
// layer table and quantisation see the same network; the maths is the same up to float rounding.
torch::Tensor conv_nhwc(const torch::Tensor& x, const torch::nn::Conv1d& conv) {
  const int64_t pad = (*c10::get<torch::ExpandingArray<1>>(conv->options.padding()))[0];
  const std::array<int64_t, 2> stride{1, 1}, padding{0, pad};
  return torch::conv2d(x, conv->weight.unsqueeze(2), {}, stride, padding);
}

torch::Tensor pool_nhwc(const torch::Tensor& x, int64_t kernel, int64_t stride) {
  return torch::avg_pool2d(x, {1, kernel}, {1, stride});
}

// An empty module that only gives its children a path ("bank", "blocks.0", ...).
std::shared_ptr<torch::nn::Module> scope(torch::nn::Module& parent, const std::string& name) {
  return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

}  // namespace

PhysioLiteNetImpl::PhysioLiteNetImpl(arch::ModelConfig options) : options_(std::move(options)) {
  const arch::ModelConfig& c = options_;
  c.validate();
  arch::require_chip_rules(c);
  positional_ =
      torch::from_blob(arch::positional_channels(c.input_length, c.pos_freqs, c.pe_scale).data(),
                       {2 * c.pos_freqs, c.input_length}, torch::kFloat32)
          .clone();

  auto bank = scope(*this, "bank");
  stem_ = bank->register_module("stem", conv1d(c.channels(), c.channels(), 1));
  auto branches = scope(*bank, "branches");
  for (size_t i = 0; i < c.kernel_set.size(); ++i) {
    const std::string index = std::to_string(i);
    Branch& b = branches_.emplace_back();
    if (c.kernel_set[i] == 7) {  // [R]'s Conv1dRF7
      auto rf7 = scope(*branches, index);
      b.convs.push_back(rf7->register_module("c1", conv1d(c.channels(), c.bank_channels, 3)));
      b.convs.push_back(rf7->register_module("c2", conv1d(c.bank_channels, c.bank_channels, 3)));
      b.convs.push_back(rf7->register_module("c3", conv1d(c.bank_channels, c.bank_channels, 3)));
    } else {
      b.convs.push_back(
          branches->register_module(index, conv1d(c.channels(), c.bank_channels, c.kernel_set[i])));
    }
  }
  patch_proj_ = scope(*this, "patch")
                    ->register_module("proj", conv1d(c.bank_width(), c.embed_dim, c.patch_kernel));
  auto blocks = scope(*this, "blocks");
  for (int i = 0; i < c.depth; ++i) {
    auto block = scope(*blocks, std::to_string(i));
    Block& b = blocks_.emplace_back();
    b.conv1 = block->register_module("conv1", conv1d(c.embed_dim, c.mid_channels(), 1));
    b.conv2 = block->register_module("conv2", conv1d(c.mid_channels(), c.mid_channels(), 3));
    b.conv3 = block->register_module("conv3", conv1d(c.mid_channels(), c.embed_dim, 1));
  }
  barrier_ =
      scope(*this, "fusion_barrier")->register_module("conv", conv2d_1x1(c.embed_dim, c.embed_dim));
  head_proj_ =
      scope(*this, "head_proj")->register_module("proj", conv2d_1x1(c.embed_dim, c.embed_dim));
  classifier_ =
      scope(*this, "head")->register_module("classifier", conv2d_1x1(c.embed_dim, c.num_classes));
  if (c.bank_init == "wavelet") init_bank();
}

void PhysioLiteNetImpl::init_bank() {
  for (Branch& b : branches_) {
    init_wavelet_filters(b.convs.front());
    for (size_t i = 1; i < b.convs.size(); ++i) init_smoothing_filters(b.convs[i]);
  }
}

torch::Tensor PhysioLiteNetImpl::act(const torch::Tensor& x) const {
  const std::string& a = options_.activation;
  if (a == "relu") return torch::relu(x);
  if (a == "abs") return torch::abs(x);
  if (a == "relu6") return torch::clamp(x, 0.0, 6.0);
  if (a == "tanh") return torch::tanh(x);
  if (a == "sigmoid") return torch::sigmoid(x);
  return torch::gelu(x);  // validate() admits nothing else
}

torch::Tensor PhysioLiteNetImpl::prepare_input(const torch::Tensor& raw) const {
  TORCH_CHECK(raw.dim() == 3 && raw.size(1) == options_.raw_channels &&
                  raw.size(2) == options_.input_length,
              "prepare_input: expected [B, ", options_.raw_channels, ", ", options_.input_length,
              "], got ", raw.sizes());
  const torch::Tensor pe = positional_.to(raw.options()).unsqueeze(0);
  return torch::cat({raw, pe.expand({raw.size(0), -1, -1})}, 1);
}

torch::Tensor PhysioLiteNetImpl::forward(torch::Tensor x) {
  const arch::ModelConfig& c = options_;
  TORCH_CHECK(x.dim() == 3 && x.size(1) == c.channels() && x.size(2) == c.input_length,
              "PhysioLiteNet: expected input [B, ", c.channels(), ", ", c.input_length, "], got ",
              x.sizes());
  x = x.unsqueeze(2).contiguous(torch::MemoryFormat::ChannelsLast);  // [B, C, 1, T]
  const torch::Tensor s = conv_nhwc(pool_nhwc(x, c.front_pool, c.front_pool), stem_);
  std::vector<torch::Tensor> outs;
  for (Branch& b : branches_) {
    torch::Tensor y = s;
    for (auto& conv : b.convs) y = act(conv_nhwc(y, conv));  // ReLU after c1, c2 and the bank's
    outs.push_back(y);
  }
  x = torch::cat(outs, 1);
  x = act(conv_nhwc(pool_nhwc(x, c.patch_pool, c.patch_pool), patch_proj_));
  for (Block& b : blocks_) {
    x = conv_nhwc(act(conv_nhwc(act(conv_nhwc(x, b.conv1)), b.conv2)), b.conv3) + x;  // no act
  }
  x = act(torch::conv2d(x, barrier_->weight));
  x = torch::conv2d(pool_nhwc(x, c.post_pool, c.post_pool), head_proj_->weight);
  x = torch::conv2d(pool_nhwc(x, c.head_length(), 1), classifier_->weight);  // [B, K, 1, 1]
  return x.flatten(1);
}

}  // namespace physiolite::model
