#include "physiolite/export/tflite_writer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "physiolite/core/error.hpp"
#include "physiolite/qgraph/quant_math.hpp"
#include "tflite_schema_generated.h"

namespace physiolite::exporting {

namespace tfl = physiolite::tflite;
using qgraph::Op;
using qgraph::OpType;

namespace {

// The Ethos-U55 limits Vela 3.10 checks before it places an operator on the NPU
// (tflite_supported_operators.py); an operator that breaks one runs on the Cortex-M55 instead.
constexpr int kMaxTensorDim = 65535;
constexpr int64_t kMaxWeightSum = int64_t{127} * 65536;  // per output channel, sum |w - zp|
constexpr int kMaxKernelArea = 64 * 64;                  // CONV_2D dilated kernel W x H
constexpr int kMaxPoolArea = 256 * 256;                  // AVERAGE_POOL_2D VALID filter W x H
constexpr int kMaxHwStride = 3;

// Operator versions of the int8 kernels (TFLite's op versioning: the first version that takes
// int8 tensors; CONV_2D 3 = per-channel int8).
constexpr int kConvVersion = 3;
constexpr int kInt8Version = 2;

std::string op_label(const qgraph::Graph& g, size_t i) {
  const Op& op = g.ops[i];
  return op.name.empty() ? fmt::format("op {} ({})", i, qgraph::to_string(op.type))
                         : fmt::format("op {} ({} {})", i, qgraph::to_string(op.type), op.name);
}

[[noreturn]] void refuse(const std::string& origin, const std::string& field,
                         const std::string& expected, const std::string& found) {
  throw InputError(InputLocation::file(origin), field, expected, found);
}

tfl::ActivationFunctionType activation(const qgraph::Graph& g, size_t i,
                                       const std::string& origin) {
  const Op& op = g.ops[i];
  const int32_t zy = g.tensors[static_cast<size_t>(op.output)].zero_point;
  if (op.act_max == 127 && op.act_min == -128) return tfl::ActivationFunctionType_NONE;
  if (op.act_max == 127 && op.act_min == zy) return tfl::ActivationFunctionType_RELU;
  refuse(origin, op_label(g, i) + " clamp",
         fmt::format("[-128, 127] (no activation) or [{}, 127] (RELU at the zero point): TFLite "
                     "fuses no other clamp",
                     zy),
         fmt::format("[{}, {}]", op.act_min, op.act_max));
}

// Vela's AVERAGE_POOL_2D stride rule: stride <= 3, a single output column, or a stride that Vela
// rewrites (the input width divisible by it, or by stride / 2 or stride / 3).
bool vela_pool_stride_ok(int width, int stride, int out_width) {
  if (stride <= kMaxHwStride || out_width == 1 || width % stride == 0) return true;
  for (int hw : {2, 3}) {
    if (stride % hw == 0 && width % (stride / hw) == 0) return true;
  }
  return false;
}

void check_op(const qgraph::Graph& g, size_t i, const std::string& origin) {
  const Op& op = g.ops[i];
  const auto& y = g.tensors[static_cast<size_t>(op.output)];
  const auto& x = g.tensors[static_cast<size_t>(op.inputs[0])];
  const std::string what = op_label(g, i);
  activation(g, i, origin);
  switch (op.type) {
    case OpType::kConv1d: {
      if (op.pad != 0 && 2 * op.pad != op.kernel - 1) {
        refuse(origin, what + " pad",
               fmt::format("0 (VALID) or (kernel - 1) / 2 = {} (SAME): TFLite's CONV_2D pads "
                           "no other way",
                           (op.kernel - 1) / 2),
               std::to_string(op.pad));
      }
      if (op.kernel > kMaxKernelArea) {
        refuse(origin, what + " kernel (we2.conv.kernel_area)",
               fmt::format("at most {} (Ethos-U55 CONV_2D kernel area)", kMaxKernelArea),
               std::to_string(op.kernel));
      }
      const auto c_out = static_cast<size_t>(y.channels);
      const size_t fan_in = op.weights.size() / c_out;
      for (size_t o = 0; o < c_out; ++o) {
        int64_t sum = 0;
        for (size_t j = 0; j < fan_in; ++j) sum += std::abs(op.weights[o * fan_in + j]);
        if (sum > kMaxWeightSum) {
          refuse(origin, fmt::format("{} output channel {} (we2.conv.weight_sum)", what, o),
                 fmt::format("sum of |weights| at most {} (Ethos-U55)", kMaxWeightSum),
                 std::to_string(sum));
        }
        if (!tflite_weight_scale(x.scale, op.weight_scale[o], y.scale, op.multiplier[o],
                                 op.shift[o])) {
          refuse(origin, fmt::format("{} output channel {} multiplier", what, o),
                 "a multiplier TFLite derives from float32 scales (s_in * s_w / s_out)",
                 fmt::format("({}, {}) with s_in {}, s_w {}, s_out {}", op.multiplier[o],
                             op.shift[o], x.scale, op.weight_scale[o], y.scale));
        }
      }
      break;
    }
    case OpType::kAvgPool1d:
      if (op.kernel > kMaxPoolArea) {
        refuse(origin, what + " kernel (we2.avgpool.kernel_area)",
               fmt::format("at most {} (Ethos-U55 AVERAGE_POOL_2D, VALID)", kMaxPoolArea),
               std::to_string(op.kernel));
      }
      if (!vela_pool_stride_ok(x.length, op.stride, y.length)) {
        refuse(origin, what + " stride (we2.avgpool.stride)",
               fmt::format("at most {}, or a stride Vela rewrites (input width {} divisible by "
                           "the stride, or by stride / 2 or stride / 3)",
                           kMaxHwStride, x.length),
               std::to_string(op.stride));
      }
      break;
    case OpType::kAdd: {
      // TFLite's int8 ADD Prepare, from the float scales.
      const auto& b = g.tensors[static_cast<size_t>(op.inputs[1])];
      const double twice_max = 2 * std::max(x.scale, b.scale);
      const double real[3] = {x.scale / twice_max, b.scale / twice_max,
                              twice_max / ((1 << 20) * y.scale)};
      for (size_t k = 0; k < 3; ++k) {
        const auto m = qgraph::quantize_multiplier(real[k]);
        if (op.left_shift != 20 || m.multiplier != op.multiplier[k] || m.shift != op.shift[k]) {
          refuse(
              origin, fmt::format("{} multiplier[{}]", what, k),
              fmt::format("TFLite's ({}, {}) from the tensor scales with left_shift 20",
                          m.multiplier, m.shift),
              fmt::format("({}, {}), left_shift {}", op.multiplier[k], op.shift[k], op.left_shift));
        }
      }
      break;
    }
    case OpType::kConcat:
      break;
    case OpType::kRelu:
      refuse(origin, what + " type", "CONV1D, AVGPOOL1D, ADD or CONCAT (a ReLU is a fused clamp)",
             "RELU");
  }
}

std::vector<int32_t> nhwc(const qgraph::Tensor& t) { return {1, 1, t.length, t.channels}; }

class Builder {
 public:
  explicit Builder(const qgraph::Graph& g) : g_(g) {
    buffers_.push_back(tfl::CreateBuffer(fbb_));  // buffer 0: empty, for every activation
  }

