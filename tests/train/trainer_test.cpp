// The training loop end to end on a tiny separable problem: accuracy, run files, exact resume,
// refusal to overwrite, distillation, and bad inputs that must stop it before anything is written.
#include "physiolite/train/trainer.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/train/checkpoint.hpp"
#include "physiolite/train/evaluation.hpp"
#include "physiolite/train/model_input.hpp"
#include "train/run_training.hpp"
#include "train/synthetic_data.hpp"

namespace physiolite::train {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using testing::read_json;
using testing::train;

// Weights of a checkpoint, by parameter name.
std::vector<torch::Tensor> weights_of(const fs::path& checkpoint) {
  TrainedModel m = load_trained_model(checkpoint, "");
  std::vector<torch::Tensor> out;
  for (const auto& p : m.net->parameters()) out.push_back(p.clone());
  return out;
}

TEST(Trainer, LearnsASeparableProblemAndWritesTheRunFiles) {
  testing::TempDir dir;
  const json config = testing::tiny_config(dir.path());
  const TrainResult r = train(config);
  EXPECT_TRUE(r.finished);
  EXPECT_EQ(r.epochs_done, 6);
  const fs::path run = dir / "run";
  for (const char* f : {"config.json", "log.jsonl", "last.pt", "best.pt", "metrics.json",
                        "confusion_val.svg", "curves.svg", "metric.svg", "report.md"}) {
    EXPECT_TRUE(fs::exists(run / f)) << f;
  }
  const json metrics = read_json(run / "metrics.json");
  EXPECT_GE(metrics["validation"]["accuracy"].get<double>(), 0.95) << metrics.dump();
  EXPECT_GE(r.best_metric, 0.95);
  EXPECT_EQ(metrics["validation"]["scored_classes"], json({"slow", "fast"}));
  EXPECT_EQ(metrics["history"].size(), 6u);
  // The resolved config carries every default and the model's data-derived shape.
  const json resolved = read_json(run / "config.json");
  EXPECT_EQ(resolved["train"]["scheduler"], "cosine");
  EXPECT_EQ(resolved["model"]["input_length"], 64);
  EXPECT_EQ(resolved["model"]["num_classes"], 2);
  std::ifstream log(run / "log.jsonl");
  int lines = 0;
  for (std::string line; std::getline(log, line); ++lines) {
    EXPECT_EQ(json::parse(line)["epoch"], lines + 1);
  }
  EXPECT_EQ(lines, 6);
}

TEST(Trainer, InterruptedAndResumedRunEndsWithTheSameWeights) {
  testing::TempDir dir;
  json config = testing::tiny_config(dir.path());
  config["train"]["epochs"] = 4;
  config["train"]["sampler"] = "balanced";
  config["train"]["samples_per_epoch"] = 96;
  config["train"]["grad_clip"] = 0.5;
  // Augmented batches too: their draws must not depend on where the run was interrupted.
  config["train"]["augment_scale"] = 0.1;
  config["train"]["augment_noise"] = 0.05;
  config["train"]["augment_shift"] = 2;
  // And the weight average, which validation and best.pt use.
  config["train"]["ema_decay"] = 0.9;
  TrainRunOptions no_report;
  no_report.final_report = false;
  config["run_dir"] = (dir / "straight").string();
  train(config, no_report);

  config["run_dir"] = (dir / "resumed").string();
  TrainRunOptions interrupted = no_report;
  interrupted.stop_after_epochs = 2;
  const TrainResult first = train(config, interrupted);
  EXPECT_FALSE(first.finished);
  EXPECT_EQ(first.epochs_done, 2);
  EXPECT_EQ(read_checkpoint_meta(dir / "resumed" / "last.pt")["epoch"], 2);
  TrainRunOptions resume = no_report;
  resume.resume = true;
  const TrainResult second = train(config, resume);
  EXPECT_TRUE(second.finished);
  EXPECT_EQ(second.epochs_done, 4);

  const auto a = weights_of(dir / "straight" / "last.pt");
  const auto b = weights_of(dir / "resumed" / "last.pt");
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << "tensor " << i;
  const auto best_a = weights_of(dir / "straight" / "best.pt");
  const auto best_b = weights_of(dir / "resumed" / "best.pt");
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(best_a[i], best_b[i])) << i;
  const json la = read_checkpoint_meta(dir / "straight" / "last.pt")["history"];
  const json lb = read_checkpoint_meta(dir / "resumed" / "last.pt")["history"];
  for (size_t e = 0; e < 4; ++e) EXPECT_EQ(la[e]["train_loss"], lb[e]["train_loss"]) << e;
}

TEST(Trainer, WithAWeightAverageBestCheckpointHoldsTheAverage) {
  testing::TempDir dir;
  json config = testing::tiny_config(dir.path());
  config["train"]["epochs"] = 1;  // the one epoch is the best one
  config["train"]["ema_decay"] = 0.9;
  TrainRunOptions no_report;
  no_report.final_report = false;
  train(config, no_report);
  const TrainedModel best = load_trained_model(dir / "run" / "best.pt", "");
  model::PhysioLiteNet trained(best.model_config), average(best.model_config);
  load_checkpoint(dir / "run" / "last.pt", trained, nullptr, &average);
  bool differs_from_trained = false;
  for (size_t i = 0; i < average->parameters().size(); ++i) {
    EXPECT_TRUE(torch::equal(best.net->parameters()[i], average->parameters()[i])) << i;
    differs_from_trained |= !torch::equal(average->parameters()[i], trained->parameters()[i]);
  }
  EXPECT_TRUE(differs_from_trained);
}

