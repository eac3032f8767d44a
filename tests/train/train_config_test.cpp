// Config errors name the dotted key; the model follows the data's shape.
#include "physiolite/train/train_config.hpp"

#include <gtest/gtest.h>

#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/train/model_input.hpp"
#include "train/synthetic_data.hpp"

namespace physiolite::train {
namespace {

using nlohmann::json;

json base_config() {
  return {{"data", {{"dataset", "hdf5"}, {"train_file", "a.h5"}, {"validation_file", "b.h5"}}},
          {"run_dir", "runs/x"}};
}

std::string parse_error(json config) {
  try {
    parse_train_config(config, "");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TrainConfig, DefaultsAndResolvedJson) {
  const TrainConfig c = parse_train_config(base_config(), "");
  EXPECT_EQ(c.train.epochs, 30);
  EXPECT_EQ(c.train.scheduler, "cosine");
  const json j = to_json(c);
  EXPECT_EQ(j["train"]["lr"], 1e-3);
  EXPECT_EQ(j["data"]["train_file"], "a.h5");
  EXPECT_EQ(j["run_dir"], "runs/x");
  // The resolved form parses back to the same config.
  EXPECT_EQ(to_json(parse_train_config(j, "")), j);
}

TEST(TrainConfig, UnknownKeysAreNamed) {
  json c = base_config();
  c["train"]["learning_rate"] = 0.1;
  EXPECT_NE(parse_error(c).find("train.learning_rate: unknown key"), std::string::npos);
  c = base_config();
  c["data"]["trian_file"] = "x.h5";
  EXPECT_NE(parse_error(c).find("data.trian_file: unknown key"), std::string::npos);
  c = base_config();
  c["optimizer"] = json::object();
  EXPECT_NE(parse_error(c).find("optimizer: unknown key"), std::string::npos);
}

TEST(TrainConfig, WrongTypesAreNamed) {
  json c = base_config();
  c["train"]["epochs"] = "ten";
  EXPECT_EQ(parse_error(c), "train.epochs: expected an integer, got \"ten\"");
  c["train"]["epochs"] = 2.5;
  EXPECT_EQ(parse_error(c), "train.epochs: expected an integer, got 2.5");
  c = base_config();
  c["data"]["multi_label"] = "yes";
  EXPECT_EQ(parse_error(c), "data.multi_label: expected true or false, got \"yes\"");
}

TEST(TrainConfig, ImpossibleValuesAreNamed) {
  auto with = [](const std::string& key, json value) {
    json c = base_config();
    c["train"][key] = value;
    return parse_error(c);
  };
  EXPECT_EQ(with("lr", -1), "train.lr: expected a number > 0, got -1.0");
  EXPECT_NE(with("scheduler", "step").find("train.scheduler: expected one of cosine, none"),
            std::string::npos);
  EXPECT_NE(with("warmup_epochs", 40).find("train.warmup_epochs"), std::string::npos);
  EXPECT_NE(with("kd_alpha", 1.5).find("train.kd_alpha"), std::string::npos);
  EXPECT_EQ(with("augment_scale", 1),
            "train.augment_scale: expected a number in [0, 1) (0 = off), got 1.0");
  EXPECT_EQ(with("ema_decay", 1),
            "train.ema_decay: expected a number in [0, 1) (0 = off), got 1.0");
  EXPECT_EQ(with("augment_noise", -0.1),
            "train.augment_noise: expected a number >= 0 (0 = off), got -0.1");
  EXPECT_EQ(with("augment_shift", -3),
            "train.augment_shift: expected an integer >= 0 (0 = off), got -3");
  EXPECT_NE(with("loss", "bce").find("train.loss: expected ce or ce_softf1 for single-label data"),
            std::string::npos);
  EXPECT_NE(with("loss", "focal").find("train.loss: expected one of ce, ce_softf1, bce"),
            std::string::npos);
  EXPECT_EQ(with("softf1_lambda", -0.3), "train.softf1_lambda: expected a number >= 0, got -0.3");
  // Upper bounds: each would size an allocation.
  EXPECT_EQ(with("batch_size", 1000000000),
            "train.batch_size: expected at most 65536, got 1000000000");
  EXPECT_EQ(with("eval_batch_size", 70000),
            "train.eval_batch_size: expected at most 65536, got 70000");
  EXPECT_EQ(with("epochs", 1000000), "train.epochs: expected at most 100000, got 1000000");
  EXPECT_EQ(with("samples_per_epoch", int64_t{1} << 40),
            "train.samples_per_epoch: expected at most 100000000, got 1099511627776");
  EXPECT_NE(with("lr", json::parse(std::string(60, '[') + std::string(60, ']'))).find("got [[[["),
            std::string::npos);
  json c = base_config();
  c["data"]["dataset"] = "ptb";
  EXPECT_NE(parse_error(c).find("data.dataset: expected one of mitbih"), std::string::npos);
  c = base_config();
  c["data"].erase("train_file");
  EXPECT_NE(parse_error(c).find("data.train_file"), std::string::npos);
}

TEST(TrainConfig, BenchmarkOptionsAreCheckedByName) {
  json c = base_config();
  c["data"] = {{"dataset", "mitbih"}, {"window_lenght", 256}};
  EXPECT_NE(parse_error(c).find("data.window_lenght: unknown key"), std::string::npos);
  c["data"] = {{"dataset", "mitbih"}, {"beat_offset", 600}};
  EXPECT_NE(parse_error(c).find("mitbih.beat_offset"), std::string::npos);
  c["data"] = {{"dataset", "mitbih"}, {"window_length", 256}, {"beat_offset", 128}};
  EXPECT_EQ(parse_train_config(c, "/nowhere").data.benchmark_options["window_length"], 256);
}

TEST(TrainConfig, AssignmentsParseJsonElseString) {
  json c = base_config();
  apply_assignment(c, "train.lr=0.01");
  apply_assignment(c, "train.scheduler=none");
  apply_assignment(c, "model.kernel_set=[3,5]");
  apply_assignment(c, "run_dir=runs/y");
  apply_assignment(c, "data.train_file=1");  // a string key keeps its text
  EXPECT_EQ(c["train"]["lr"], 0.01);
  EXPECT_EQ(c["train"]["scheduler"], "none");
  EXPECT_EQ(c["model"]["kernel_set"], json({3, 5}));
  EXPECT_EQ(c["run_dir"], "runs/y");
  EXPECT_EQ(c["data"]["train_file"], "1");
  EXPECT_THROW(apply_assignment(c, "optim.lr=1"), UsageError);
  EXPECT_THROW(apply_assignment(c, "train.lr"), UsageError);
}

TEST(TrainConfig, FileErrorsNameTheFile) {
  testing::TempDir dir;
  testing::write_text(dir / "bad.json", "{ not json");
  try {
    load_train_config(dir / "bad.json", {}, "");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
  }
  testing::write_text(dir / "c.json", base_config().dump());
  try {
    load_train_config(dir / "c.json", {"train.epochs=0"}, "");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("c.json: train.epochs: expected an integer >= 1"),
              std::string::npos)
        << e.what();
  }
}

TEST(ModelFromData, ShapeFollowsTheWindowsAndMismatchesAreNamed) {
  data::WindowSet set = testing::sine_windows(4, 1000, 1);
  set.side_dim = 4;
  set.side.assign(16, 0.5f);
  try {
    resolve_model_config(json::object(), set);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "model.input_length: expected a multiple of front_pool*patch_pool*post_pool "
                 "(64), got 1000");
  }
  const arch::ModelConfig c = resolve_model_config(
      {{"front_pool", 5}, {"patch_pool", 5}, {"post_pool", 5}, {"target", "max78000"}}, set);
  EXPECT_EQ(c.raw_channels, 5);  // 1 signal + 4 side inputs
  EXPECT_EQ(c.input_length, 1000);
  EXPECT_EQ(c.num_classes, 2);
  try {
    resolve_model_config({{"num_classes", 5}, {"input_length", 1024}}, set);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "model.num_classes: 5 does not match the 2 classes in the training data");
  }
  EXPECT_THROW(resolve_model_config({{"raw_channels", 8}, {"input_length", 1024}}, set),
               UsageError);
  EXPECT_THROW(resolve_model_config({{"depht", 3}}, set), UsageError);
}