  std::vector<uint8_t> build() {
    for (size_t i = 0; i < g_.tensors.size(); ++i) {
      const auto& t = g_.tensors[i];
      add_tensor(nhwc(t), tfl::TensorType_INT8, 0, t.name.empty() ? fmt::format("t{}", i) : t.name,
                 {t.scale}, {t.zero_point}, 0);
    }
    for (size_t i = 0; i < g_.ops.size(); ++i) add_op(i);
    const std::vector<int32_t> inputs{g_.input}, outputs{g_.output};
    std::vector<flatbuffers::Offset<tfl::SubGraph>> subgraphs{
        tfl::CreateSubGraphDirect(fbb_, &tensors_, &inputs, &outputs, &ops_, "main")};
    std::vector<flatbuffers::Offset<tfl::OperatorCode>> codes;
    for (const auto& [code, version] : codes_) {
      codes.push_back(tfl::CreateOperatorCode(fbb_, static_cast<int8_t>(code), 0, version));
    }
    const auto model = tfl::CreateModelDirect(
        fbb_, 3, &codes, &subgraphs, "PhysioLite int8 graph (physiolite export)", &buffers_);
    fbb_.Finish(model, tfl::ModelIdentifier());
    return {fbb_.GetBufferPointer(), fbb_.GetBufferPointer() + fbb_.GetSize()};
  }

