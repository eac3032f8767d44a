#include "physiolite/model/transformer_net.hpp"

#include <cmath>
#include <string>

namespace physiolite::model {

namespace {

// An empty module that only gives its children a path ("stem", "layers.0", ...).
std::shared_ptr<torch::nn::Module> scope(torch::nn::Module& parent, const std::string& name) {
  return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

torch::nn::Linear linear(int in, int out) {
  return torch::nn::Linear(torch::nn::LinearOptions(in, out));
}

torch::nn::LayerNorm layer_norm(int width) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}));
}

}  // namespace

TransformerNetImpl::TransformerNetImpl(arch::ModelConfig options) : options_(std::move(options)) {
  const arch::ModelConfig& c = options_;
  c.validate();
  const int d = c.embed_dim, stem = std::max(1, d / 2);
  auto s = scope(*this, "stem");
  conv1_ = s->register_module(
      "conv1", torch::nn::Conv1d(torch::nn::Conv1dOptions(c.channels(), stem, 7).padding(3)));
  conv2_ = s->register_module(
      "conv2",
      torch::nn::Conv1d(torch::nn::Conv1dOptions(stem, d, c.patch_size).stride(c.patch_size)));
  // ViT's initialisation of the extra tokens: N(0, 0.02^2), small against the stem's outputs.
  cls_ = register_parameter("cls", torch::randn({1, 1, d}) * 0.02);
  pos_ = register_parameter("pos", torch::randn({1, num_tokens() + 1, d}) * 0.02);
  auto layers = scope(*this, "layers");
  for (int i = 0; i < c.depth; ++i) {
    auto l = scope(*layers, std::to_string(i));
    Layer& layer = layers_.emplace_back();
    layer.ln1 = l->register_module("ln1", layer_norm(d));
    auto attn = scope(*l, "attn");
    layer.qkv = attn->register_module("qkv", linear(d, 3 * d));
    layer.proj = attn->register_module("proj", linear(d, d));
    layer.ln2 = l->register_module("ln2", layer_norm(d));
    auto mlp = scope(*l, "mlp");
    layer.fc1 = mlp->register_module("fc1", linear(d, c.mlp_ratio * d));
    layer.fc2 = mlp->register_module("fc2", linear(c.mlp_ratio * d, d));
  }
  norm_ = register_module("norm", layer_norm(d));
  head_ = register_module("head", linear(d, c.num_classes));
}

torch::Tensor TransformerNetImpl::attention(Layer& layer, const torch::Tensor& x) {
  const int64_t b = x.size(0), n = x.size(1), h = options_.heads, dh = options_.embed_dim / h;
  // [B, N, 3D] -> [3, B, H, N, dh]
  const torch::Tensor qkv = layer.qkv->forward(x).view({b, n, 3, h, dh}).permute({2, 0, 3, 1, 4});
  const torch::Tensor q = qkv[0] * (1.0 / std::sqrt(static_cast<double>(dh)));
  const torch::Tensor weights = torch::softmax(torch::matmul(q, qkv[1].transpose(-2, -1)), -1);
  const torch::Tensor out = torch::matmul(weights, qkv[2]).transpose(1, 2).reshape({b, n, -1});
  return layer.proj->forward(out);
}

torch::Tensor TransformerNetImpl::patch_tokens(const torch::Tensor& h) {
  // conv2 has kernel = stride = patch_size, so each token is one patch times the kernel: one
  // matrix product for every window and token at once, where ATen's CPU convolution took 1.7x as
  // long on the MIT-BIH teacher's stem (docs/teacher.md, training speed). Same weights, same
  // result; the config makes the window a whole number of patches. conv1 stays an ATen
  // convolution: its oneDNN kernel beat a matrix product over gathered neighbourhoods on both
  // teachers' stems.
  const int64_t b = h.size(0), c = h.size(1), p = options_.patch_size, n = num_tokens();
  const torch::Tensor patches =
      h.reshape({b, c, n, p}).permute({0, 2, 1, 3}).reshape({b, n, c * p});
  const torch::Tensor& w = conv2_->weight;
  return torch::nn::functional::linear(patches, w.view({w.size(0), c * p}), conv2_->bias);
}

torch::Tensor TransformerNetImpl::encode(torch::Tensor x, const torch::Tensor& masked,
                                         const torch::Tensor& mask_token) {
  const arch::ModelConfig& c = options_;
  TORCH_CHECK(x.dim() == 3 && x.size(1) == c.channels() && x.size(2) == c.input_length,
              "TransformerNet: expected input [B, ", c.channels(), ", ", c.input_length, "], got ",
              x.sizes());
  const double p = c.dropout;
  const bool training = is_training();
  x = patch_tokens(torch::gelu(conv1_->forward(x)));  // [B, N, D]
  if (masked.defined()) x = torch::where(masked.unsqueeze(-1), mask_token.view({1, 1, -1}), x);
  x = torch::cat({cls_.expand({x.size(0), -1, -1}), x}, 1) + pos_;
  for (Layer& layer : layers_) {
    x = x + uniform_mask_dropout(attention(layer, layer.ln1->forward(x)), p, training);
    const torch::Tensor mlp =
        layer.fc2->forward(torch::gelu(layer.fc1->forward(layer.ln2->forward(x))));
    x = x + uniform_mask_dropout(mlp, p, training);
  }
  return x;
}

torch::Tensor TransformerNetImpl::forward(torch::Tensor x) {
  return head_->forward(norm_->forward(encode(std::move(x)).select(1, 0)));
}

// ATen's dropout draws the mask with bernoulli_, a per-element path on this CPU build (no
// MKL) that took about half of dropout's forward and backward time.
torch::Tensor uniform_mask_dropout(const torch::Tensor& x, double p, bool training) {
  if (!training || p == 0) return x;
  const torch::Tensor scaled_mask =
      (torch::rand_like(x) >= p).to(x.scalar_type()) * (1.0 / (1.0 - p));
  return x * scaled_mask;
}

}  // namespace physiolite::model
