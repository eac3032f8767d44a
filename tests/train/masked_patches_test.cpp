// Masked-patch pre-training of the teacher (train.objective = masked_patches) and train.init:
// the mask's size, the loss against a hand computation, pre-training on the tiny sine problem
// (no labels read, no classifier scored), fine-tuning from it, and the refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "common/temp_dir.hpp"
#include "model/tiny_teacher.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/model/transformer_net.hpp"
#include "physiolite/train/checkpoint.hpp"
#include "physiolite/train/evaluation.hpp"
#include "physiolite/train/masked_patches.hpp"
#include "train/run_training.hpp"
#include "train/synthetic_data.hpp"

namespace physiolite::train {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(MaskedPatches, MasksTheConfiguredShareOfPatchesInEveryWindow) {
  for (const auto& [ratio, expected] : {std::pair{0.5, 2}, {0.3, 1}, {0.1, 1}, {0.8, 3}}) {
    model::TransformerNet net(testing::tiny_teacher());  // 16 samples, patches of 4: N = 4
    const MaskedPatchObjective objective(*net, 3, ratio);
    EXPECT_EQ(objective.masked_per_window(), expected) << ratio;
    const torch::Tensor mask = objective.draw_mask(64);
    ASSERT_EQ(mask.sizes(), (std::vector<int64_t>{64, 4}));
    EXPECT_TRUE((mask.sum(1) == expected).all().item<bool>()) << ratio;
  }
}

// With the decoder's weights and bias at zero the prediction is 0, so each masked patch costs
// the mean of its normalised samples squared: var / (var + 1e-6), computed here from the inputs
// in double precision, patch by patch (all 3 channels are signal; patches of 4 samples).
TEST(MaskedPatches, ZeroPredictionCostsTheNormalisedPatchVariance) {
  torch::manual_seed(0);
  model::TransformerNet net(testing::tiny_teacher());
  const MaskedPatchObjective objective(*net, 3, 0.5);
  for (auto& p : net->named_parameters()) {
    if (p.key().rfind("pretrain.decoder.", 0) == 0) p.value().detach().zero_();
  }
  const torch::Tensor x = testing::inputs();  // [2, 3, 16]
  const torch::Tensor mask =
      torch::tensor({{true, false, false, true}, {false, true, true, false}}, torch::kBool);
  double expected = 0;
  int count = 0;
  for (int b = 0; b < 2; ++b) {
    for (int n = 0; n < 4; ++n) {
      if (!mask[b][n].item<bool>()) continue;
      double sum = 0, sq = 0;
      for (int c = 0; c < 3; ++c) {
        for (int k = 0; k < 4; ++k) {
          const double v = x[b][c][4 * n + k].item<float>();
          sum += v;
          sq += v * v;
        }
      }
      const double mean = sum / 12, var = sq / 12 - mean * mean;
      expected += var / (var + 1e-6);
      ++count;
    }
  }
  expected /= count;
  EXPECT_NEAR(objective.loss(x, mask).item<double>(), expected, 1e-5);
}

json pretrain_config(const fs::path& dir) {
  json config = testing::tiny_config(dir);
  config["model"] = {
      {"type", "transformer"}, {"embed_dim", 16}, {"depth", 2},     {"heads", 2},
      {"patch_size", 8},       {"mlp_ratio", 2},  {"dropout", 0.0}, {"pos_freqs", 2}};
  config["train"]["objective"] = "masked_patches";
  config["train"]["epochs"] = 30;
  config["run_dir"] = (dir / "pretrain").string();
  return config;
}

std::vector<json> read_log(const fs::path& file) {
  std::ifstream in(file);
  std::vector<json> records;
  for (std::string line; std::getline(in, line);) records.push_back(json::parse(line));
  return records;
}

// Sine windows are predictable from their neighbours: the validation loss must fall well below
// the 1.0 of predicting zero (each patch's target has unit variance). The run selects on that
// loss, scores no classifier, and writes no report (the test split is never read).
TEST(MaskedPatches, PreTrainingLearnsToFillInSinePatches) {
  testing::TempDir dir;
  const TrainResult r = testing::train(pretrain_config(dir.path()));
  EXPECT_TRUE(r.finished);
  const auto log = read_log(dir / "pretrain" / "log.jsonl");
  ASSERT_EQ(log.size(), 30u);
  EXPECT_GT(log.front()["val_loss"].get<double>(), log.back()["val_loss"].get<double>());
  EXPECT_LT(r.best_metric, 0.5);
  EXPECT_FALSE(log.back().contains("val_macro_f1"));
  EXPECT_FALSE(fs::exists(dir / "pretrain" / "metrics.json"));
  EXPECT_TRUE(fs::exists(dir / "pretrain" / "best.pt"));
  // A pre-training run has no classifier: eval, predict and distillation refuse it by name.
  try {
    load_trained_model(dir / "pretrain" / "best.pt", "");
    FAIL() << "a pre-training run was loaded as a classifier";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("train.init"), std::string::npos) << e.what();
  }
}

