// Weight quantisation and parameter choice on hand-worked values.
#include "physiolite/quant/graph_builder.hpp"

#include <gtest/gtest.h>

#include "quant/tiny_model.hpp"

namespace physiolite::quant {
namespace {

using qgraph::Scheme;

torch::Tensor weights(std::vector<float> v, int64_t c_out, int64_t c_in) {
  return torch::tensor(v).view({c_out, c_in, 1});
}

TEST(QuantizeConv, Pow2LayerShiftAndCodes) {
  // s_in = s_out: w' = w. max |w'| = 0.3 -> output_shift -1 (weights doubled):
  // 0.3 * 256 = 76.8 -> 77; -0.15 * 256 = -38.4 -> floor(-37.9) = -38. File shift 7 + 1 = 8;
  // a code stands for 2^(-1 - 7) = 1/256.
  QuantizedConv q =
      quantize_conv(weights({0.3f, -0.15f}, 1, 2), {1, 1}, 0.5, 0.5, Scheme::kMax78000);
  EXPECT_EQ(q.weights, (std::vector<int8_t>{77, -38}));
  EXPECT_EQ(q.shift, std::vector<int32_t>{8});
  EXPECT_TRUE(q.multiplier.empty());
  EXPECT_EQ(q.weight_scale, std::vector<float>{1.0f / 256});
  EXPECT_FLOAT_EQ(q.dequantized[0][0][0].item<float>(), 77.0f / 256);
  EXPECT_FLOAT_EQ(q.dequantized[0][1][0].item<float>(), -38.0f / 256);

  // s_in = 2^-5, s_out = 2^-3: w' = w / 4 = (0.5, -0.25) -> shift -1: 0.5 * 256 = 128 clamps
  // to 127, -64. A code stands for 2^-8 * 4 = 2^-6 of the real weight.
  q = quantize_conv(weights({2.0f, -1.0f}, 1, 2), {1, 1}, 1.0 / 32, 1.0 / 8, Scheme::kMax78000);
  EXPECT_EQ(q.weights, (std::vector<int8_t>{127, -64}));
  EXPECT_EQ(q.shift, std::vector<int32_t>{8});
  EXPECT_EQ(q.weight_scale, std::vector<float>{1.0f / 64});
}

TEST(QuantizeConv, InputScalesFoldIntoTheWeights) {
  // The stem reads codes of per-channel scales 0.5 and 2 (table scale 1, s_out 1): folded
  // weights 0.3 * 0.5 = 0.15 and -0.15 * 2 = -0.3 -> shift -1 -> 38 (38.9) and -77 (-76.3);
  // back in real units 38/256/0.5 = 0.296875 and -77/256/2 = -0.150390625.
  const QuantizedConv q =
      quantize_conv(weights({0.3f, -0.15f}, 1, 2), {0.5, 2.0}, 1.0, 1.0, Scheme::kMax78000);
  EXPECT_EQ(q.weights, (std::vector<int8_t>{38, -77}));
  EXPECT_FLOAT_EQ(q.dequantized[0][0][0].item<float>(), 0.296875f);
  EXPECT_FLOAT_EQ(q.dequantized[0][1][0].item<float>(), -0.150390625f);
}

TEST(QuantizeConv, TflitePerChannelSymmetric) {
  // Channel 0: max 0.5 -> scale 0.5/127, codes 127 and -0.26/0.5*127 = -66.04 -> -66.
  // Channel 1: max 0.2 -> scale 0.2/127, codes 0.11/0.2*127 = 69.85 -> 70 and 127.
  // Multipliers s_in s_w / s_out with s_in 0.02, s_out 0.1 (scales as float32):
  //   0.02 * 0.003937008 / 0.1 = 7.874016e-4 = 0.8062992 * 2^-10 -> 1 731 514 368, shift -10
  //   0.02 * 0.0015748031 / 0.1 = 3.149606e-4 = 0.6450394 * 2^-11 -> 1 385 211 494, shift -11
  // Layout [C_out][k][C_in].
  const QuantizedConv q =
      quantize_conv(weights({0.5f, -0.26f, 0.11f, 0.2f}, 2, 2), {1, 1}, 0.02, 0.1, Scheme::kTflite);
  EXPECT_EQ(q.weights, (std::vector<int8_t>{127, -66, 70, 127}));
  EXPECT_EQ(q.multiplier, (std::vector<int32_t>{1731514368, 1385211494}));
  EXPECT_EQ(q.shift, (std::vector<int32_t>{-10, -11}));
  EXPECT_FLOAT_EQ(q.weight_scale[0], 0.5f / 127);
  EXPECT_FLOAT_EQ(q.dequantized[1][0][0].item<float>(), 70 * (0.2f / 127));
}

TEST(ChooseParams, GroupsShareTheUnitedRange) {
  const std::vector<Node> plan = plan_network(testing::tiny_model_config());
  Calibration cal;
  cal.nodes.assign(plan.size(), Range{0, 1});
  auto at = [&](const char* name) -> size_t {
    for (size_t i = 0; i < plan.size(); ++i) {
      if (plan[i].name == name) return i;
    }
    return plan.size();
  };
  cal.nodes[at("bank.branches[0]")] = {0, 0.3};
  cal.nodes[at("bank.branches[1]")] = {0, 1.7};
  cal.nodes[at("blocks[0].conv3")] = {-5, 3};
  cal.nodes[at("blocks[0].conv2")] = {0, 6};
  // Input: signal [-3, 2], side/positional channels +-0.1.
  cal.input_channels = {{-3, 2}, {-0.1, 0.1}, {-0.1, 0.1}, {-0.1, 0.1}, {-0.1, 0.1}};

  const QuantParams pow2 = choose_params(plan, cal, Scheme::kMax78000);
  // Concat group max 1.7 -> 2^1 -> scale 2^1/128; residual stream max 5 -> 2^3 -> 2^3/128;
  // conv2 alone: 6 -> 2^3; the rest 1 -> 2^0.
  EXPECT_EQ(pow2.node[at("bank.concat")].scale, 2.0f / 128);
  EXPECT_EQ(pow2.node[at("patch.pool")].scale, 2.0f / 128);
  EXPECT_EQ(pow2.node[at("blocks[1].add")].scale, 8.0f / 128);
  EXPECT_EQ(pow2.node[at("patch.proj")].scale, 8.0f / 128);
  EXPECT_EQ(pow2.node[at("blocks[0].conv1")].scale, 1.0f / 128);
  EXPECT_EQ(pow2.node[at("bank.stem")].scale, 1.0f / 128);
  EXPECT_EQ(pow2.node[at("bank.front_pool")].scale, 1.0f);  // the input's codes
  EXPECT_TRUE(pow2.holds_input[at("bank.front_pool")]);
  // Input channels: 3 -> 2^2/128; 0.1 -> 2^-3/128.
  EXPECT_EQ(pow2.input_scale, (std::vector<float>{4.0f / 128, 0.125f / 128, 0.125f / 128,
                                                  0.125f / 128, 0.125f / 128}));

  const QuantParams tfl = choose_params(plan, cal, Scheme::kTflite);
  // Concat group [0, 1.7], read by the patch pool: zero point 0 and scale 1.7/127 =
  // 0.856693 * 2^-6 with the mantissa rounded up to 14 bits: ceil(14036.06) = 14037 -> 14037 *
  // 2^-20. conv3 alone [-5, 3]: 8/255, zero point -128 + 5/(8/255) = 31.375 -> 31; the add keeps
  // its own [0, 1].
  EXPECT_EQ(tfl.node[at("bank.branches[0]")].scale, 14037.0f / 1048576);
  EXPECT_EQ(tfl.node[at("bank.branches[0]")].zero_point, 0);
  EXPECT_EQ(tfl.node[at("patch.pool")].zero_point, 0);
  EXPECT_FLOAT_EQ(tfl.node[at("blocks[0].conv3")].scale, 8.0f / 255);
  EXPECT_EQ(tfl.node[at("blocks[0].conv3")].zero_point, 31);
  EXPECT_FLOAT_EQ(tfl.node[at("blocks[0].add")].scale, 1.0f / 255);
  EXPECT_FLOAT_EQ(tfl.input_scale[0], 3.0f / 127);
  EXPECT_FLOAT_EQ(tfl.input_scale[1], 0.1f / 127);
}

}  // namespace
}  // namespace physiolite::quant
