#include "physiolite/export/onnx_writer.hpp"

#include <fmt/format.h>

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

class OnnxBuilder {
 public:
  explicit OnnxBuilder(const qgraph::Graph& g) : g_(g) {
    model_.set_ir_version(onnx::IR_VERSION);
    model_.set_producer_name("physiolite export");
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    graph_ = model_.mutable_graph();
    graph_->set_name("physiolite_int8_qdq");
  }

  onnx::ModelProto build(const std::string& origin) {
    names_[g_.input] = "input";
    value_info(graph_->add_input(), "input", onnx::TensorProto::INT8, g_.tensors[g_.input]);
    for (size_t i = 0; i < g_.ops.size(); ++i) add_op(i, origin);
    value_info(graph_->add_output(), "logits", onnx::TensorProto::INT8, g_.tensors[g_.output]);
    return model_;
  }

 private:
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

  // Scale and zero point initialisers of tensor j (shared by its Q and every DQ).
  std::pair<std::string, std::string> params(int j) {
    auto it = params_.find(j);
    if (it != params_.end()) return it->second;
    const auto& t = g_.tensors[static_cast<size_t>(j)];
    const auto p =
        std::make_pair(constant("scale", onnx::TensorProto::FLOAT, {}, std::vector<float>{t.scale}),
                       constant("zero_point", onnx::TensorProto::INT8, {},
                                std::vector<int8_t>{static_cast<int8_t>(t.zero_point)}));
    params_[j] = p;
    return p;
  }

  std::string dequantized(int j) {
    const auto [s, z] = params(j);
    return node("DequantizeLinear", {names_.at(j), s, z});
  }

  void add_op(size_t i, const std::string& origin) {
    const Op& op = g_.ops[i];
    const auto& y = g_.tensors[static_cast<size_t>(op.output)];
    const bool relu = op.act_min == y.zero_point && y.zero_point > -128;
    if (op.act_max != 127 || (op.act_min != -128 && op.act_min != y.zero_point)) {
      throw InputError(InputLocation::file(origin), fmt::format("op {} clamp", i),
                       fmt::format("[-128, 127] or a ReLU [{}, 127]", y.zero_point),
                       fmt::format("[{}, {}]", op.act_min, op.act_max));
    }
    std::vector<std::string> xs;
    for (int j : op.inputs) xs.push_back(dequantized(j));
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
    if (relu && op.type != OpType::kRelu) v = node("Relu", {v});
    const auto [s, z] = params(op.output);
    names_[op.output] = node("QuantizeLinear", {v, s, z}, op.output == g_.output ? "logits" : "");
  }

  std::string conv(size_t i, const std::string& x) {
    const Op& op = g_.ops[i];
    const auto& in = g_.tensors[static_cast<size_t>(op.inputs[0])];
    const int64_t c_out = g_.tensors[static_cast<size_t>(op.output)].channels;
    const int64_t c_in = in.channels, k = op.kernel;
    // [C_out][k][C_in] -> ONNX Conv's [C_out][C_in][k].
    std::vector<int8_t> w(op.weights.size());
    for (int64_t o = 0; o < c_out; ++o) {
      for (int64_t j = 0; j < k; ++j) {
        for (int64_t c = 0; c < c_in; ++c) {
          w[static_cast<size_t>((o * c_in + c) * k + j)] =
              op.weights[static_cast<size_t>((o * k + j) * c_in + c)];
        }
      }
    }
    const auto n = static_cast<size_t>(c_out);
    const std::string wq = node(
        "DequantizeLinear",
        {constant("weights", onnx::TensorProto::INT8, {c_out, c_in, k}, w),
         constant("weight_scale", onnx::TensorProto::FLOAT, {c_out}, op.weight_scale),
         constant("weight_zero_point", onnx::TensorProto::INT8, {c_out}, std::vector<int8_t>(n))});
    attr_int("axis", 0);
    std::vector<std::string> inputs{x, wq};
    if (!op.bias.empty()) {
      std::vector<float> scale;
      for (float s : op.weight_scale) {
        scale.push_back(static_cast<float>(static_cast<double>(in.scale) * s));
      }
      inputs.push_back(node("DequantizeLinear",
                            {constant("bias", onnx::TensorProto::INT32, {c_out}, op.bias),
                             constant("bias_scale", onnx::TensorProto::FLOAT, {c_out}, scale),
                             constant("bias_zero_point", onnx::TensorProto::INT32, {c_out},
                                      std::vector<int32_t>(n))}));
      attr_int("axis", 0);
    }
    const std::string y = node("Conv", inputs);
    attr_ints("kernel_shape", {op.kernel});
    attr_ints("pads", {op.pad, op.pad});
    attr_ints("strides", {1});
    return y;
  }

  const qgraph::Graph& g_;
  onnx::ModelProto model_;
  onnx::GraphProto* graph_ = nullptr;
  onnx::NodeProto* last_ = nullptr;
  std::map<int, std::string> names_;
  std::map<int, std::pair<std::string, std::string>> params_;
  int count_ = 0;
};

}  // namespace

std::vector<uint8_t> onnx_bytes(const qgraph::Graph& graph, const std::string& origin) {
  onnx::ModelProto model = OnnxBuilder(graph).build(origin);
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
