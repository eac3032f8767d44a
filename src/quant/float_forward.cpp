#include "physiolite/quant/float_forward.hpp"

#include "physiolite/core/error.hpp"

namespace physiolite::quant {

ConvWeights conv_weights(model::PhysioLiteNet& net, const std::vector<Node>& plan) {
  const auto params = net->named_parameters();
  ConvWeights out;
  for (const Node& n : plan) {
    if (n.kind != NodeKind::kConv) continue;
    const torch::Tensor* p = params.find(n.weight);
    PL_CHECK(p != nullptr, "the model has no parameter " + n.weight);
    out[n.weight] = p->dim() == 4 ? p->flatten(2) : *p;
  }
  return out;
}

torch::Tensor forward_float(const std::vector<Node>& plan, const ConvWeights& weights,
                            const torch::Tensor& x, Observer& observer) {
  const torch::Tensor input = observer.input(x);
  std::vector<torch::Tensor> out(plan.size());
  auto value = [&](int i) -> const torch::Tensor& {
    return i == kGraphInput ? input : out[static_cast<size_t>(i)];
  };
  for (size_t i = 0; i < plan.size(); ++i) {
    const Node& n = plan[i];
    const int index = static_cast<int>(i);
    torch::Tensor y;
    switch (n.kind) {
      case NodeKind::kConv:
        y = torch::conv1d(value(n.inputs[0]), observer.weight(index, weights.at(n.weight)), {}, 1,
                          n.pad);
        if (n.relu) y = torch::relu(y);
        break;
      case NodeKind::kAvgPool:
        y = torch::avg_pool1d(value(n.inputs[0]), n.kernel, n.stride);
        break;
      case NodeKind::kAdd:
        y = value(n.inputs[0]) + value(n.inputs[1]);
        break;
      case NodeKind::kConcat: {
        std::vector<torch::Tensor> parts;
        for (int in : n.inputs) parts.push_back(value(in));
        y = torch::cat(parts, 1);
        break;
      }
    }
    out[i] = observer.output(index, y);
  }
  return out.back().flatten(1);
}

}  // namespace physiolite::quant
