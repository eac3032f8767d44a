// The quantiser's view of the network: nodes, tensor groups, and the float forward along it
// against PhysioLiteNet::forward.
#include "physiolite/quant/net_plan.hpp"

#include <gtest/gtest.h>

#include "physiolite/core/error.hpp"
#include "physiolite/quant/float_forward.hpp"
#include "quant/tiny_model.hpp"

namespace physiolite::quant {
namespace {

int find(const std::vector<Node>& plan, const std::string& name) {
  for (size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].name == name) return static_cast<int>(i);
  }
  return -2;
}

TEST(NetPlan, NodesFollowTheLayerTable) {
  const std::vector<Node> plan = plan_network(testing::tiny_model_config());
  // fp, stem, 3 + 3 branch convs, concat, pt, patch, 2 x (3 convs + add), barrier, pp,
  // head_proj, gap, classifier.
  ASSERT_EQ(plan.size(), 23u);
  EXPECT_EQ(plan.front().name, "bank.front_pool");
  EXPECT_EQ(plan.front().inputs, std::vector<int>{kGraphInput});
  EXPECT_EQ(plan.front().in_length, 64);
  const Node& c3 = plan[static_cast<size_t>(find(plan, "bank.branches[2].c3"))];
  EXPECT_EQ(c3.weight, "bank.branches.2.c3.weight");
  EXPECT_TRUE(c3.relu);
  EXPECT_EQ(c3.kernel, 3);
  EXPECT_EQ(c3.pad, 1);
  const Node& k5 = plan[static_cast<size_t>(find(plan, "bank.branches[1]"))];
  EXPECT_EQ(k5.pad, 2);
  const Node& add = plan[static_cast<size_t>(find(plan, "blocks[1].add"))];
  EXPECT_EQ(add.kind, NodeKind::kAdd);
  EXPECT_EQ(add.inputs,
            (std::vector<int>{find(plan, "blocks[1].conv3"), find(plan, "blocks[0].add")}));
  // The barrier's 2-D view disappears: its conv reads the last add.
  const Node& barrier = plan[static_cast<size_t>(find(plan, "fusion_barrier.conv"))];
  EXPECT_EQ(barrier.inputs, std::vector<int>{find(plan, "blocks[1].add")});
  EXPECT_EQ(barrier.weight, "fusion_barrier.conv.weight");
  const Node& gap = plan[static_cast<size_t>(find(plan, "head.gap"))];
  EXPECT_EQ(gap.kernel, 8);  // T2 = 64 / 2 / 2 / 2
  EXPECT_EQ(gap.stride, 1);
  EXPECT_EQ(gap.length, 1);
  EXPECT_EQ(plan.back().name, "head.classifier");
  EXPECT_FALSE(plan.back().relu);
}

TEST(NetPlan, GroupsOfSharedParameters) {
  const std::vector<Node> plan = plan_network(testing::tiny_model_config());
  auto group = [&](const Groups& g, const char* name) {
    return g.of_node[static_cast<size_t>(find(plan, name))];
  };
  for (bool pow2 : {true, false}) {
    const Groups g = tensor_groups(plan, pow2);
    EXPECT_EQ(group(g, "bank.front_pool"), g.input_group);
    EXPECT_NE(group(g, "bank.stem"), g.input_group);
    for (const char* part :
         {"bank.branches[0]", "bank.branches[1]", "bank.branches[2].c3", "patch.pool"}) {
      EXPECT_EQ(group(g, part), group(g, "bank.concat")) << part;
    }
    EXPECT_NE(group(g, "bank.branches[2].c2"), group(g, "bank.concat"));
    EXPECT_EQ(group(g, "head_proj.pool"), group(g, "fusion_barrier.conv"));
    EXPECT_EQ(group(g, "head.gap"), group(g, "head_proj.proj"));
    // The residual stream: one group in POW2, separate tensors in TFLite.
    EXPECT_EQ(group(g, "blocks[0].conv3") == group(g, "patch.proj"), pow2);
    EXPECT_EQ(group(g, "blocks[1].add") == group(g, "patch.proj"), pow2);
    EXPECT_NE(group(g, "blocks[0].conv2"), group(g, "patch.proj"));
  }
  EXPECT_EQ(tensor_groups(plan, false).count, 23 + 1 - 1 - 4 - 1 - 1);
}

TEST(NetPlan, OtherActivationsAreRefused) {
  arch::ModelConfig c = testing::tiny_model_config();
  c.activation = "gelu";
  try {
    plan_network(c);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("model.activation"), std::string::npos) << e.what();
  }
}

TEST(FloatForward, EqualsTheModelsForward) {
  model::PhysioLiteNet net = testing::tiny_model();
  const std::vector<Node> plan = plan_network(net->options());
  torch::NoGradGuard no_grad;
  const torch::Tensor x = net->prepare_input(torch::randn({4, 1, 64}));
  Observer identity;
  const torch::Tensor ours = forward_float(plan, conv_weights(net, plan), x, identity);
  const torch::Tensor theirs = net->forward(x);
  ASSERT_EQ(ours.sizes(), theirs.sizes());
  EXPECT_LT((ours - theirs).abs().max().item<float>(), 1e-5f);
}

TEST(FloatForward, WeightsAreViewsOfTheParameters) {
  model::PhysioLiteNet net = testing::tiny_model();
  const std::vector<Node> plan = plan_network(net->options());
  const ConvWeights w = conv_weights(net, plan);
  EXPECT_EQ(w.size(), 16u);
  EXPECT_EQ(w.at("head.classifier.weight").sizes(), (std::vector<int64_t>{2, 32, 1}));
  {
    torch::NoGradGuard no_grad;
    net->named_parameters()["head.classifier.weight"].fill_(0.5f);
  }
  EXPECT_EQ(w.at("head.classifier.weight")[1][3][0].item<float>(), 0.5f);
}

}  // namespace
}  // namespace physiolite::quant
