// Training a config in-process, and reading a run's JSON files: the training, teacher and
// quantisation tests' common steps.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "physiolite/train/train_config.hpp"
#include "physiolite/train/trainer.hpp"

namespace physiolite::testing {

// Trains `config` (its data files given by path: no shared data folder).
inline train::TrainResult train(const nlohmann::json& config, train::TrainRunOptions options = {}) {
  options.data_dir = "";
  return train::run_training(train::parse_train_config(config, ""), options);
}

inline nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

}  // namespace physiolite::testing