 private:
  int add_tensor(const std::vector<int32_t>& shape, tfl::TensorType type, uint32_t buffer,
                 const std::string& name, const std::vector<float>& scale,
                 const std::vector<int64_t>& zero_point, int quantized_dimension) {
    const auto q = tfl::CreateQuantizationParametersDirect(
        fbb_, nullptr, nullptr, &scale, &zero_point, tfl::QuantizationDetails_NONE, 0,
        quantized_dimension);
    tensors_.push_back(tfl::CreateTensorDirect(fbb_, &shape, type, buffer, name.c_str(), q));
    return static_cast<int>(tensors_.size()) - 1;
  }

  template <typename T>
  uint32_t add_buffer(const std::vector<T>& values) {
    std::vector<uint8_t> bytes(values.size() * sizeof(T));
    std::memcpy(bytes.data(), values.data(), bytes.size());  // little-endian host (the format's)
    buffers_.push_back(tfl::CreateBufferDirect(fbb_, &bytes));
    return static_cast<uint32_t>(buffers_.size()) - 1;
  }

  uint32_t opcode(tfl::BuiltinOperator code, int version) {
    for (size_t i = 0; i < codes_.size(); ++i) {
      if (codes_[i].first == code) return static_cast<uint32_t>(i);
    }
    codes_.emplace_back(code, version);
    return static_cast<uint32_t>(codes_.size()) - 1;
  }

  void add_op(size_t i) {
    const Op& op = g_.ops[i];
    const auto fused = activation(g_, i, "");
    std::vector<int32_t> inputs(op.inputs.begin(), op.inputs.end());
    const std::vector<int32_t> outputs{op.output};
    uint32_t code = 0;
    tfl::BuiltinOptions type = tfl::BuiltinOptions_NONE;
    flatbuffers::Offset<void> options;
    switch (op.type) {
      case OpType::kConv1d:
        inputs.push_back(conv_weights(i));
        inputs.push_back(conv_bias(i));
        code = opcode(tfl::BuiltinOperator_CONV_2D, kConvVersion);
        type = tfl::BuiltinOptions_Conv2DOptions;
        options = tfl::CreateConv2DOptions(
                      fbb_, op.pad == 0 ? tfl::Padding_VALID : tfl::Padding_SAME, 1, 1, fused)
                      .Union();
        break;
      case OpType::kAvgPool1d:
        code = opcode(tfl::BuiltinOperator_AVERAGE_POOL_2D, kInt8Version);
        type = tfl::BuiltinOptions_Pool2DOptions;
        options =
            tfl::CreatePool2DOptions(fbb_, tfl::Padding_VALID, op.stride, 1, op.kernel, 1, fused)
                .Union();
        break;
      case OpType::kAdd:
        code = opcode(tfl::BuiltinOperator_ADD, kInt8Version);
        type = tfl::BuiltinOptions_AddOptions;
        options = tfl::CreateAddOptions(fbb_, fused).Union();
        break;
      case OpType::kConcat:
        code = opcode(tfl::BuiltinOperator_CONCATENATION, kInt8Version);
        type = tfl::BuiltinOptions_ConcatenationOptions;
        options = tfl::CreateConcatenationOptions(fbb_, 3, fused).Union();
        break;
      case OpType::kRelu:
        PL_CHECK(false, "RELU ops are refused by check_we2_graph");
    }
    ops_.push_back(tfl::CreateOperatorDirect(fbb_, code, &inputs, &outputs, type, options));
  }

  std::string stem(size_t i) const {
    return g_.ops[i].name.empty() ? fmt::format("op{}", i) : g_.ops[i].name;
  }

  const qgraph::Tensor& input_of(size_t i) const {
    return g_.tensors[static_cast<size_t>(g_.ops[i].inputs[0])];
  }

  // The exact float32 weight scales (tflite_weight_scale), one per output channel.
  std::vector<float> weight_scales(size_t i) const {
    const Op& op = g_.ops[i];
    const float s_out = g_.tensors[static_cast<size_t>(op.output)].scale;
    std::vector<float> out;
    for (size_t o = 0; o < op.weight_scale.size(); ++o) {
      out.push_back(*tflite_weight_scale(input_of(i).scale, op.weight_scale[o], s_out,
                                         op.multiplier[o], op.shift[o]));
    }
    return out;
  }

