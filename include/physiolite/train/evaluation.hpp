// A trained model back from its checkpoint, evaluated on a split of its own config's data: what
// the end of training, `physiolite eval` and `physiolite predict` share.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "physiolite/data/benchmark.hpp"
#include "physiolite/eval/metrics.hpp"
#include "physiolite/model/physiolite_net.hpp"
#include "physiolite/train/inference.hpp"
#include "physiolite/train/train_config.hpp"

namespace physiolite::train {

struct TrainedModel {
  std::vector<std::string> class_names;  // from the checkpoint
  std::filesystem::path checkpoint;
  nlohmann::json meta;  // the checkpoint's record (epoch, best metric, resolved config)
  TrainConfig config;
  arch::ModelConfig model_config;
  model::Net network;                 // the network of model_config.type, as loaded
  model::PhysioLiteNet net{nullptr};  // the same network when it is a student (quantisable)
  LossOptions loss;                   // hard-loss settings (class weights are not kept: unweighted)
  int64_t signal_channels = 0, side_dim = 0;
};

// UsageError when <run_dir>/config.json exists and its "model" section differs from the one the
// checkpoint was trained with (a checkpoint of another run), naming the first differing key.
void check_checkpoint_matches_run(const TrainedModel& m, const std::filesystem::path& run_dir);

// InputError naming the file for a missing, truncated, foreign or mismatched checkpoint.
TrainedModel load_trained_model(const std::filesystem::path& checkpoint,
                                const std::filesystem::path& data_dir);

struct SplitEvaluation {
  std::string split;
  data::WindowSet windows;
  Predictions predictions;
  eval::ClassificationReport report;
  std::vector<int> scored_classes;  // macro-F1 is taken over these (N, S, V, F for MIT-BIH)
  double scored_macro_f1 = 0;
};

// Class names of the model's outputs (the training data's, else "0", "1", ...).
std::vector<std::string> class_names(const TrainedModel& model);

// Predicts `windows` (checked against the model's input layout, UsageError naming `origin`).
Predictions predict_windows(TrainedModel& model, const data::WindowSet& windows,
                            const std::string& origin);
SplitEvaluation evaluate_windows(TrainedModel& model, data::WindowSet windows,
                                 const std::string& split);
SplitEvaluation evaluate_split(TrainedModel& model, data::Split split,
                               const std::filesystem::path& data_dir);

nlohmann::json to_json(const SplitEvaluation& evaluation);
// Per-class table, accuracy and confusion matrix (eval::format_report) plus the scored macro-F1.
std::string format_evaluation(const SplitEvaluation& evaluation);

// After training: best.pt on validation and test -> metrics.json, report files, report.md.
void write_final_report(const std::filesystem::path& run_dir, const nlohmann::json& history,
                        const std::filesystem::path& data_dir);

}  // namespace physiolite::train
