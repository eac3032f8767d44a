// MAX78000 rules of docs/chip_rules.md (MAX78000) (ai8x-training README "Limitations of MAX78000
// Networks", ai8x-synthesis izer/tornadocnn.py DevAI85), mapped onto PhysioLite's layer table.
//
// Mapping (our derivation, docs/chip_rules.md "PhysioLite on the MAX78000"): a pool whose only
// reader is the next layer, a conv, runs in-flight inside that conv's hardware layer; every other
// pool is a pooling-only layer; each residual add is its own element-wise layer (it cannot fuse
// with Conv1d); concatenation (in_sequences) and the 1-D -> 2-D view (in_dim) cost no layer.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>

#include "physiolite/arch/chip_rules.hpp"
#include "rule_report.hpp"

namespace physiolite::arch {

namespace {

using detail::LayerIndex;
using detail::RuleReport;

constexpr int kProcessors = 64;
constexpr int kKernelWordBytes = 9;       // one 3x3 kernel of 8-bit weights = 72 bits
constexpr int kMaxDim = 1024;             // izer: MAX_ROW_COL, error when dim > 1024
constexpr int kReadmeMaxDim = 1023;       // README wording
constexpr int64_t kInstanceWords = 8192;  // 32 KiB data instance / 4-byte HWC words
constexpr int64_t kChwInstanceBytes = 32768;
constexpr int kMaxChwChannels = 16;  // one channel per data memory instance in CHW

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

bool is_fused_pool(const std::vector<LayerSpec>& layers, size_t i, const LayerIndex& index) {
  const auto& readers = index.consumers(layers[i].name);
  return layers[i].is_pool() && readers.size() == 1 && readers[0] == i + 1 &&
         layers[i + 1].is_conv();
}

// Layers whose output is not a tensor of its own in data memory.
bool is_alias(const std::vector<LayerSpec>& layers, size_t i, const LayerIndex& index) {
  const LayerOp op = layers[i].op;
  return op == LayerOp::kConcat || op == LayerOp::kView || is_fused_pool(layers, i, index);
}

int kernel_bytes(const LayerSpec& l) {
  return l.op == LayerOp::kConv2d ? l.kernel * l.kernel : l.kernel;
}

// Kernel words one processor holds for a conv: input channels are spread over the 64 processors
// (multi-pass above 64), each holding one kernel per output channel; kernels smaller than 72 bit
// are packed into shared words; a layer's start column is a multiple of 4.
int weight_columns(const LayerSpec& l) {
  const int64_t kernels = ceil_div(l.in_channels, kProcessors) * l.out_channels;
  const int64_t words = ceil_div(kernels * kernel_bytes(l), kKernelWordBytes);
  return static_cast<int>(ceil_div(words, 4) * 4);
}

int64_t tensor_bytes(int channels, Dims dims) { return ceil_div(channels, 4) * 4 * dims.size(); }

// Peak of the summed sizes of live tensors, in table order; the network input is live until its
// last reader, a residual input until its add.
int64_t peak_data_bytes(const std::vector<LayerSpec>& layers, const LayerIndex& index) {
  std::map<std::string, std::pair<size_t, size_t>> lifetime;  // tensor -> [first, last] step
  std::map<std::string, int64_t> size;
  size["input"] = tensor_bytes(layers.front().in_channels, layers.front().in_dims);
  lifetime["input"] = {0, 0};
  for (size_t i = 0; i < layers.size(); ++i) {
    if (is_alias(layers, i, index)) continue;
    size[layers[i].name] = tensor_bytes(layers[i].out_channels, layers[i].out_dims);
    lifetime[layers[i].name] = {i, i};
  }
  // A read through an alias is a read of the tensors behind it.
  std::function<void(const std::string&, size_t)> touch = [&](const std::string& name, size_t at) {
    if (auto it = lifetime.find(name); it != lifetime.end()) {
      it->second.second = std::max(it->second.second, at);
      return;
    }
    for (const std::string& in : index.at(name).inputs) touch(in, at);
  };
  for (size_t i = 0; i < layers.size(); ++i) {
    for (const std::string& in : layers[i].inputs) touch(in, i);
  }
  int64_t peak = 0;
  for (size_t step = 0; step < layers.size(); ++step) {
    int64_t live = 0;
    for (const auto& [name, span] : lifetime) {
      if (span.first <= step && step <= span.second) live += size[name];
    }
    peak = std::max(peak, live);
  }
  return peak;
}

void check_conv(RuleReport& r, const LayerSpec& l) {
  if (l.op == LayerOp::kConv1d) {
    r.range(l.name, "max78000.conv1d.kernel", "Conv1d kernel size", l.kernel, 1, 9);
    r.range(l.name, "max78000.conv.dilation", "Conv1d dilation (1..1023 only for kernel <= 3)",
            l.dilation, 1, l.kernel <= 3 ? 1023 : 1);
    if (l.padding > 0 && l.in_channels > 64) {
      r.add(l.name, "max78000.conv1d.padded_multipass",
            "padded Conv1d above 64 input channels (allowed on MAX78000, refused on MAX78002 "
            "and by [R])",
            l.in_channels, "<= 64", Severity::kWarning);
    }
  } else if (l.kernel != 1 && l.kernel != 3) {
    r.add(l.name, "max78000.conv2d.kernel", "Conv2d kernel size", l.kernel, "1 or 3");
  } else {
    r.range(l.name, "max78000.conv.dilation", "Conv2d dilation", l.dilation, 1, 1);
  }
  r.range(l.name, "max78000.conv.padding", "convolution padding", l.padding, 0, 2);
  if (l.padding >= l.kernel) {
    r.add(l.name, "max78000.conv.padding_lt_kernel", "padding must be smaller than the kernel",
          l.padding, fmt::format("< {}", l.kernel));
  }
  r.range(l.name, "max78000.conv.stride", "convolution stride", l.stride, 1, 1);
  r.range(l.name, "max78000.channels.in", "input channels per layer", l.in_channels, 1, 1024);
  r.range(l.name, "max78000.channels.out", "output channels per layer", l.out_channels, 1, 1024);
  if (l.activation != "relu" && l.activation != "abs" && l.activation != "none") {
    r.add(l.name, "max78000.activation", "activation (ReLU, Abs or none)", l.activation,
          "relu, abs, none");
  }
}

void check_pool(RuleReport& r, const LayerSpec& l, bool fused) {
  for (int k : {l.pool_kernel.height, l.pool_kernel.width}) {
    r.range(l.name, "max78000.pool.kernel", "pooling kernel per dimension", k, 1, 16);
  }
  for (int s : {l.pool_stride.height, l.pool_stride.width}) {
    r.range(l.name, "max78000.pool.stride", "pooling stride per dimension", s, 1, 16);
  }
  // With height 1 the height stride has no effect; it is written equal to the width stride.
  if (l.in_dims.height > 1 && l.pool_stride.height != l.pool_stride.width) {
    r.add(l.name, "max78000.pool.stride_equal", "2-D pooling stride equal in both dimensions",
          fmt::format("{}x{}", l.pool_stride.height, l.pool_stride.width), "equal");
  }
  if (!fused && l.in_channels > 64 && l.out_dims.size() != 1) {
    r.add(l.name, "max78000.pool.wide_unfused",
          "pooling above 64 channels needs a fused conv unless the output is 1x1", l.in_channels,
          "<= 64 or fused");
  }
}

void check_dims(RuleReport& r, const std::string& layer, Dims d) {
  for (int v : {d.height, d.width}) {
    if (v > kMaxDim) {
      r.add(layer, "max78000.dims", "rows/columns of a layer's data (izer MAX_ROW_COL)", v,
            fmt::format("<= {}", kMaxDim));
    } else if (v > kReadmeMaxDim) {
      r.add(layer, "max78000.dims_readme",
            "rows/columns of a layer's data (README says <= 1023; the izer accepts 1024)", v,
            fmt::format("<= {}", kReadmeMaxDim), Severity::kWarning);
    }
  }
}

// Without streaming every channel must fit one 32 KiB data instance: in HWC four channels share
// it (multi-pass stacks ceil(C/64) such groups); the CHW input keeps one channel per instance.
void check_data_instance(RuleReport& r, const std::string& layer, int channels, Dims d,
                         bool network_input) {
  if (network_input && channels <= kMaxChwChannels) {
    if (d.size() > kChwInstanceBytes) {
      r.add(layer, "max78000.data_memory.per_channel", "CHW input values per channel", d.size(),
            fmt::format("<= {}", kChwInstanceBytes));
    }
    return;
  }
  const int64_t words = ceil_div(channels, kProcessors) * d.size();
  if (words > kInstanceWords) {
    r.add(layer, "max78000.data_memory.per_channel",
          "HWC values per channel x passes in one data instance", words,
          fmt::format("<= {}", kInstanceWords));
  }
}

void check_concat(RuleReport& r, const LayerSpec& l, const LayerIndex& index) {
  for (size_t p = 0; p + 1 < l.inputs.size(); ++p) {
    const int channels = index.at(l.inputs[p]).out_channels;
    if (channels % 4 != 0) {
      r.add(l.name, "max78000.concat.part_channels",
            fmt::format("concatenated part '{}' (every part but the last) a multiple of 4 "
                        "channels",
                        l.inputs[p]),
            channels, "multiple of 4");
    }
  }
}

}  // namespace

Max78000Usage max78000_usage(const std::vector<LayerSpec>& layers) {
  Max78000Usage u;
  if (layers.empty()) return u;
  const LayerIndex index(layers);
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec& l = layers[i];
    if (l.is_conv()) {
      ++u.layers;
      u.weight_bytes += l.weights;
      u.weight_columns += weight_columns(l);
    } else if (l.op == LayerOp::kAdd || (l.is_pool() && !is_fused_pool(layers, i, index))) {
      ++u.layers;
    }
  }
  u.peak_data_bytes = peak_data_bytes(layers, index);
  return u;
}

