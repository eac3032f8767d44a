// The training config: one JSON file with sections `data`, `model`, `train` and the key `run_dir`,
// changed from the command line by `--set section.key=value`. Torch-free.
//
//   data   {"dataset": "mitbih" | "uci" | "uci-tinymyo", <that benchmark's options>}
//          {"dataset": "hdf5", "train_file", "validation_file", "test_file" (optional),
//           "teacher_logits_file" (optional; else the train file's own), "multi_label",
//           "threshold" (multi-label decision threshold)}
//   model  {"profile": <arch profile name> (optional), <arch::ModelConfig keys>}; raw_channels,
//          input_length and num_classes follow the data (given ones must match it)
//   train  TrainSettings below
//
// Every error is a UsageError naming the dotted key: "train.lr: expected a number > 0, got -1".
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "physiolite/train/augment.hpp"

namespace physiolite::train {

struct Hdf5DataConfig {
  std::filesystem::path train_file;       // required
  std::filesystem::path validation_file;  // required
  std::filesystem::path test_file;        // optional
  std::filesystem::path teacher_logits_file;
  bool multi_label = false;  // the label dataset must be (N, K) multi-hot
  double threshold = 0.5;    // sigmoid(z) >= threshold counts as a positive
};

struct DataConfig {
  std::string dataset;               // "mitbih", "uci", "uci-tinymyo" or "hdf5"
  nlohmann::json benchmark_options;  // every option of the benchmark (resolved)
  Hdf5DataConfig hdf5;
};

// Upper bounds parse_train_config enforces (docs/limits.md).
inline constexpr int kMaxEpochs = 100000;
inline constexpr int kMaxBatchSize = 65536;  // train.batch_size and train.eval_batch_size
inline constexpr int64_t kMaxSamplesPerEpoch = 100'000'000;

struct TrainSettings {
  int epochs = 30;
  int batch_size = 64;
  double lr = 1e-3;
  double weight_decay = 1e-3;        // AdamW's decoupled decay
  double warmup_epochs = 5;          // W = round(warmup_epochs * steps per epoch)
  std::string scheduler = "cosine";  // cosine | none
  double grad_clip = 0;              // max global L2 norm; 0 = off
  // Moving average of the weights, a <- d a + (1 - d) w after every step (d warmed up as
  // min(ema_decay, (1 + step) / (10 + step))); validation, best.pt and so eval, quantize and
  // export use the average. 0 = off.
  double ema_decay = 0;
  std::string loss = "ce";               // ce | ce_softf1 (single-label) | bce (multi-label)
  double softf1_lambda = 0.3;            // ce_softf1: L_hard = CE + lambda (1 - soft macro-F1)
  std::string class_weighting = "none";  // none | balanced (w_c = N / (K n_c))
  std::string sampler = "shuffle";       // shuffle | balanced (classes drawn uniformly)
  double balance_power = 0.0;            // balanced: class drawn with probability ~ n_c^power
  int64_t samples_per_epoch = 0;         // 0 = the training set's size
  double augment_scale = 0;              // augment.hpp: amplitude factor in [1 - s, 1 + s]
  double augment_noise = 0;              // added Gaussian noise, standard deviation
  int augment_shift = 0;                 // time shift in [-k, k] samples
  double kd_alpha = 0;                   // L = (1 - a) L_hard + a L_KD
  double kd_temperature = 2;
  // Run directory of a teacher trained here (teacher_logits.hpp): its logits on the training
  // windows, computed once and cached in run_dir, are the KD targets. Needs kd_alpha > 0.
  std::string teacher;
  // classify | masked_patches (masked_patches.hpp: self-supervised pre-training of a transformer;
  // no labels, no classifier, validation loss selects, no final report)
  std::string objective = "classify";
  double mask_ratio = 0.5;  // masked_patches: the fraction of patches hidden per window
  // Run directory whose best.pt initialises every weight but the classifier head (and the
  // pre-training decoder): a classifier fine-tuned from a masked_patches run. Transformer only.
  std::string init;
  int64_t seed = 1;
  std::string select_metric = "val_loss";  // val_loss | macro_f1 | accuracy
  // macro_f1 selection over these classes; empty: the scored classes (MIT-BIH: N, S, V, F)
  std::vector<std::string> select_classes;
  int early_stopping_patience = 0;  // epochs without improvement; 0 = off
  int threads = 2;                  // intra-op threads of LibTorch and OpenBLAS
  int eval_batch_size = 256;
};

AugmentOptions augment_options(const TrainSettings& settings);

struct TrainConfig {
  DataConfig data;
  nlohmann::json model = nlohmann::json::object();  // as given: profile + ModelConfig keys
  TrainSettings train;
  std::filesystem::path run_dir;
};

// Checks every key, type and value that can be checked without the data.
// `data_dir` holds the shared recordings (benchmarks).
TrainConfig parse_train_config(const nlohmann::json& config, const std::filesystem::path& data_dir);

// "section.key=value" (or "run_dir=value"): value parsed as JSON when it is valid JSON, else
// taken as a string. UsageError for an unknown section.
void apply_assignment(nlohmann::json& config, const std::string& assignment);

// Reads `file` (InputError naming it when unreadable or not JSON), applies `assignments` in
// order, parses. Errors from the config's content are UsageErrors starting with the file name.
TrainConfig load_train_config(const std::filesystem::path& file,
                              const std::vector<std::string>& assignments,
                              const std::filesystem::path& data_dir);

// The resolved config (every default filled in) as written to <run_dir>/config.json.
nlohmann::json to_json(const TrainConfig& config);

}  // namespace physiolite::train
