// Parameter and MAC counts against docs/model.md (parameter and MAC counts, dataset profiles)
// (measured on [R]'s Python model).
#include "physiolite/arch/layer_table.hpp"

#include <gtest/gtest.h>

#include "physiolite/arch/profiles.hpp"

namespace physiolite::arch {
namespace {

struct Expected {
  const char* profile;
  int64_t params;
  int64_t macs;
};

// docs/model.md (dataset profiles), "params = int8 bytes" and "MACs / window" columns.
constexpr Expected kTable18[] = {
    {"uci", 310976, 17876480},     {"db5", 323008, 5149952},
    {"epn612", 310976, 17876480},  {"epn612_readme", 310976, 9750016},
    {"ptb", 311632, 19965184},     {"cpsc", 312656, 19966208},
    {"chapman", 311376, 11838464}, {"chapman_kset7", 283216, 9217024},
};

TEST(LayerTable, ParametersAndMacsMatchReferenceTable) {
  for (const Expected& e : kTable18) {
    const auto layers = describe_layers(find_profile(e.profile).config);
    EXPECT_EQ(count_parameters(layers), e.params) << e.profile;
    EXPECT_EQ(count_macs(layers), e.macs) << e.profile;
  }
}

TEST(LayerTable, ParametersFollowClosedFormOfSection17) {
  // params = C^2 + 176 C + 304 640 + 256 K for b = 16, D = 256, m = 64, d = 3, kernels {3,5,7}.
  for (int raw : {1, 3, 12}) {
    for (int k : {2, 10, 53}) {
      ModelConfig c = find_profile("uci").config;
      c.raw_channels = raw;
      c.num_classes = k;
      const int64_t ch = raw + 16;
      EXPECT_EQ(count_parameters(describe_layers(c)), ch * ch + 176 * ch + 304640 + 256 * k);
    }
  }
}

TEST(LayerTable, UciPerLayerWeightsAndMacs) {
  struct Row {
    const char* name;
    int64_t weights, macs;
  };
  // docs/model.md (dataset profiles), "Per layer, uci".
  const Row rows[] = {{"bank.stem", 576, 147456},
                      {"bank.branches[0]", 1152, 294912},
                      {"bank.branches[1]", 1920, 491520},
                      {"bank.branches[2].c1", 1152, 294912},
                      {"bank.branches[2].c2", 768, 196608},
                      {"bank.branches[2].c3", 768, 196608},
                      {"patch.proj", 36864, 2359296},
                      {"blocks[1].conv1", 16384, 1048576},
                      {"blocks[1].conv2", 12288, 786432},
                      {"blocks[1].conv3", 16384, 1048576},
                      {"fusion_barrier.conv", 65536, 4194304},
                      {"head_proj.proj", 65536, 1048576},
                      {"head.classifier", 1536, 1536}};
  const auto layers = describe_layers(find_profile("uci").config);
  for (const Row& r : rows) {
    const auto it = std::find_if(layers.begin(), layers.end(),
                                 [&](const LayerSpec& l) { return l.name == r.name; });
    ASSERT_NE(it, layers.end()) << r.name;
    EXPECT_EQ(it->weights, r.weights) << r.name;
    EXPECT_EQ(it->macs, r.macs) << r.name;
  }
}

TEST(LayerTable, PtbBankWeightsOnLength512) {
  const auto layers = describe_layers(find_profile("ptb").config);
  const int64_t expected[] = {784, 1344, 2240, 1344, 768, 768};  // docs/model.md (dataset profiles)
  const char* names[] = {"bank.stem",           "bank.branches[0]",    "bank.branches[1]",
                         "bank.branches[2].c1", "bank.branches[2].c2", "bank.branches[2].c3"};
  for (int i = 0; i < 6; ++i) {
    const auto it = std::find_if(layers.begin(), layers.end(),
                                 [&](const LayerSpec& l) { return l.name == names[i]; });
    ASSERT_NE(it, layers.end());
    EXPECT_EQ(it->weights, expected[i]) << names[i];
    EXPECT_EQ(it->out_dims.width, 512) << names[i];
  }
}

TEST(LayerTable, LayerOrderAndShapesFollowSection13) {
  const auto layers = describe_layers(find_profile("uci").config);
  std::vector<std::string> names;
  for (const auto& l : layers) names.push_back(l.name);
  const std::vector<std::string> head(names.begin(), names.begin() + 10);
  EXPECT_EQ(head, (std::vector<std::string>{"bank.front_pool", "bank.stem", "bank.branches[0]",
                                            "bank.branches[1]", "bank.branches[2].c1",
                                            "bank.branches[2].c2", "bank.branches[2].c3",
                                            "bank.concat", "patch.pool", "patch.proj"}));
  const LayerSpec& concat = layers[7];
  EXPECT_EQ(concat.inputs, (std::vector<std::string>{"bank.branches[0]", "bank.branches[1]",
                                                     "bank.branches[2].c3"}));
  EXPECT_EQ(concat.out_channels, 48);
  const LayerSpec& add = layers[13];
  EXPECT_EQ(add.name, "blocks[0].add");
  EXPECT_EQ(add.inputs, (std::vector<std::string>{"blocks[0].conv3", "patch.proj"}));
  EXPECT_EQ(add.activation, "none");
  const LayerSpec& gap = layers[layers.size() - 2];
  EXPECT_EQ(gap.name, "head.gap");
  EXPECT_EQ(gap.in_dims, (Dims{1, 16}));
  EXPECT_EQ(gap.out_dims, (Dims{1, 1}));
  EXPECT_EQ(layers.back().out_channels, 6);
  EXPECT_EQ(layers.back().op, LayerOp::kConv2d);
}

TEST(LayerTable, TorchModuleNames) {
  EXPECT_EQ(torch_module_name("bank.branches[2].c1"), "bank.branches.2.c1");
  EXPECT_EQ(torch_module_name("blocks[10].conv3"), "blocks.10.conv3");
  EXPECT_EQ(torch_module_name("head.classifier"), "head.classifier");
}

}  // namespace
}  // namespace physiolite::arch
