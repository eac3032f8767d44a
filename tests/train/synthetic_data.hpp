// Small separable problems for trainer tests: windows of one channel, class 0 a slow sine,
// class 1 a fast one (random amplitude and phase, a little noise), written as HDF5 windows
// files, and a tiny model config that trains on them in well under a second per epoch.
#pragma once

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>

#include "common/tiny_model_config.hpp"
#include "physiolite/data/hdf5_windows.hpp"

namespace physiolite::testing {

inline data::WindowSet sine_windows(int64_t n, int64_t length, uint32_t seed,
                                    bool multi_label = false) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 0.05);
  data::WindowSet set;
  set.n = n;
  set.c = 1;
  set.t = length;
  set.class_names = {"slow", "fast"};
  if (multi_label) set.num_label_columns = 2;
  for (int64_t i = 0; i < n; ++i) {
    const int label = static_cast<int>(i % 2);
    const double cycles = label == 0 ? 2.0 : 9.0;
    const double amplitude = 0.5 + unit(gen);
    const double phase = 2 * std::numbers::pi * unit(gen);
    for (int64_t k = 0; k < length; ++k) {
      const double t = static_cast<double>(k) / static_cast<double>(length);
      set.data.push_back(static_cast<float>(
          amplitude * std::sin(2 * std::numbers::pi * cycles * t + phase) + noise(gen)));
    }
    if (multi_label) {
      set.labels.push_back(label == 0);
      set.labels.push_back(label == 1);
    } else {
      set.labels.push_back(label);
    }
  }
  return set;
}

// A config for `dir`/train.h5 and `dir`/val.h5 (written here) training into `dir`/run.
inline nlohmann::json tiny_config(const std::filesystem::path& dir, bool multi_label = false) {
  data::write_hdf5_windows(dir / "train.h5", sine_windows(192, 64, 1, multi_label));
  data::write_hdf5_windows(dir / "val.h5", sine_windows(96, 64, 2, multi_label));
  nlohmann::json train = tiny_train_section("accuracy");
  train["loss"] = multi_label ? "bce" : "ce";
  return {{"data",
           {{"dataset", "hdf5"},
            {"train_file", (dir / "train.h5").string()},
            {"validation_file", (dir / "val.h5").string()},
            {"multi_label", multi_label}}},
          {"model", tiny_model_section()},
          {"train", train},
          {"run_dir", (dir / "run").string()}};
}

}  // namespace physiolite::testing
