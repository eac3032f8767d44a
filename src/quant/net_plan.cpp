#include "physiolite/quant/net_plan.hpp"

#include <fmt/format.h>

#include <map>
#include <numeric>

#include "physiolite/arch/layer_table.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::quant {

std::vector<Node> plan_network(const arch::ModelConfig& config) {
  std::vector<Node> plan;
  std::map<std::string, int> index{{"input", kGraphInput}};
  for (const arch::LayerSpec& l : arch::describe_layers(config)) {
    if (l.op == arch::LayerOp::kView) {  // [B, D, T] -> [B, D, 1, T]: the same bytes
      index[l.name] = index.at(l.inputs.front());
      continue;
    }
    if (l.activation != "none" && l.activation != "relu") {
      throw UsageError(fmt::format(
          "model.activation: the int8 graph supports relu only (the chips' activation), got '{}'",
          l.activation));
    }
    Node n;
    n.name = l.name;
    for (const std::string& in : l.inputs) n.inputs.push_back(index.at(in));
    n.in_channels = l.in_channels;
    n.in_length = l.in_dims.width;
    n.channels = l.out_channels;
    n.length = l.out_dims.width;
    if (l.is_conv()) {
      PL_CHECK(l.out_dims.height == 1 && (l.op == arch::LayerOp::kConv1d || l.kernel == 1),
               "2-D convs of the plan are 1x1 on height-1 maps");
      n.kind = NodeKind::kConv;
      n.weight = arch::torch_module_name(l.name) + ".weight";
      n.kernel = l.kernel;
      n.pad = l.padding;
      n.relu = l.activation == "relu";
    } else if (l.is_pool()) {
      PL_CHECK(l.pool_kernel.height == 1 && l.pool_stride.height == 1, "pools are 1 x k");
      n.kind = NodeKind::kAvgPool;
      n.kernel = l.pool_kernel.width;
      n.stride = l.pool_stride.width;
    } else {
      n.kind = l.op == arch::LayerOp::kAdd ? NodeKind::kAdd : NodeKind::kConcat;
    }
    plan.push_back(std::move(n));
    index[l.name] = static_cast<int>(plan.size()) - 1;
  }
  return plan;
}

Groups tensor_groups(const std::vector<Node>& plan, bool share_add_operands) {
  const auto n = static_cast<int>(plan.size());
  std::vector<int> parent(static_cast<size_t>(n + 1));  // element n = the graph input
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int a) {
    while (parent[static_cast<size_t>(a)] != a) a = parent[static_cast<size_t>(a)];
    return a;
  };
  auto unite = [&](int a, int b) {
    a = find(a == kGraphInput ? n : a);
    b = find(b == kGraphInput ? n : b);
    parent[static_cast<size_t>(std::max(a, b))] = std::min(a, b);
  };
  for (int i = 0; i < n; ++i) {
    const Node& node = plan[static_cast<size_t>(i)];
    const bool shares = node.kind == NodeKind::kAvgPool || node.kind == NodeKind::kConcat ||
                        (node.kind == NodeKind::kAdd && share_add_operands);
    if (!shares) continue;
    for (int in : node.inputs) unite(i, in);
  }
  Groups g;
  std::vector<int> id(static_cast<size_t>(n + 1), -1);
  for (int i = 0; i <= n; ++i) {
    int& root = id[static_cast<size_t>(find(i))];
    if (root < 0) root = g.count++;
    if (i < n) {
      g.of_node.push_back(root);
    } else {
      g.input_group = root;
    }
  }
  return g;
}

}  // namespace physiolite::quant
