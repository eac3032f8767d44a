// The order in which Vela 3.10 runs a graph's operators on the WE2's NPU. It matters because an
// operator's weight transfer from flash hides under the compute of the operator run before it.
//
// Vela does not keep the file's operator order: its pass packing walks the graph back from the
// output, depth first. An operator is reached once every consumer of its output has been placed;
// it is placed, then its inputs are walked in the order the operator lists them. A concatenation
// has become one copy per input (an average pool writing into its slice of the output) followed by
// an element-wise pass, and the copies are walked last input first. The command stream is the walk
// reversed, so for parallel branches joined by a concatenation the NPU runs the first branch, its
// copy, the second branch, its copy, ..., then the element-wise pass; for an add of two branches,
// the branch of its second input first. (Learned by reading Vela's pass_packing.py and
// tflite_graph_optimiser.py, its concatenation rewrite; written anew for the qgraph.)
#include <algorithm>

#include "rules.hpp"

namespace physiolite::profile {

std::vector<We2Step> we2_op_order(const qgraph::Graph& g) {
  const size_t n = g.tensors.size();
  std::vector<int> producer(n, -1), consumers(n, 0), placed(n, 0);
  for (size_t i = 0; i < g.ops.size(); ++i) {
    producer[static_cast<size_t>(g.ops[i].output)] = static_cast<int>(i);
    for (int t : g.ops[i].inputs) ++consumers[static_cast<size_t>(t)];
  }
  ++consumers[static_cast<size_t>(g.output)];  // the caller reads it
  std::vector<We2Step> walk;
  auto visit = [&](auto& self, int tensor) -> void {
    const auto t = static_cast<size_t>(tensor);
    if (++placed[t] < consumers[t] || producer[t] < 0) return;
    const int p = producer[t];
    const qgraph::Op& op = g.ops[static_cast<size_t>(p)];
    walk.push_back({.op = p});
    if (op.type == qgraph::OpType::kConcat) {
      for (int i = static_cast<int>(op.inputs.size()) - 1; i >= 0; --i) {
        walk.push_back({.op = p, .part = i});
        self(self, op.inputs[static_cast<size_t>(i)]);
      }
    } else {
      for (int in : op.inputs) self(self, in);
    }
  };
  visit(visit, g.output);
  // Operators the output does not depend on (none in a valid network) run first, in file order.
  std::vector<We2Step> order;
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const int op = static_cast<int>(i);
    if (std::none_of(walk.begin(), walk.end(), [&](const We2Step& s) { return s.op == op; })) {
      order.push_back({.op = op});
    }
  }
  order.insert(order.end(), walk.rbegin(), walk.rend());
  return order;
}

}  // namespace physiolite::profile
