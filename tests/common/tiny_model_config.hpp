// The `model` and `train` sections of the tiny network the training, CLI and quantisation tests
// train in seconds (64-sample windows, 2 bank branches of 4 channels, one 32-wide block).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace physiolite::testing {

inline nlohmann::json tiny_model_section() {
  return {{"pos_freqs", 2}, {"bank_channels", 4}, {"kernel_set", {3, 5}}, {"embed_dim", 32},
          {"depth", 1},     {"front_pool", 2},    {"patch_pool", 2},      {"post_pool", 2}};
}

inline nlohmann::json tiny_train_section(const std::string& select_metric) {
  return {{"epochs", 6},      {"batch_size", 16},   {"lr", 0.003},
          {"grad_clip", 1.0}, {"warmup_epochs", 1}, {"select_metric", select_metric},
          {"threads", 1}};
}

}  // namespace physiolite::testing
