// PhysioLiteNet against the torch-free layer table and against a PyTorch reference forward pass
// (tests/golden/gen_model.py, written from docs/model.md (layer table) independently of this code).
#include "physiolite/model/physiolite_net.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "golden/physiolite_logits.hpp"
#include "physiolite/arch/layer_table.hpp"
#include "physiolite/arch/profiles.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::model {
namespace {

class PhysioLiteNetTest : public ::testing::Test {
 protected:
  void SetUp() override { at::set_num_threads(2); }
};

arch::ModelConfig profile(const char* name) { return arch::find_profile(name).config; }

TEST_F(PhysioLiteNetTest, ForwardGivesBatchByClasses) {
  for (const char* name : {"uci", "ptb"}) {
    PhysioLiteNet net(profile(name));
    const auto& c = net->options();
    torch::NoGradGuard no_grad;
    const torch::Tensor x = net->prepare_input(torch::randn({3, c.raw_channels, c.input_length}));
    const torch::Tensor logits = net->forward(x);
    EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{3, c.num_classes})) << name;
    EXPECT_TRUE(torch::isfinite(logits).all().item<bool>()) << name;
  }
}

TEST_F(PhysioLiteNetTest, ParametersMatchTheLayerTableForEveryProfile) {
  for (const arch::Profile& p : arch::profiles()) {
    PhysioLiteNet net(p.config);
    std::map<std::string, int64_t> torch_params;
    int64_t total = 0;
    for (const auto& item : net->named_parameters()) {
      torch_params[item.key()] = item.value().numel();
      total += item.value().numel();
      EXPECT_TRUE(item.value().requires_grad()) << item.key();
    }
    const auto layers = arch::describe_layers(p.config);
    EXPECT_EQ(total, arch::count_parameters(layers)) << p.name;
    size_t convs = 0;
    for (const arch::LayerSpec& l : layers) {
      if (!l.is_conv()) continue;
      ++convs;
      const std::string key = arch::torch_module_name(l.name) + ".weight";
      ASSERT_TRUE(torch_params.count(key)) << p.name << ": " << key;
      EXPECT_EQ(torch_params[key], l.weights) << p.name << ": " << key;
    }
    EXPECT_EQ(convs, torch_params.size()) << p.name;
  }
}

// Same closed formulas as fill_weights() / raw_input() in tests/golden/gen_model.py.
void fill_weights(PhysioLiteNet& net) {
  torch::NoGradGuard no_grad;
  int64_t j = 0;
  for (auto& w : net->parameters()) {
    const int64_t n = w.numel();
    const double scale = std::sqrt(48.0 / static_cast<double>(n / w.size(0)));
    std::vector<float> v(n);
    for (int64_t i = 0; i < n; ++i) {
      const double u = static_cast<double>((7919 * i + 104729 * j) % 10007) / 10007.0 - 0.5;
      v[i] = static_cast<float>(u * scale);
    }
    w.copy_(torch::from_blob(v.data(), w.sizes(), torch::kFloat32));
    ++j;
  }
}

torch::Tensor raw_input(int batch, int channels, int length) {
  std::vector<float> v;
  for (int b = 0; b < batch; ++b) {
    for (int c = 0; c < channels; ++c) {
      for (int n = 0; n < length; ++n) {
        v.push_back(static_cast<float>(std::sin(0.05 * n * (c + 1) + 0.3 * b) +
                                       0.2 * std::cos(0.011 * n * c)));
      }
    }
  }
  return torch::from_blob(v.data(), {batch, channels, length}, torch::kFloat32).clone();
}

template <size_t NNames, size_t NLogits>
void expect_matches_reference(const char* profile_name, const char* const (&names)[NNames],
                              const float (&logits)[NLogits]) {
  PhysioLiteNet net(profile(profile_name));
  net->eval();
  const auto params = net->named_parameters();
  ASSERT_EQ(params.size(), NNames);
  for (size_t i = 0; i < NNames; ++i) EXPECT_EQ(params[i].key(), names[i]) << i;
  fill_weights(net);
  const auto& c = net->options();
  torch::NoGradGuard no_grad;
  const torch::Tensor out =
      net->forward(net->prepare_input(raw_input(2, c.raw_channels, c.input_length)));
  ASSERT_EQ(out.numel(), static_cast<int64_t>(NLogits));
  const auto flat = out.contiguous().view({-1});
  for (size_t i = 0; i < NLogits; ++i) {
    EXPECT_NEAR(flat[i].item<float>(), logits[i], 1e-4) << profile_name << " logit " << i;
  }
}

TEST_F(PhysioLiteNetTest, LogitsMatchPyTorchReferenceUci) {
  expect_matches_reference("uci", golden::kUciParamNames, golden::kUciLogits);
}

TEST_F(PhysioLiteNetTest, LogitsMatchPyTorchReferenceSingleBranchBank) {
  expect_matches_reference("chapman_kset7", golden::kChapmanKset7ParamNames,
                           golden::kChapmanKset7Logits);
}

TEST_F(PhysioLiteNetTest, ConstructorRefusesAConfigBreakingItsTarget) {
  arch::ModelConfig c = profile("uci");
  c.kernel_set = {3, 5, 11};
  c.target = arch::Target::kMax78000;
  try {
    PhysioLiteNet net(c);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("max78000.conv1d.kernel"), std::string::npos);
  }
  c.target = arch::Target::kNone;
  EXPECT_NO_THROW(PhysioLiteNet{c});
  arch::ModelConfig ecg = profile("ptb");
  ecg.target = arch::Target::kMax78000;  // T = 2048 is above the izer's 1024
  EXPECT_THROW(PhysioLiteNet{ecg}, UsageError);
  arch::ModelConfig bad = profile("uci");
  bad.input_length = 1000;
  EXPECT_THROW(PhysioLiteNet{bad}, UsageError);
}

TEST_F(PhysioLiteNetTest, ForwardRejectsTheWrongShape) {
  PhysioLiteNet net(profile("uci"));
  EXPECT_THROW(net->forward(torch::zeros({1, 8, 1024})), c10::Error);  // PE not appended
  EXPECT_THROW(net->prepare_input(torch::zeros({1, 8, 1000})), c10::Error);
}

TEST_F(PhysioLiteNetTest, PositionalChannelsFollowTheRawOnes) {
  PhysioLiteNet net(profile("uci"));
  const torch::Tensor x = net->prepare_input(torch::zeros({2, 8, 1024}));
  ASSERT_EQ(x.sizes(), (std::vector<int64_t>{2, 24, 1024}));
  EXPECT_EQ(x.index({0, 8, 0}).item<float>(), 0.0f);          // 0.1 sin(0)
  EXPECT_NEAR(x.index({1, 9, 0}).item<float>(), 0.1f, 1e-7);  // 0.1 cos(0)
  EXPECT_NEAR(x.index({0, 22, 2}).item<float>(), 0.1f * 1.0f,
              1e-5);  // docs/model.md (positional channels): row 14, n = 2
}

}  // namespace
}  // namespace physiolite::model
