#include "physiolite/export/onnx_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "physiolite/core/error.hpp"

// After our headers: ONNX's assertions.h defines a function-like macro `fail_check`, which would
// rewrite PL_CHECK's call of physiolite::fail_check; it is not needed past the includes.
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>
#undef fail_check

namespace physiolite::exporting {

namespace {

using qgraph::Op;
using qgraph::OpType;

constexpr int kOpset = 13;

struct FormSpec {
  OnnxForm form;
  const char* text;
  const char* input;
  const char* output;
  int act_elem;    // activations' and activation zero points' type (unused for kFloat)
  int act_offset;  // added to activation codes and zero points (uint8 = int8 + 128)
  int w_elem;      // weights' and weight zero points' type
  int w_offset;
};

constexpr FormSpec kForms[] = {
    {OnnxForm::kQdq, "qdq", "input", "logits", onnx::TensorProto::INT8, 0, onnx::TensorProto::INT8,
     0},
    {OnnxForm::kQdqU8, "qdq-u8", "input_u8", "logits_u8", onnx::TensorProto::UINT8, 128,
     onnx::TensorProto::UINT8, 128},
    {OnnxForm::kQdqU8S8, "qdq-u8s8", "input_u8", "logits_u8", onnx::TensorProto::UINT8, 128,
     onnx::TensorProto::INT8, 0},
    {OnnxForm::kFloat, "float", "input", "logits", onnx::TensorProto::FLOAT, 0,
     onnx::TensorProto::FLOAT, 0},
};

const FormSpec& spec(OnnxForm form) {
  for (const auto& f : kForms) {
    if (f.form == form) return f;
  }
  PL_CHECK(false, "unknown OnnxForm");
  return kForms[0];
}

// int8 codes (or zero points) shifted by the form's offset, as the bytes of an int8 or uint8
// tensor (the same byte for both when the offset is 0: two's complement).
std::vector<uint8_t> shifted(const std::vector<int>& codes, int offset) {
  std::vector<uint8_t> out;
  out.reserve(codes.size());
  for (int q : codes) out.push_back(static_cast<uint8_t>(q + offset));
  return out;
}

// One builder for every form: the QDQ forms wrap each op in DequantizeLinear / QuantizeLinear
// of the form's types; the float form carries the real values straight through.
class OnnxBuilder {
 public:
  OnnxBuilder(const qgraph::Graph& g, OnnxForm form, std::string origin)
      : g_(g), f_(spec(form)), origin_(std::move(origin)) {
    model_.set_ir_version(onnx::IR_VERSION);
    model_.set_producer_name("physiolite export");
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    graph_ = model_.mutable_graph();
    graph_->set_name(fmt::format("physiolite_int8_{}", f_.text));
  }

  onnx::ModelProto build() {
    if (is_float()) fold_input_scales();
    names_[g_.input] = f_.input;
    value_info(graph_->add_input(), f_.input, f_.act_elem, g_.tensors[g_.input]);
    for (size_t i = 0; i < g_.ops.size(); ++i) add_op(i);
    value_info(graph_->add_output(), f_.output, f_.act_elem, g_.tensors[g_.output]);
    return model_;
  }

 private:
  bool is_float() const { return f_.form == OnnxForm::kFloat; }

  std::string unique(const std::string& stem) { return fmt::format("{}_{}", stem, count_++); }

  static void value_info(onnx::ValueInfoProto* v, const std::string& name, int elem,
                         const qgraph::Tensor& t) {
    v->set_name(name);
    auto* type = v->mutable_type()->mutable_tensor_type();
    type->set_elem_type(elem);
    for (int64_t d : {int64_t{1}, int64_t{t.channels}, int64_t{t.length}}) {
      type->mutable_shape()->add_dim()->set_dim_value(d);
    }
  }

  template <typename T>
  std::string constant(const std::string& stem, int elem, const std::vector<int64_t>& dims,
                       const std::vector<T>& values) {
    auto* t = graph_->add_initializer();
    t->set_name(unique(stem));
    t->set_data_type(elem);
    for (int64_t d : dims) t->add_dims(d);
    t->set_raw_data(
        std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)));
    return t->name();
  }

  std::string node(const std::string& type, const std::vector<std::string>& inputs,
                   std::string output = "") {
    auto* n = graph_->add_node();
    n->set_op_type(type);
    n->set_name(unique(type));
    for (const auto& in : inputs) n->add_input(in);
    if (output.empty()) output = unique(type + "_out");
    n->add_output(output);
    last_ = n;
    return output;
  }