TEST(ModelFromData, SideInputsAreStandardisedWithTheTrainingSplitsMeanAndSd) {
  data::WindowSet set = testing::sine_windows(4, 1024, 1);
  set.side_dim = 2;
  // Side input 0 over the 4 windows: 0.8, 1.0, 1.2, 1.0 -> mean 1.0, population sd
  // sqrt((0.04 + 0 + 0.04 + 0) / 4) = sqrt(0.02) = 0.141421. Side input 1 is constant (2.0):
  // scale stays 1.
  set.side = {0.8f, 2.0f, 1.0f, 2.0f, 1.2f, 2.0f, 1.0f, 2.0f};
  const arch::ModelConfig c = resolve_model_config(json::object(), set);
  ASSERT_EQ(c.side_offset.size(), 2u);
  EXPECT_NEAR(c.side_offset[0], 1.0, 1e-6);
  EXPECT_NEAR(c.side_scale[0], 0.1414214, 1e-6);
  EXPECT_NEAR(c.side_offset[1], 2.0, 1e-6);
  EXPECT_EQ(c.side_scale[1], 1.0);
  // Given values are kept, an empty list switches standardisation off, a wrong count is named.
  const arch::ModelConfig given =
      resolve_model_config({{"side_offset", {0, 0}}, {"side_scale", {1, 4}}}, set);
  EXPECT_EQ(given.side_scale, (std::vector<double>{1, 4}));
  EXPECT_TRUE(resolve_model_config({{"side_offset", json::array()}}, set).side_offset.empty());
  arch::ModelConfig wrong = c;
  wrong.side_offset = {0, 0, 0};
  wrong.side_scale = {1, 1, 1};
  try {
    const InputAssembler a(wrong, 1, 2);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "model.side_offset: 3 entries, but the data has 2 side inputs");
  }
  arch::ModelConfig bad_scale = c;
  bad_scale.side_scale[1] = 0;
  EXPECT_THROW(bad_scale.validate(), UsageError);
}

