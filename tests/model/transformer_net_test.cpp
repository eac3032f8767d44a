// The Transformer teacher against hand-counted parameters and against PyTorch 1.13 running the
// same network (tests/golden/gen_teacher.py, written from the layer list in transformer_net.hpp):
// logits (the distillation step on it: tests/train/teacher_test.cpp).
#include "physiolite/model/transformer_net.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "golden/teacher_golden.hpp"
#include "model/tiny_teacher.hpp"
#include "physiolite/arch/layer_table.hpp"
#include "physiolite/arch/teacher_table.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/model/net.hpp"

namespace physiolite::model {
namespace {

namespace golden = testing::teacher_golden;
using testing::expect_logits;
using testing::fill_weights;
using testing::inputs;
using testing::parameter_count;
using testing::tiny_teacher;

TEST(TransformerNet, ParameterCountByHand) {
  // C (D/2) 7 + D/2 + (D/2) D p + D + D + (N + 1) D + depth ((4 + 2r) D^2 + (9 + r) D) + 2D + DK +
  // K = 84 + 4 + 128 + 8 + 8 + 40 + 2 (512 + 88) + 16 + 24 + 3 = 1515
  TransformerNet net(tiny_teacher());
  EXPECT_EQ(parameter_count(*net), 1515);
  EXPECT_EQ(golden::kParameterCount, 1515);
  // configs/mitbih_teacher.json: C = 2 leads + their 2 differences from the median beat + 6 RR
  // side inputs + 16 positional = 26,
  // D 256, depth 4, r 4, patch 16 on 128 samples (N 8), K 4:
  // 26*128*7 + 128 + 128*256*16 + 256 + 256 + 9*256 + 4 (12*65536 + 13*256) + 512 + 1024 + 4
  arch::ModelConfig m = tiny_teacher();
  m.raw_channels = 10;
  m.pos_freqs = 8;
  m.input_length = 128;
  m.num_classes = 4;
  m.embed_dim = 256;
  m.heads = 8;
  m.patch_size = 16;
  m.depth = 4;
  m.mlp_ratio = 4;
  const int64_t expected = 26 * 128 * 7 + 128 + 128 * 256 * 16 + 256 + 256 + 9 * 256 +
                           4 * (12 * 65536 + 13 * 256) + 512 + 1024 + 4;
  // Teacher(26, 128, 256, 8, 16, 4, 4, 4) of gen_teacher.py
  EXPECT_EQ(expected, 3711108);
  Net big = make_net(m);
  EXPECT_EQ(parameter_count(*big), expected);
  // `physiolite info`'s table of the teacher, from the config alone, counts the same.
  EXPECT_EQ(arch::count_parameters(arch::describe_teacher(m)), expected);
  EXPECT_EQ(arch::count_parameters(arch::describe_teacher(tiny_teacher())),
            parameter_count(*make_net(tiny_teacher())));
}

TEST(TransformerNet, MacsByHand) {
  // conv1 3*4*7*16 + conv2 4*8*16 + 2 layers * ((4 + 2*2) * 64 * 5 + 2 * 25 * 8) + head 8*3
  EXPECT_EQ(arch::count_macs(arch::describe_teacher(tiny_teacher())),
            1344 + 512 + 2 * (2560 + 400) + 24);
}

TEST(TransformerNet, TeacherTableRefusesAStudentAndTheStudentTableATeacher) {
  arch::ModelConfig student = tiny_teacher();
  student.type = "physiolite";
  student.target = arch::Target::kNone;
  EXPECT_THROW(arch::describe_teacher(student), UsageError);
  try {
    arch::describe_layers(tiny_teacher());
    ADD_FAILURE() << "a teacher got a chip layer table";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("model.type: expected physiolite"), std::string::npos)
        << e.what();
  }
}

TEST(TransformerNet, ShapesAndNamesMatchThePyTorchModule) {
  TransformerNet net(tiny_teacher());
  const auto params = net->named_parameters();
  ASSERT_EQ(params.size(), std::size(golden::kNames));
  for (size_t i = 0; i < params.size(); ++i) EXPECT_EQ(params[i].key(), golden::kNames[i]) << i;
  EXPECT_EQ(net->num_tokens(), 4);
  EXPECT_EQ(net->forward(torch::zeros({5, 3, 16})).sizes(), (std::vector<int64_t>{5, 3}));
  EXPECT_THROW(net->forward(torch::zeros({5, 3, 15})), c10::Error);
}

TEST(TransformerNet, LogitsMatchPyTorch) {
  TransformerNet net(tiny_teacher());
  fill_weights(*net);
  net->eval();
  torch::NoGradGuard no_grad;
  expect_logits(net->forward(inputs()), golden::kLogits, "logit ");
}

TEST(TransformerNet, DropoutOnlyInTraining) {
  arch::ModelConfig c = tiny_teacher();
  c.dropout = 0.5;
  TransformerNet net(c);
  torch::NoGradGuard no_grad;
  net->eval();
  EXPECT_TRUE(torch::equal(net->forward(inputs()), net->forward(inputs())));
  net->train();
  EXPECT_FALSE(torch::equal(net->forward(inputs()), net->forward(inputs())));
}

TEST(TransformerNet, DropoutZeroesAboutPAndKeepsTheMean) {
  torch::manual_seed(3);
  const torch::Tensor ones = torch::ones({200000});
  const torch::Tensor y = uniform_mask_dropout(ones, 0.3, true);
  const double zeroed = (y == 0).to(torch::kDouble).mean().item<double>();
  EXPECT_NEAR(zeroed, 0.3, 0.005);  // binomial sd sqrt(0.21 / 200000) = 0.001
  EXPECT_NEAR(y.max().item<double>(), 1.0 / 0.7, 1e-6);
  EXPECT_NEAR(y.mean().item<double>(), 1.0, 0.01);
  EXPECT_TRUE(torch::equal(uniform_mask_dropout(ones, 0.3, false), ones));
  EXPECT_TRUE(torch::equal(uniform_mask_dropout(ones, 0.0, true), ones));
}

TEST(TransformerNet, ConfigErrorsNameTheKey) {
  const auto message = [](arch::ModelConfig c) {
    try {
      make_net(c);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  arch::ModelConfig c = tiny_teacher();
  c.heads = 3;
  EXPECT_NE(message(c).find("model.embed_dim: expected a multiple of heads (3)"), std::string::npos)
      << message(c);
  c = tiny_teacher();
  c.patch_size = 5;
  EXPECT_NE(message(c).find("model.input_length: expected a multiple of patch_size (5)"),
            std::string::npos)
      << message(c);
  c = tiny_teacher();
  c.target = arch::Target::kMax78000;
  EXPECT_NE(message(c).find("model.target"), std::string::npos) << message(c);
  c = tiny_teacher();
  c.type = "lstm";
  EXPECT_NE(message(c).find("model.type: expected one of physiolite, transformer"),
            std::string::npos)
      << message(c);
}

}  // namespace
}  // namespace physiolite::model
