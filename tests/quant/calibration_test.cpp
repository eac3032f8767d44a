// Calibration ranges against numbers computed independently of the observers: the data's own
// extremes, the positional channels' formula, the model's forward, a normal quantile.
#include "physiolite/quant/calibration.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "physiolite/arch/positional.hpp"
#include "physiolite/core/error.hpp"
#include "quant/tiny_model.hpp"

namespace physiolite::quant {
namespace {

TEST(Calibration, SeededSubsetIsSortedDistinctAndRepeatable) {
  const auto a = calibration_indices(100, 10, 7);
  ASSERT_EQ(a.size(), 10u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::adjacent_find(a.begin(), a.end()), a.end());
  EXPECT_GE(a.front(), 0);
  EXPECT_LT(a.back(), 100);
  EXPECT_EQ(calibration_indices(100, 10, 7), a);
  EXPECT_NE(calibration_indices(100, 10, 8), a);
  EXPECT_EQ(calibration_indices(5, 10, 7), (std::vector<int64_t>{0, 1, 2, 3, 4}));
}

TEST(Calibration, MinMaxRanges) {
  model::PhysioLiteNet net = testing::tiny_model();
  const std::vector<Node> plan = plan_network(net->options());
  const data::WindowSet set = testing::sine_windows(40, 64, 5);
  const train::InputAssembler assembler(net->options(), 1, 0);
  CalibrationOptions options;
  options.windows = 1000;  // all 40
  options.batch_size = 16;
  const Calibration c = calibrate(plan, conv_weights(net, plan), set, assembler, options);
  EXPECT_EQ(c.windows, 40);
  ASSERT_EQ(c.input_channels.size(), 5u);
  const auto [lo, hi] = std::minmax_element(set.data.begin(), set.data.end());
  EXPECT_EQ(c.input_channels[0].min, *lo);
  EXPECT_EQ(c.input_channels[0].max, *hi);
  const std::vector<float> pe = arch::positional_channels(64, 2, 0.1);
  for (int row = 0; row < 4; ++row) {
    const auto [plo, phi] = std::minmax_element(pe.begin() + row * 64, pe.begin() + (row + 1) * 64);
    EXPECT_EQ(c.input_channels[static_cast<size_t>(row + 1)].min, *plo) << row;
    EXPECT_EQ(c.input_channels[static_cast<size_t>(row + 1)].max, *phi) << row;
  }
  // The classifier's range is that of the logits of PhysioLiteNet::forward on the same windows.
  torch::NoGradGuard no_grad;
  std::vector<int64_t> all(40);
  std::iota(all.begin(), all.end(), 0);
  torch::Tensor x = torch::empty({40, 5, 64});
  assembler.assemble(set, all, x.data_ptr<float>());
  const torch::Tensor logits = net->forward(x);
  EXPECT_NEAR(c.nodes.back().min, logits.min().item<double>(), 1e-5);
  EXPECT_NEAR(c.nodes.back().max, logits.max().item<double>(), 1e-5);
  // ReLU outputs never go below 0.
  EXPECT_GE(c.nodes[4].min, 0.0);
}

TEST(Calibration, PercentileClipsTheTails) {
  // 256 windows of N(0, 1) noise: the 1st and 99th percentiles are -+2.326 (standard normal
  // quantile); with 16 384 values the sample quantile's standard error is about 0.03.
  data::WindowSet set;
  set.n = 256;
  set.c = 1;
  set.t = 64;
  std::mt19937 gen(11);
  std::normal_distribution<float> normal(0, 1);
  for (int64_t i = 0; i < set.n * set.t; ++i) set.data.push_back(normal(gen));
  set.labels.assign(256, 0);
  model::PhysioLiteNet net = testing::tiny_model();
  const std::vector<Node> plan = plan_network(net->options());
  const train::InputAssembler assembler(net->options(), 1, 0);
  CalibrationOptions options;
  options.method = "percentile";
  options.percentile = 99;
  const Calibration c = calibrate(plan, conv_weights(net, plan), set, assembler, options);
  EXPECT_NEAR(c.input_channels[0].max, 2.326, 0.12);
  EXPECT_NEAR(c.input_channels[0].min, -2.326, 0.12);
  // p = 100 keeps the extremes (the histogram's edges).
  options.percentile = 100;
  const Calibration all = calibrate(plan, conv_weights(net, plan), set, assembler, options);
  const auto [lo, hi] = std::minmax_element(set.data.begin(), set.data.end());
  EXPECT_NEAR(all.input_channels[0].max, *hi, 1e-5);
  EXPECT_NEAR(all.input_channels[0].min, *lo, 1e-5);
}

TEST(Calibration, BadOptionsNameTheFlag) {
  CalibrationOptions o;
  o.method = "mse";
  EXPECT_THROW(o.validate(), UsageError);
  o.method = "percentile";
  o.percentile = 30;
  try {
    o.validate();
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--percentile"), std::string::npos);
  }
  o.percentile = 99.9;
  o.windows = 0;
  EXPECT_THROW(o.validate(), UsageError);
}

}  // namespace
}  // namespace physiolite::quant
