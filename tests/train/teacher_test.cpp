// train.teacher end to end on the tiny sine problem: a Transformer teacher (model.type
// transformer) trained by the same loop, its logits on the student's training windows computed
// once, cached in the student's run directory and reused, and the refusals (other data, no
// kd_alpha) that must stop before anything is written; and one distillation step of the tiny
// teacher against PyTorch 1.13 (tests/golden/gen_teacher.py).
#include <gtest/gtest.h>

#include <fstream>

#include "common/temp_dir.hpp"
#include "golden/teacher_golden.hpp"
#include "model/tiny_teacher.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/model/transformer_net.hpp"
#include "physiolite/train/evaluation.hpp"
#include "physiolite/train/losses.hpp"
#include "physiolite/train/teacher_logits.hpp"
#include "physiolite/train/trainer.hpp"
#include "train/run_training.hpp"
#include "train/synthetic_data.hpp"

namespace physiolite::train {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using testing::read_json;
using testing::train;

// A 2-layer, 16-wide teacher with 8-sample patches of the 64-sample windows.
json teacher_config(const fs::path& dir) {
  json config = testing::tiny_config(dir);
  config["model"] = {
      {"type", "transformer"}, {"embed_dim", 16}, {"depth", 2},     {"heads", 2},
      {"patch_size", 8},       {"mlp_ratio", 2},  {"dropout", 0.0}, {"pos_freqs", 2}};
  config["run_dir"] = (dir / "teacher").string();
  return config;
}

json student_config(const fs::path& dir) {
  json config = testing::tiny_config(dir);
  config["train"]["teacher"] = (dir / "teacher").string();
  config["train"]["kd_alpha"] = 0.5;
  config["train"]["kd_temperature"] = 2.0;
  return config;
}

TEST(Teacher, TrainsWithTheSameLoopAndReloadsAsItsType) {
  testing::TempDir dir;
  const TrainResult r = train(teacher_config(dir.path()));
  EXPECT_TRUE(r.finished);
  const json metrics = read_json(dir / "teacher" / "metrics.json");
  EXPECT_GE(metrics["validation"]["accuracy"].get<double>(), 0.9) << metrics.dump();
  const json resolved = read_json(dir / "teacher" / "config.json");
  EXPECT_EQ(resolved["model"]["type"], "transformer");
  EXPECT_EQ(resolved["model"]["patch_size"], 8);
  TrainedModel m = load_trained_model(dir / "teacher" / "best.pt", "");
  EXPECT_EQ(m.model_config.type, "transformer");
  EXPECT_FALSE(m.net);  // not a student: nothing to quantise
  ASSERT_TRUE(m.network);
}

TEST(Teacher, StudentDistilsFromCachedTeacherLogits) {
  testing::TempDir dir;
  ASSERT_TRUE(train(teacher_config(dir.path())).finished);
  TrainRunOptions stop;
  stop.stop_after_epochs = 2;
  const TrainResult first = train(student_config(dir.path()), stop);
  EXPECT_FALSE(first.finished);
  const fs::path cache = dir / "run" / kTeacherLogitsFile;
  ASSERT_TRUE(fs::exists(cache));

  // The cache holds the teacher's own predictions on the student's training windows.
  TrainedModel teacher = load_trained_model(dir / "teacher" / "best.pt", "");
  const data::WindowSet windows = testing::sine_windows(192, 64, 1);
  const Predictions expected = predict_windows(teacher, windows, "train");
  const TrainConfig student = parse_train_config(student_config(dir.path()), "");
  const TeacherLogits cached = teacher_logits(dir / "teacher", student, windows, cache, "");
  EXPECT_TRUE(cached.from_cache);
  ASSERT_EQ(cached.logits.size(), expected.logits.size());
  for (size_t i = 0; i < expected.logits.size(); ++i) {
    EXPECT_FLOAT_EQ(cached.logits[i], expected.logits[i]) << i;
  }
  // Resuming reads the cache (same key) and finishes.
  const auto written = fs::last_write_time(cache);
  TrainRunOptions resume;
  resume.resume = true;
  const TrainResult rest = train(student_config(dir.path()), resume);
  EXPECT_TRUE(rest.finished);
  EXPECT_EQ(fs::last_write_time(cache), written);
  const json metrics = read_json(dir / "run" / "metrics.json");
  EXPECT_GE(metrics["validation"]["accuracy"].get<double>(), 0.9) << metrics.dump();
}

TEST(Teacher, RefusesATeacherOfOtherDataOrNoKdWeight) {
  testing::TempDir dir;
  ASSERT_TRUE(train(teacher_config(dir.path())).finished);
  json config = student_config(dir.path());
  data::write_hdf5_windows(dir / "other.h5", testing::sine_windows(192, 64, 5));
  config["data"]["train_file"] = (dir / "other.h5").string();
  try {
    train(config);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("train.teacher"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("data.train_file differs"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "run"));
  config = student_config(dir.path());
  config["train"]["kd_alpha"] = 0.0;
  EXPECT_THROW(train(config), UsageError);
  config = student_config(dir.path());
  config["train"]["teacher"] = (dir / "nowhere").string();
  EXPECT_THROW(train(config), InputError);
  EXPECT_FALSE(fs::exists(dir / "run"));
}

TEST(Teacher, DistillationStepMatchesPyTorch) {
  model::TransformerNet net(testing::tiny_teacher());
  testing::fill_weights(*net);
  net->train();  // dropout 0: training mode computes the same function
  LossOptions loss;
  loss.kd_alpha = 0.5;
  loss.kd_temperature = 2.0;
  const torch::Tensor targets = torch::tensor({2, 0}, torch::kInt64);
  const torch::Tensor teacher = torch::tensor({{0.5f, -1.0f, 2.0f}, {1.5f, 0.25f, -0.75f}});
  torch::optim::AdamW adam(net->parameters(), torch::optim::AdamWOptions(0.01).weight_decay(0.05));
  adam.zero_grad();
  const torch::Tensor l = training_loss(net->forward(testing::inputs()), targets, teacher, loss);
  EXPECT_NEAR(l.item<float>(), testing::teacher_golden::kLoss, 1e-5);
  l.backward();
  adam.step();
  torch::NoGradGuard no_grad;
  testing::expect_logits(net->forward(testing::inputs()), testing::teacher_golden::kLogitsAfterStep,
                         "logit after step ");
}

}  // namespace
}  // namespace physiolite::train