TEST(ModelInput, SideInputsBecomeConstantChannelsBeforeThePositionalOnes) {
  data::WindowSet set;
  set.n = 1;
  set.c = 1;
  set.t = 6;
  set.data = {1, 2, 3, 4, 5, 6};
  set.side_dim = 2;
  set.side = {0.5f, -2.0f};
  arch::ModelConfig config;
  config.raw_channels = 3;
  config.input_length = 4;  // centre crop 6 -> 4
  config.num_classes = 2;
  config.pos_freqs = 1;
  config.pe_scale = 1.0;
  const InputAssembler a(config, 1, 2);
  ASSERT_EQ(a.channels(), 5);
  std::vector<float> out(20);
  const std::vector<int64_t> idx{0};
  a.assemble(set, idx, out.data());
  const std::vector<float> expected_head{2, 3, 4, 5, 0.5f, 0.5f, 0.5f, 0.5f, -2, -2, -2, -2};
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + 12), expected_head);
  // sin(2 pi t), t = 0, 1/3, 2/3, 1 and cos of the same.
  EXPECT_NEAR(out[12], 0.0f, 1e-6);
  EXPECT_NEAR(out[13], 0.8660254f, 1e-6);
  EXPECT_NEAR(out[16], 1.0f, 1e-6);
  EXPECT_NEAR(out[17], -0.5f, 1e-6);

  config.input_length = 8;  // right zero-padding 6 -> 8
  const InputAssembler padded(config, 1, 2);
  std::vector<float> longer(40);
  padded.assemble(set, idx, longer.data());
  EXPECT_EQ(std::vector<float>(longer.begin(), longer.begin() + 8),
            (std::vector<float>{1, 2, 3, 4, 5, 6, 0, 0}));

  // Standardised: (0.5 - 0.5) / 2 = 0 and (-2 - 1) / 0.5 = -6 on every sample.
  config.input_length = 4;
  config.side_offset = {0.5, 1.0};
  config.side_scale = {2.0, 0.5};
  const InputAssembler standardised(config, 1, 2);
  standardised.assemble(set, idx, out.data());
  EXPECT_EQ(std::vector<float>(out.begin() + 4, out.begin() + 12),
            (std::vector<float>{0, 0, 0, 0, -6, -6, -6, -6}));
}

}  // namespace
}  // namespace physiolite::train