// train.init copies every weight but the classifier head (and the pre-training decoder); a
// fine-tune at a negligible rate leaves them where pre-training put them.
TEST(MaskedPatches, FineTuningStartsFromThePreTrainedEncoder) {
  testing::TempDir dir;
  ASSERT_TRUE(testing::train(pretrain_config(dir.path())).finished);
  json fine = pretrain_config(dir.path());
  fine["train"].erase("objective");
  fine["train"]["init"] = (dir / "pretrain").string();
  fine["train"]["lr"] = 1e-12;
  fine["train"]["epochs"] = 1;
  fine["train"]["seed"] = 2;  // a head of its own: pre-training never trains (or moves) its head
  fine["train"]["warmup_epochs"] = 0;
  fine["run_dir"] = (dir / "fine").string();
  ASSERT_TRUE(testing::train(fine).finished);

  TrainedModel tuned = load_trained_model(dir / "fine" / "best.pt", "");
  // The pre-training run's network without its decoder (checkpoints may hold more than is read).
  model::Net pre = model::make_net(tuned.model_config);
  load_checkpoint(dir / "pretrain" / "best.pt", *pre, nullptr);
  const auto tuned_weights = tuned.network->named_parameters();
  int compared = 0;
  for (const auto& p : pre->named_parameters()) {
    const torch::Tensor& now = tuned_weights[p.key()];
    if (p.key().rfind("head.", 0) == 0) {
      EXPECT_FALSE(torch::allclose(now, p.value())) << p.key() << " was copied";
    } else {
      EXPECT_TRUE(torch::allclose(now, p.value(), 0, 1e-6)) << p.key() << " was not copied";
      ++compared;
    }
  }
  EXPECT_GT(compared, 10);
}

TEST(MaskedPatches, RefusalsStopBeforeAnythingIsWritten) {
  testing::TempDir dir;
  auto expect_refused = [&](json config, const std::string& key) {
    config["run_dir"] = (dir / "refused").string();
    try {
      testing::train(config);
      ADD_FAILURE() << key << ": accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(dir / "refused")) << key;
  };
  json student = testing::tiny_config(dir.path());
  student["train"]["objective"] = "masked_patches";
  expect_refused(student, "train.objective masked_patches: expected model.type transformer");
  json ratio = pretrain_config(dir.path());
  ratio["train"]["mask_ratio"] = 1.0;
  expect_refused(ratio, "train.mask_ratio");
  json average = pretrain_config(dir.path());
  average["train"]["ema_decay"] = 0.9;
  expect_refused(average, "train.ema_decay");
  json unknown = pretrain_config(dir.path());
  unknown["train"]["objective"] = "contrastive";
  expect_refused(unknown, "train.objective");
  json missing = pretrain_config(dir.path());
  missing["train"].erase("objective");
  missing["train"]["init"] = (dir / "nowhere").string();
  expect_refused(missing, "best.pt");
}

}  // namespace
}  // namespace physiolite::train