std::vector<RuleViolation> check_max78000_rules(const std::vector<LayerSpec>& layers) {
  RuleReport r;
  if (layers.empty()) return r.take();
  const LayerIndex index(layers);
  const LayerSpec& first = layers.front();
  check_dims(r, first.name, first.in_dims);
  check_data_instance(r, first.name, first.in_channels, first.in_dims, true);
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec& l = layers[i];
    check_dims(r, l.name, l.out_dims);
    if (l.is_conv()) check_conv(r, l);
    if (l.is_pool()) check_pool(r, l, is_fused_pool(layers, i, index));
    if (l.op == LayerOp::kConcat) check_concat(r, l, index);
    if (l.op == LayerOp::kAdd) {
      r.range(l.name, "max78000.eltwise.operands", "element-wise operands",
              static_cast<int64_t>(l.inputs.size()), 2, 16);
    }
    if (l.op == LayerOp::kView &&
        (l.in_channels != l.out_channels || l.in_dims.size() != l.out_dims.size())) {
      r.add(l.name, "max78000.view.shape", "1-D -> 2-D view keeps channels and H*W = L",
            fmt::format("{}x{}", l.out_channels, l.out_dims.size()),
            fmt::format("{}x{}", l.in_channels, l.in_dims.size()));
    }
    if (!is_alias(layers, i, index)) {
      check_data_instance(r, l.name, l.out_channels, l.out_dims, false);
    }
  }
  const Max78000Usage u = max78000_usage(layers);
  if (u.layers > kMax78000MaxLayers) {
    r.add("(network)", "max78000.layers",
          "hardware layers (convs with in-flight pools, pooling-only layers, element-wise adds)",
          u.layers, fmt::format("<= {}", kMax78000MaxLayers));
  }
  if (u.weight_bytes > kMax78000WeightBytes) {
    r.add("(network)", "max78000.weight_memory", "int8 weight bytes (432 KiB kernel memory)",
          u.weight_bytes, fmt::format("<= {}", kMax78000WeightBytes));
  }
  if (u.weight_columns > kMax78000WeightColumns) {
    r.add("(network)", "max78000.weight_memory.packed",
          "packed kernel columns per processor with layers stacked (the izer may share columns "
          "between layers on disjoint processors)",
          u.weight_columns, fmt::format("<= {}", kMax78000WeightColumns), Severity::kWarning);
  }
  if (u.peak_data_bytes > kMax78000DataBytes) {
    r.add("(network)", "max78000.data_memory.total", "live activation bytes (512 KiB)",
          u.peak_data_bytes, fmt::format("<= {}", kMax78000DataBytes));
  }
  return r.take();
}

}  // namespace physiolite::arch
