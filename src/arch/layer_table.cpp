#include "physiolite/arch/layer_table.hpp"

#include <fmt/format.h>

#include <numeric>

#include "physiolite/core/error.hpp"

namespace physiolite::arch {

namespace {

// Appends layers in execution order; each helper returns the new layer's name so the next layer
// can name it as its input.
class TableBuilder {
 public:
  std::string conv1d(std::string name, const std::string& input, int in_ch, int out_ch, int length,
                     int kernel, const std::string& activation) {
    LayerSpec& l = add(std::move(name), LayerOp::kConv1d, {input}, in_ch, out_ch);
    l.in_dims = l.out_dims = Dims{1, length};
    l.kernel = kernel;
    l.padding = (kernel - 1) / 2;
    l.activation = activation;
    l.weights = static_cast<int64_t>(in_ch) * out_ch * kernel;
    l.macs = l.weights * length;
    return l.name;
  }

  std::string conv2d_1x1(std::string name, const std::string& input, int in_ch, int out_ch,
                         Dims dims, const std::string& activation) {
    LayerSpec& l = add(std::move(name), LayerOp::kConv2d, {input}, in_ch, out_ch);
    l.in_dims = l.out_dims = dims;
    l.kernel = 1;
    l.activation = activation;
    l.weights = static_cast<int64_t>(in_ch) * out_ch;
    l.macs = l.weights * dims.size();
    return l.name;
  }

  std::string pool(std::string name, LayerOp op, const std::string& input, int channels, Dims in,
                   Dims kernel, Dims stride) {
    LayerSpec& l = add(std::move(name), op, {input}, channels, channels);
    l.in_dims = in;
    l.pool_kernel = kernel;
    l.pool_stride = stride;
    l.out_dims = Dims{(in.height - kernel.height) / stride.height + 1,
                      (in.width - kernel.width) / stride.width + 1};
    return l.name;
  }

  std::string avgpool1d(std::string name, const std::string& input, int channels, int length,
                        int k) {
    return pool(std::move(name), LayerOp::kAvgPool1d, input, channels, Dims{1, length}, Dims{1, k},
                Dims{1, k});
  }

  std::string concat(std::string name, std::vector<std::string> parts, int channels, Dims dims) {
    LayerSpec& l = add(std::move(name), LayerOp::kConcat, std::move(parts), channels, channels);
    l.in_dims = l.out_dims = dims;
    return l.name;
  }

  std::string add_residual(std::string name, const std::string& a, const std::string& b,
                           int channels, Dims dims) {
    LayerSpec& l = add(std::move(name), LayerOp::kAdd, {a, b}, channels, channels);
    l.in_dims = l.out_dims = dims;
    return l.name;
  }

  std::string view_2d(std::string name, const std::string& input, int channels, int length) {
    LayerSpec& l = add(std::move(name), LayerOp::kView, {input}, channels, channels);
    l.in_dims = Dims{1, length};
    l.out_dims = Dims{1, length};
    return l.name;
  }

  std::vector<LayerSpec> take() { return std::move(layers_); }

 private:
  LayerSpec& add(std::string name, LayerOp op, std::vector<std::string> inputs, int in_ch,
                 int out_ch) {
    LayerSpec& l = layers_.emplace_back();
    l.name = std::move(name);
    l.op = op;
    l.inputs = std::move(inputs);
    l.in_channels = in_ch;
    l.out_channels = out_ch;
    return l;
  }