  int conv_weights(size_t i) {
    const Op& op = g_.ops[i];
    const int c_out = g_.tensors[static_cast<size_t>(op.output)].channels;
    // The .plq's [C_out][kernel][C_in] is TFLite's OHWI with H = 1, byte for byte.
    const uint32_t buffer = add_buffer(op.weights);
    return add_tensor({c_out, 1, op.kernel, input_of(i).channels}, tfl::TensorType_INT8, buffer,
                      stem(i) + "/weights", weight_scales(i),
                      std::vector<int64_t>(static_cast<size_t>(c_out), 0), 0);
  }

  int conv_bias(size_t i) {
    const Op& op = g_.ops[i];
    const int c_out = g_.tensors[static_cast<size_t>(op.output)].channels;
    std::vector<int32_t> bias = op.bias;
    if (bias.empty()) bias.assign(static_cast<size_t>(c_out), 0);
    std::vector<float> scale;
    for (float s_w : weight_scales(i)) {
      scale.push_back(static_cast<float>(static_cast<double>(input_of(i).scale) * s_w));
    }
    return add_tensor({c_out}, tfl::TensorType_INT32, add_buffer(bias), stem(i) + "/bias", scale,
                      std::vector<int64_t>(static_cast<size_t>(c_out), 0), 0);
  }

  const qgraph::Graph& g_;
  flatbuffers::FlatBufferBuilder fbb_;
  std::vector<flatbuffers::Offset<tfl::Tensor>> tensors_;
  std::vector<flatbuffers::Offset<tfl::Operator>> ops_;
  std::vector<flatbuffers::Offset<tfl::Buffer>> buffers_;
  std::vector<std::pair<tfl::BuiltinOperator, int>> codes_;
};

}  // namespace

std::optional<float> tflite_weight_scale(float s_in, float weight_scale, float s_out,
                                         int32_t multiplier, int32_t shift) {
  // A float32 step moves the product by 2^-24 relative, i.e. ~2^7 multiplier steps, so only one
  // multiplier in ~128 is reachable at all: a multiplier the quantiser derived from the same
  // float32 scales (ours does) is hit at step 0, one from a scale stored a few steps off nearby.
  constexpr int kMaxSteps = 64;
  auto hits = [&](float s_w) {
    const auto m = qgraph::quantize_multiplier(
        static_cast<double>(s_in) * static_cast<double>(s_w) / static_cast<double>(s_out));
    return m.multiplier == multiplier && m.shift == shift;
  };
  float up = weight_scale, down = weight_scale;
  for (int step = 0; step <= kMaxSteps; ++step) {
    if (hits(up)) return up;
    if (hits(down)) return down;
    up = std::nextafter(up, std::numeric_limits<float>::infinity());
    down = std::nextafter(down, 0.0f);
  }
  return std::nullopt;
}

void check_we2_graph(const qgraph::Graph& graph, const std::string& origin) {
  if (graph.scheme != qgraph::Scheme::kTflite) {
    throw UsageError(fmt::format(
        "{}: the WE2 export (--target we2) takes a model quantised with the tflite scheme, this "
        "one uses the {} scheme (quantize with --scheme tflite, or export it with --target {})",
        origin, qgraph::to_string(graph.scheme), "max78000"));
  }
  for (const auto& t : graph.tensors) {
    for (int d : {t.channels, t.length}) {
      if (d > kMaxTensorDim) {
        refuse(origin, fmt::format("tensor {} shape (we2.tensor.dims)", t.name),
               fmt::format("every dimension at most {} (Ethos-U55)", kMaxTensorDim),
               fmt::format("{} x {}", t.channels, t.length));
      }
    }
  }
  for (size_t i = 0; i < graph.ops.size(); ++i) check_op(graph, i, origin);
}

std::vector<uint8_t> tflite_bytes(const qgraph::Graph& graph, const std::string& origin) {
  check_we2_graph(graph, origin);
  return Builder(graph).build();
}

}  // namespace physiolite::exporting