TEST(Trainer, SelectsOnTheMacroF1OfTheGivenClassesAndNamesAnUnknownOne) {
  testing::TempDir dir;
  json config = testing::tiny_config(dir.path());
  config["train"]["select_metric"] = "macro_f1";
  config["train"]["select_classes"] = {"fast"};
  TrainRunOptions no_report;
  no_report.final_report = false;
  const TrainResult r = train(config, no_report);
  // The selected metric is the F1 of class "fast" alone, as the validation report gives it.
  const json history = read_checkpoint_meta(dir / "run" / "last.pt")["history"];
  const json best = history[static_cast<size_t>(r.best_epoch - 1)];
  TrainedModel m = load_trained_model(dir / "run" / "best.pt", "");
  const SplitEvaluation e = evaluate_split(m, data::Split::kValidation, "");
  EXPECT_DOUBLE_EQ(best["selected"].get<double>(), e.report.classes[1].f1);
  EXPECT_EQ(e.report.classes[1].name, "fast");

  config["train"]["select_classes"] = {"medium"};
  config["run_dir"] = (dir / "other").string();
  try {
    train(config, no_report);
    FAIL();
  } catch (const UsageError& error) {
    EXPECT_EQ(std::string(error.what()),
              "train.select_classes: 'medium' is not a class of the data (slow, fast)");
  }
  EXPECT_FALSE(fs::exists(dir / "other"));
}

TEST(Trainer, RefusesANonEmptyRunDirectoryAndOverwritesNothing) {
  testing::TempDir dir;
  json config = testing::tiny_config(dir.path());
  fs::create_directories(dir / "run");
  testing::write_text(dir / "run" / "notes.txt", "mine");
  try {
    train(config);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("is not empty; use --resume"), std::string::npos);
  }
  EXPECT_EQ(fs::directory_iterator(dir / "run")->path().filename(), "notes.txt");
  EXPECT_FALSE(fs::exists(dir / "run" / "config.json"));

  // Resuming with another config is refused too.
  config["run_dir"] = (dir / "other").string();
  config["train"]["epochs"] = 2;
  TrainRunOptions stop;
  stop.stop_after_epochs = 1;
  train(config, stop);
  config["train"]["lr"] = 0.1;
  TrainRunOptions resume;
  resume.resume = true;
  try {
    train(config, resume);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("first difference: train.lr"), std::string::npos)
        << e.what();
  }
}

TEST(Trainer, MultiLabelWithCachedTeacherLogits) {
  testing::TempDir dir;
  json config = testing::tiny_config(dir.path(), true);
  data::WindowSet train_set = testing::sine_windows(192, 64, 1, true);
  // A confident teacher: logits +-3 following the labels.
  for (int64_t v : train_set.labels) train_set.teacher_logits.push_back(v ? 3.0f : -3.0f);
  train_set.teacher_logits_dim = 2;
  data::write_hdf5_windows(dir / "train.h5", train_set);
  config["train"]["kd_alpha"] = 0.5;
  const TrainResult r = train(config);
  EXPECT_TRUE(r.finished);
  const json metrics = read_json(dir / "run" / "metrics.json");
  EXPECT_TRUE(metrics["validation"]["multi_label"].get<bool>());
  EXPECT_GE(metrics["validation"]["accuracy"].get<double>(), 0.9) << metrics.dump();
}

TEST(Trainer, TeacherLogitsOfTheWrongShapeNameTheFile) {
  testing::TempDir dir;
  json config = testing::tiny_config(dir.path());
  data::WindowSet teacher = testing::sine_windows(192, 64, 1);
  teacher.teacher_logits.assign(192 * 3, 0.0f);
  teacher.teacher_logits_dim = 3;
  data::write_hdf5_windows(dir / "teacher.h5", teacher);
  config["data"]["teacher_logits_file"] = (dir / "teacher.h5").string();
  config["train"]["kd_alpha"] = 0.5;
  try {
    train(config);
    FAIL();
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("teacher.h5"), std::string::npos) << what;
    EXPECT_NE(what.find("teacher_logits"), std::string::npos) << what;
    EXPECT_NE(what.find("(192, 3)"), std::string::npos) << what;
  }
  EXPECT_FALSE(fs::exists(dir / "run"));
}

TEST(Trainer, ClassCountOrWindowLengthThatDoNotFitStopBeforeWriting) {
  testing::TempDir dir;
  json config = testing::tiny_config(dir.path());
  config["model"]["num_classes"] = 5;
  try {
    train(config);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "model.num_classes: 5 does not match the 2 classes in the training data");
  }
  config = testing::tiny_config(dir.path());
  config["model"]["front_pool"] = 3;
  try {
    train(config);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("model.input_length: expected a multiple"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "run"));
}

}  // namespace
}  // namespace physiolite::train
