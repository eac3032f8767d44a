// The graph rules (find_problem): one broken rule per case, named with the op or tensor.
#include "physiolite/qgraph/graph.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "qgraph/test_graphs.hpp"

namespace physiolite::qgraph {
namespace {

std::string problem_field(const Graph& g) {
  const auto p = find_problem(g);
  return p ? p->field + ": expected " + p->expected + ", got " + p->found : "none";
}

TEST(GraphRules, EveryOpGraphIsValid) {
  const Graph g = testing::every_op_tflite_graph();
  EXPECT_EQ(problem_field(g), "none");
  EXPECT_EQ(g.num_classes(), 2);
  EXPECT_EQ(g.weight_bytes(), 18 + 2 + 16);
  EXPECT_EQ(g.macs(), 18 * 4 + 2 * 4 + 16 * 1);
}

TEST(GraphRules, BrokenRulesAreNamed) {
  struct Case {
    std::function<void(Graph&)> damage;
    std::string message;
  };
  const Case cases[] = {
      {[](Graph& g) { g.tensors[2].scale = 0.4f; },
       "op 1 (RELU) quantisation: expected the input's scale 0.5"},
      {[](Graph& g) { g.tensors[4].zero_point = 0; }, "op 3 (CONCAT) quantisation"},
      {[](Graph& g) { g.tensors[4].channels = 5; }, "op 3 (CONCAT) channels"},
      {[](Graph& g) { g.tensors[5].length = 3; }, "op 4 (AVGPOOL1D) output shape"},
      {[](Graph& g) { g.ops[5].inputs[1] = 4; }, "op 5 (ADD) shape"},
      {[](Graph& g) { g.ops[5].multiplier.pop_back(); }, "op 5 (ADD) multiplier/shift"},
      {[](Graph& g) { g.ops[5].left_shift = 24; }, "op 5 (ADD) left_shift"},
      {[](Graph& g) { g.ops[0].multiplier[1] = 12345; },
       "op 0 (CONV1D) multiplier: expected 0 or in [2^30, 2^31), got 12345"},
      {[](Graph& g) { g.ops[0].shift[0] = 31; }, "op 0 (CONV1D) shift: expected in [-31, 30]"},
      {[](Graph& g) { g.ops[0].weights.pop_back(); }, "op 0 (CONV1D) weights: expected 3 x 3 x 2"},
      {[](Graph& g) { g.ops[0].stride = 2; }, "op 0 (CONV1D) stride"},
      {[](Graph& g) { g.ops[2].output = 0; }, "op 2 (CONV1D) output: expected a tensor other"},
      {[](Graph& g) { g.ops[4].round_half_up = true; }, "op 4 (AVGPOOL1D) flags"},
      {[](Graph& g) { g.ops[1].weights = {1}; }, "op 1 (RELU) weights: expected none"},
      {[](Graph& g) { g.input_channels[1].zero_point = 3; },
       "input channel 1 zero_point: expected the input tensor's (0)"},
      {[](Graph& g) { g.input_channels.pop_back(); }, "input_params: expected 2 channels"},
      {[](Graph& g) { g.tensors[7].length = 2; }, "output_tensor length"},
      {[](Graph& g) { g.tensors[3].zero_point = 200; }, "tensor 3 zero_point"},
      {[](Graph& g) {
         g.scheme = Scheme::kMax78000;
         for (auto& t : g.tensors) t.zero_point = 0;
       },
       "op 0 (CONV1D) multiplier: expected none (max78000)"},
  };
  for (const Case& c : cases) {
    Graph g = testing::every_op_tflite_graph();
    c.damage(g);
    EXPECT_NE(problem_field(g).find(c.message), std::string::npos) << problem_field(g);
  }
}

TEST(GraphRules, Pow2ShiftRange) {
  Graph g;
  g.tensors = {{"", 1, 1, 1.0f, 0, 0}, {"", 1, 1, 1.0f, 0, 0}};
  g.input_channels = {{}};
  g.output = 1;
  Op op{.type = OpType::kConv1d, .inputs = {0}, .output = 1};
  op.weights = {1};
  op.shift = {22};
  op.weight_scale = {1.0f};
  g.ops = {op};
  EXPECT_EQ(problem_field(g), "none");
  g.ops[0].shift = {23};  // output_shift -16 is below the chip's -15
  EXPECT_EQ(problem_field(g), "op 0 (CONV1D) shift: expected in [-8, 22], got 23");
  g.ops[0].shift = {-8};
  EXPECT_EQ(problem_field(g), "none");
}

}  // namespace
}  // namespace physiolite::qgraph
