// Weight averaging (train.ema_decay) against values worked out by hand.
#include "physiolite/train/weight_average.hpp"

#include <gtest/gtest.h>

#include "train/tiny_net_config.hpp"

namespace physiolite::train {
namespace {

void fill(model::PhysioLiteNet& net, float value) {
  torch::NoGradGuard no_grad;
  for (auto& p : net->parameters()) p.fill_(value);
}

TEST(WeightAverage, DecayWarmsUpAsOnePlusStepOverTenPlusStep) {
  EXPECT_DOUBLE_EQ(warmed_up_decay(0.99, 0), 0.1);        // 1/10
  EXPECT_DOUBLE_EQ(warmed_up_decay(0.99, 90), 0.91);      // 91/100
  EXPECT_DOUBLE_EQ(warmed_up_decay(0.99, 890), 0.99);     // 891/900 = 0.99: reached
  EXPECT_DOUBLE_EQ(warmed_up_decay(0.99, 100000), 0.99);  // capped
  EXPECT_DOUBLE_EQ(warmed_up_decay(0.5, 0), 0.1);
  EXPECT_DOUBLE_EQ(warmed_up_decay(0.5, 20), 0.5);  // 21/30 = 0.7 > 0.5
}

TEST(WeightAverage, UpdatesEveryParameterTowardsTheModel) {
  model::PhysioLiteNet model(testing::tiny_net_config()), average(testing::tiny_net_config());
  copy_weights(model, average);
  for (size_t i = 0; i < model->parameters().size(); ++i) {
    EXPECT_TRUE(torch::equal(model->parameters()[i], average->parameters()[i]));
  }
  fill(average, 1.0f);
  fill(model, 3.0f);
  // Step 20 with decay 0.5: d = min(0.5, 21/30) = 0.5, a = 0.5 * 1 + 0.5 * 3 = 2.
  update_weight_average(average, model, 0.5, 20);
  for (const auto& p : average->parameters()) EXPECT_TRUE(torch::all(p == 2.0f).item<bool>());
  // Step 0 with decay 0.9: d = 0.1, a = 0.1 * 2 + 0.9 * 3 = 2.9.
  update_weight_average(average, model, 0.9, 0);
  for (const auto& p : average->parameters()) {
    EXPECT_TRUE(torch::allclose(p, torch::full_like(p, 2.9f)));
  }
  for (const auto& p : model->parameters()) EXPECT_TRUE(torch::all(p == 3.0f).item<bool>());
}

}  // namespace
}  // namespace physiolite::train
