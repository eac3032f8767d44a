// HX6538 WE2 / Arm Ethos-U55 rules of docs/chip_rules.md (WE2 / Ethos-U55): Vela's NPU placement
// constraints (SUPPORTED_OPS.md of Vela 4.2.0, [V3] = 3.6 where it is stricter). An operator that
// breaks one runs on the Cortex-M55 instead of the NPU, which we report as an error.
//
// Export mapping (ours): Conv1d -> CONV_2D with height 1 and a 1 x k kernel; pools ->
// AVERAGE_POOL_2D, VALID padding; the residual add -> ADD; the bank concat -> CONCATENATION on
// the channel axis; the 1-D -> 2-D view -> RESHAPE. No biases are exported (zero int32 if any).
#include <fmt/format.h>

#include <algorithm>

#include "physiolite/arch/chip_rules.hpp"
#include "rule_report.hpp"

namespace physiolite::arch {

namespace {

using detail::LayerIndex;
using detail::RuleReport;

constexpr int kMaxTensorDim = 65535;
constexpr int64_t kMaxWeightSum = 8323072;  // 127 * 65536, per output channel
constexpr int kMaxInt8Weight = 127;         // symmetric per-channel int8 weights

void check_tensor_dims(RuleReport& r, const std::string& layer, int channels, Dims d) {
  for (int v : {channels, d.height, d.width}) {
    r.range(layer, "we2.tensor.dims", "every tensor dimension", v, 1, kMaxTensorDim);
  }
}

void check_conv(RuleReport& r, const LayerSpec& l) {
  const bool is_2d = l.op == LayerOp::kConv2d;
  const int kernel_h = is_2d ? l.kernel : 1;
  const int64_t dilated_w = static_cast<int64_t>(l.dilation) * (l.kernel - 1) + 1;
  const int64_t dilated_h = is_2d ? dilated_w : 1;
  r.range(l.name, "we2.conv.stride", "CONV_2D stride", l.stride, 1, 3);
  r.range(l.name, "we2.conv.dilation", "CONV_2D dilation ([V3])", l.dilation, 1, 2);
  r.range(l.name, "we2.conv.kernel_height", "CONV_2D dilated kernel height", dilated_h, 1, 64);
  r.range(l.name, "we2.conv.kernel_area", "CONV_2D dilated kernel area", dilated_h * dilated_w, 1,
          4096);
  // Trained weights decide the sum; warn when the worst case of int8 weights can break it.
  const int64_t fan_in = static_cast<int64_t>(l.in_channels) * l.kernel * kernel_h;
  if (fan_in * kMaxInt8Weight > kMaxWeightSum) {
    r.add(l.name, "we2.conv.weight_sum",
          "per output channel sum |w - zero_point| (worst case 127 * fan-in)",
          fan_in * kMaxInt8Weight, fmt::format("<= {}", kMaxWeightSum), Severity::kWarning);
  }
  static const std::string_view kFusable[] = {"none", "relu", "relu6", "tanh", "sigmoid"};
  if (std::find(std::begin(kFusable), std::end(kFusable), l.activation) == std::end(kFusable)) {
    r.add(l.name, "we2.activation", "fused activation (RELU, RELU6, RELU_N1_TO_1, TANH, LOGISTIC)",
          l.activation, "relu, relu6, tanh, sigmoid, none");
  }
}

// Vela 4.2.0 rewrites a width stride s > 3 when s is divisible by 2 (or 3) and the input width by
// s/2 (or s/3); 3.x refuses any stride above 3, so those pools warn (uNPU-Bench pins Vela 3.9.0).
void check_pool_stride_w(RuleReport& r, const LayerSpec& l) {
  const int s = l.pool_stride.width;
  const int w = l.in_dims.width;
  if (s >= 1 && s <= 3) return;
  const bool v42 = s > 3 && ((s % 2 == 0 && w % (s / 2) == 0) || (s % 3 == 0 && w % (s / 3) == 0));
  if (v42) {
    r.add(l.name, "we2.avgpool.stride_vela3",
          "AVERAGE_POOL_2D width stride (Vela 3.x: 1..3; 4.2.0 rewrites this one)", s, "1..3",
          Severity::kWarning);
  } else {
    r.add(l.name, "we2.avgpool.stride",
          "AVERAGE_POOL_2D width stride (1..3, or divisible by 2/3 with the input width "
          "divisible by stride/2 or stride/3)",
          s, fmt::format("1..3 or a rewritable stride for width {}", w));
  }
}

void check_pool(RuleReport& r, const LayerSpec& l) {
  r.range(l.name, "we2.avgpool.kernel_height", "AVERAGE_POOL_2D (VALID) kernel height",
          l.pool_kernel.height, 1, 256);
  r.range(l.name, "we2.avgpool.kernel_area", "AVERAGE_POOL_2D (VALID) kernel area",
          l.pool_kernel.size(), 1, 65536);
  if (l.out_dims.height > 1) {
    r.range(l.name, "we2.avgpool.stride_h", "AVERAGE_POOL_2D height stride", l.pool_stride.height,
            1, 3);
  }
  check_pool_stride_w(r, l);
}

std::string shape(int channels, Dims d) {
  return fmt::format("{}x{}x{}", channels, d.height, d.width);
}

void check_add(RuleReport& r, const LayerSpec& l, const LayerIndex& index) {
  const std::string out = shape(l.out_channels, l.out_dims);
  bool one_equal = false;
  for (const std::string& in : l.inputs) {
    const LayerSpec& p = index.at(in);
    one_equal = one_equal || shape(p.out_channels, p.out_dims) == out;
  }
  if (!one_equal) {
    r.add(l.name, "we2.add.shape", "ADD: one input shape equals the output shape",
          shape(index.at(l.inputs.front()).out_channels, index.at(l.inputs.front()).out_dims), out);
  }
}

void check_concat(RuleReport& r, const LayerSpec& l, const LayerIndex& index) {
  int channels = 0;
  for (const std::string& in : l.inputs) {
    const LayerSpec& p = index.at(in);
    channels += p.out_channels;
    if (!(p.out_dims == l.out_dims)) {
      r.add(l.name, "we2.concat.shape", "CONCATENATION: non-axis dimensions equal",
            shape(p.out_channels, p.out_dims), shape(p.out_channels, l.out_dims));
    }
  }
  if (channels != l.out_channels) {
    r.add(l.name, "we2.concat.axis", "CONCATENATION: axis sizes add up", channels,
          std::to_string(l.out_channels));
  }
}

}  // namespace

std::vector<RuleViolation> check_we2_rules(const std::vector<LayerSpec>& layers) {
  RuleReport r;
  if (layers.empty()) return r.take();
  const LayerIndex index(layers);
  check_tensor_dims(r, layers.front().name, layers.front().in_channels, layers.front().in_dims);
  for (const LayerSpec& l : layers) {
    check_tensor_dims(r, l.name, l.out_channels, l.out_dims);
    if (l.is_conv()) check_conv(r, l);
    if (l.is_pool()) check_pool(r, l);
    if (l.op == LayerOp::kAdd) check_add(r, l, index);
    if (l.op == LayerOp::kConcat) check_concat(r, l, index);
    if (l.op == LayerOp::kView && static_cast<int64_t>(l.in_channels) * l.in_dims.size() !=
                                      static_cast<int64_t>(l.out_channels) * l.out_dims.size()) {
      r.add(l.name, "we2.reshape.elements", "RESHAPE keeps the element count",
            shape(l.out_channels, l.out_dims), shape(l.in_channels, l.in_dims));
    }
  }
  return r.take();
}

}  // namespace physiolite::arch