  void attr_ints(const std::string& name, const std::vector<int64_t>& values) {
    auto* a = last_->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : values) a->add_ints(v);
  }

  void attr_int(const std::string& name, int64_t value) {
    auto* a = last_->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
  }

  // The float form takes the real window x_c; the graph's input tensor holds
  // s_t * (x_c / s_c + z_c - z_t). With z_c = z_t that is x_c scaled by s_t / s_c, which the
  // convs reading the window (directly or through average pools, which commute with the
  // scaling) take into their weights per input channel.
  void fold_input_scales() {
    const auto& t = g_.tensors[static_cast<size_t>(g_.input)];
    bool needed = false;
    for (size_t c = 0; c < g_.input_channels.size(); ++c) {
      const auto& ch = g_.input_channels[c];
      if (ch.zero_point != t.zero_point) {
        throw InputError(InputLocation::file(origin_),
                         fmt::format("input channel {} zero point", c),
                         fmt::format("the input tensor's ({}) to fold the input quantisation "
                                     "into a float model",
                                     t.zero_point),
                         std::to_string(ch.zero_point));
      }
      fold_.push_back(static_cast<double>(t.scale) / static_cast<double>(ch.scale));
      needed = needed || fold_.back() != 1.0;
    }
    if (!needed) {
      fold_.clear();
      return;
    }
    std::vector<bool> raw(g_.tensors.size());
    raw[static_cast<size_t>(g_.input)] = true;
    for (size_t i = 0; i < g_.ops.size(); ++i) {
      const Op& op = g_.ops[i];
      bool reads_raw = false;
      for (int j : op.inputs) reads_raw = reads_raw || raw[static_cast<size_t>(j)];
      if (!reads_raw) continue;
      if (op.type == OpType::kAvgPool1d) {
        raw[static_cast<size_t>(op.output)] = true;
      } else if (op.type == OpType::kConv1d) {
        folded_.push_back(i);
      } else {
        throw InputError(InputLocation::file(origin_),
                         fmt::format("op {} ({})", i, qgraph::to_string(op.type)),
                         "an average pool or a conv reading the input window (to take the "
                         "per-channel input scales in a float model)",
                         "another op");
      }
    }
  }

  // Scale and zero point initialisers of tensor j (shared by its Q and every DQ).
  std::pair<std::string, std::string> params(int j) {
    auto it = params_.find(j);
    if (it != params_.end()) return it->second;
    const auto& t = g_.tensors[static_cast<size_t>(j)];
    const auto p = std::make_pair(
        constant("scale", onnx::TensorProto::FLOAT, {}, std::vector<float>{t.scale}),
        constant("zero_point", f_.act_elem, {}, shifted({t.zero_point}, f_.act_offset)));
    params_[j] = p;
    return p;
  }

  // Tensor j as the float value an op reads.
  std::string real(int j) {
    if (is_float()) return names_.at(j);
    const auto [s, z] = params(j);
    return node("DequantizeLinear", {names_.at(j), s, z});
  }

  void add_op(size_t i) {
    const Op& op = g_.ops[i];
    const auto& y = g_.tensors[static_cast<size_t>(op.output)];
    if (op.act_max != 127 || (op.act_min != -128 && op.act_min != y.zero_point)) {
      throw InputError(InputLocation::file(origin_), fmt::format("op {} clamp", i),
                       fmt::format("[-128, 127] or a ReLU [{}, 127]", y.zero_point),
                       fmt::format("[{}, {}]", op.act_min, op.act_max));
    }
    // A ReLU clamp: the float form needs it wherever real 0 is clipped (zero point -128
    // included), a Q only where its saturation does not clip there itself.
    const bool relu = op.type != OpType::kRelu &&
                      (is_float() ? op.type == OpType::kConv1d && op.act_min >= y.zero_point
                                  : op.act_min == y.zero_point && y.zero_point > -128);
    std::vector<std::string> xs;
    for (int j : op.inputs) xs.push_back(real(j));
    std::string v;
    switch (op.type) {
      case OpType::kConv1d:
        v = conv(i, xs[0]);
        break;
      case OpType::kAvgPool1d:
        v = node("AveragePool", xs);
        attr_ints("kernel_shape", {op.kernel});
        attr_ints("strides", {op.stride});
        break;
      case OpType::kAdd:
        v = node("Add", xs);
        break;
      case OpType::kConcat:
        v = node("Concat", xs);
        attr_int("axis", 1);
        break;
      case OpType::kRelu:
        v = node("Relu", xs);
        break;
    }
    const std::string out = op.output == g_.output ? f_.output : "";
    if (is_float()) {
      names_[op.output] = relu ? node("Relu", {v}, out) : rename(v, out);
      return;
    }
    if (relu) v = node("Relu", {v});
    const auto [s, z] = params(op.output);
    names_[op.output] = node("QuantizeLinear", {v, s, z}, out);
  }

  // The float form's last op writes the graph output under its name.
  std::string rename(const std::string& v, const std::string& out) {
    if (out.empty()) return v;
    last_->set_output(0, out);
    return out;
  }

  std::string conv(size_t i, const std::string& x) {
    const Op& op = g_.ops[i];
    const auto& in = g_.tensors[static_cast<size_t>(op.inputs[0])];
    const int64_t c_out = g_.tensors[static_cast<size_t>(op.output)].channels;
    const int64_t c_in = in.channels, k = op.kernel;
    const bool fold = std::find(folded_.begin(), folded_.end(), i) != folded_.end();
    // [C_out][k][C_in] -> ONNX Conv's [C_out][C_in][k].
    std::vector<int> w(op.weights.size());
    std::vector<float> w_real(is_float() ? op.weights.size() : 0);
    for (int64_t o = 0; o < c_out; ++o) {
      for (int64_t j = 0; j < k; ++j) {
        for (int64_t c = 0; c < c_in; ++c) {
          const auto to = static_cast<size_t>((o * c_in + c) * k + j);
          const int8_t q = op.weights[static_cast<size_t>((o * k + j) * c_in + c)];
          w[to] = q;
          if (is_float()) {
            const double s = static_cast<double>(op.weight_scale[static_cast<size_t>(o)]) *
                             (fold ? fold_[static_cast<size_t>(c)] : 1.0);
            w_real[to] = static_cast<float>(q * s);
          }
        }
      }
    }
    const auto n = static_cast<size_t>(c_out);
    std::vector<double> bias_scale;
    for (float s : op.weight_scale) bias_scale.push_back(static_cast<double>(in.scale) * s);
    std::vector<std::string> inputs{x};
    if (is_float()) {
      inputs.push_back(constant("weights", onnx::TensorProto::FLOAT, {c_out, c_in, k}, w_real));
      if (!op.bias.empty()) {
        std::vector<float> b;
        for (size_t o = 0; o < n; ++o) b.push_back(static_cast<float>(op.bias[o] * bias_scale[o]));
        inputs.push_back(constant("bias", onnx::TensorProto::FLOAT, {c_out}, b));
      }
    } else {
      inputs.push_back(
          node("DequantizeLinear",
               {constant("weights", f_.w_elem, {c_out, c_in, k}, shifted(w, f_.w_offset)),
                constant("weight_scale", onnx::TensorProto::FLOAT, {c_out}, op.weight_scale),
                constant("weight_zero_point", f_.w_elem, {c_out},
                         shifted(std::vector<int>(n), f_.w_offset))}));
      attr_int("axis", 0);
      if (!op.bias.empty()) {
        const std::vector<float> scale(bias_scale.begin(), bias_scale.end());
        inputs.push_back(node("DequantizeLinear",
                              {constant("bias", onnx::TensorProto::INT32, {c_out}, op.bias),
                               constant("bias_scale", onnx::TensorProto::FLOAT, {c_out}, scale),
                               constant("bias_zero_point", onnx::TensorProto::INT32, {c_out},
                                        std::vector<int32_t>(n))}));
        attr_int("axis", 0);
      }
    }
    const std::string y = node("Conv", inputs);
    attr_ints("kernel_shape", {op.kernel});
    attr_ints("pads", {op.pad, op.pad});
    attr_ints("strides", {1});
    return y;
  }

  const qgraph::Graph& g_;
  const FormSpec& f_;
  std::string origin_;
  onnx::ModelProto model_;
  onnx::GraphProto* graph_ = nullptr;
  onnx::NodeProto* last_ = nullptr;
  std::map<int, std::string> names_;
  std::map<int, std::pair<std::string, std::string>> params_;
  std::vector<double> fold_;    // per input channel s_t / s_c (kFloat; empty when all 1)
  std::vector<size_t> folded_;  // the convs that take fold_
  int count_ = 0;
};

}  // namespace

OnnxForm parse_onnx_form(std::string_view text) {
  for (const auto& f : kForms) {
    if (text == f.text) return f.form;
  }
  throw UsageError(
      fmt::format("--onnx-form: expected qdq, qdq-u8, qdq-u8s8 or float, got '{}'", text));
}

std::string_view to_string(OnnxForm form) { return spec(form).text; }
std::string onnx_input_name(OnnxForm form) { return spec(form).input; }
std::string onnx_output_name(OnnxForm form) { return spec(form).output; }

std::vector<uint8_t> onnx_bytes(const qgraph::Graph& graph, const std::string& origin,
                                OnnxForm form) {
  onnx::ModelProto model = OnnxBuilder(graph, form, origin).build();
  try {
    onnx::checker::check_model(model);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       {/*check_type=*/true, /*error_mode=*/1});
  } catch (const std::exception& e) {
    PL_CHECK(false, fmt::format("onnx.checker refuses the export of {}: {}", origin, e.what()));
  }
  std::string bytes;
  PL_CHECK(model.SerializeToString(&bytes), "ModelProto serialisation");
  return {bytes.begin(), bytes.end()};
}

}  // namespace physiolite::exporting