  std::vector<LayerSpec> layers_;
};

// [R]'s Bank: 1x1 stem, one branch per kernel size, channel concat in kernel_set order.
std::string add_bank(TableBuilder& t, const ModelConfig& c, const std::string& input) {
  const int length = c.bank_length();
  const std::string pooled =
      t.avgpool1d("bank.front_pool", input, c.channels(), c.input_length, c.front_pool);
  const std::string stem =
      t.conv1d("bank.stem", pooled, c.channels(), c.channels(), length, 1, "none");
  std::vector<std::string> outputs;
  for (size_t i = 0; i < c.kernel_set.size(); ++i) {
    const std::string branch = fmt::format("bank.branches[{}]", i);
    const int k = c.kernel_set[i];
    if (k == 7) {  // Conv1dRF7: receptive field 7 from three k3 convs (pad 3 is off-chip)
      std::string x =
          t.conv1d(branch + ".c1", stem, c.channels(), c.bank_channels, length, 3, c.activation);
      x = t.conv1d(branch + ".c2", x, c.bank_channels, c.bank_channels, length, 3, c.activation);
      x = t.conv1d(branch + ".c3", x, c.bank_channels, c.bank_channels, length, 3, c.activation);
      outputs.push_back(x);
    } else {
      outputs.push_back(
          t.conv1d(branch, stem, c.channels(), c.bank_channels, length, k, c.activation));
    }
  }
  if (outputs.size() == 1) return outputs.front();
  return t.concat("bank.concat", outputs, c.bank_width(), Dims{1, length});
}

std::string add_bottleneck(TableBuilder& t, const ModelConfig& c, int index,
                           const std::string& input) {
  const std::string block = fmt::format("blocks[{}]", index);
  const int length = c.trunk_length();
  const int m = c.mid_channels();
  std::string x = t.conv1d(block + ".conv1", input, c.embed_dim, m, length, 1, c.activation);
  x = t.conv1d(block + ".conv2", x, m, m, length, 3, c.activation);
  x = t.conv1d(block + ".conv3", x, m, c.embed_dim, length, 1, "none");
  return t.add_residual(block + ".add", x, input, c.embed_dim, Dims{1, length});
}

}  // namespace

std::string_view to_string(LayerOp op) {
  switch (op) {
    case LayerOp::kConv1d:
      return "conv1d";
    case LayerOp::kConv2d:
      return "conv2d";
    case LayerOp::kAvgPool1d:
      return "avgpool1d";
    case LayerOp::kAvgPool2d:
      return "avgpool2d";
    case LayerOp::kAdd:
      return "add";
    case LayerOp::kConcat:
      return "concat";
    case LayerOp::kView:
      return "view";
  }
  return "?";
}

std::vector<LayerSpec> describe_layers(const ModelConfig& c) {
  c.validate();
  if (c.type != "physiolite") {
    throw UsageError(fmt::format(
        "model.type: expected physiolite (a network for the chips), got '{}' (a distillation "
        "teacher: `physiolite info` describes it; check, profile, quantize and export take a "
        "student)",
        c.type));
  }
  TableBuilder t;
  const int d = c.embed_dim;
  std::string x = add_bank(t, c, "input");
  x = t.avgpool1d("patch.pool", x, c.bank_width(), c.bank_length(), c.patch_pool);
  x = t.conv1d("patch.proj", x, c.bank_width(), d, c.trunk_length(), c.patch_kernel, c.activation);
  for (int i = 0; i < c.depth; ++i) x = add_bottleneck(t, c, i, x);
  x = t.view_2d("fusion_barrier.view", x, d, c.trunk_length());
  x = t.conv2d_1x1("fusion_barrier.conv", x, d, d, Dims{1, c.trunk_length()}, c.activation);
  x = t.pool("head_proj.pool", LayerOp::kAvgPool2d, x, d, Dims{1, c.trunk_length()},
             Dims{1, c.post_pool}, Dims{1, c.post_pool});
  x = t.conv2d_1x1("head_proj.proj", x, d, d, Dims{1, c.head_length()}, "none");
  x = t.pool("head.gap", LayerOp::kAvgPool2d, x, d, Dims{1, c.head_length()},
             Dims{1, c.head_length()}, Dims{1, 1});
  t.conv2d_1x1("head.classifier", x, d, c.num_classes, Dims{1, 1}, "none");
  return t.take();
}

int64_t count_parameters(const std::vector<LayerSpec>& layers) {
  return std::accumulate(layers.begin(), layers.end(), int64_t{0},
                         [](int64_t s, const LayerSpec& l) { return s + l.weights; });
}

int64_t count_macs(const std::vector<LayerSpec>& layers) {
  return std::accumulate(layers.begin(), layers.end(), int64_t{0},
                         [](int64_t s, const LayerSpec& l) { return s + l.macs; });
}

std::string torch_module_name(std::string_view layer_name) {
  std::string out;
  for (char ch : layer_name) {
    if (ch == '[') {
      out += '.';
    } else if (ch != ']') {
      out += ch;
    }
  }
  return out;
}

}  // namespace physiolite::arch
