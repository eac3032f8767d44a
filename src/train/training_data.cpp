#include "physiolite/train/training_data.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "physiolite/core/error.hpp"
#include "physiolite/data/hdf5_windows.hpp"

namespace physiolite::train {

namespace {

const std::filesystem::path& hdf5_file(const Hdf5DataConfig& h, data::Split split) {
  switch (split) {
    case data::Split::kTrain:
      return h.train_file;
    case data::Split::kValidation:
      return h.validation_file;
    case data::Split::kTest:
      return h.test_file;
  }
  return h.train_file;
}

}  // namespace

std::string split_origin(const DataConfig& config, data::Split split) {
  if (config.dataset == "hdf5") return hdf5_file(config.hdf5, split).string();
  return fmt::format("{} {}", config.dataset, data::split_name(split));
}

data::WindowSet load_split(const DataConfig& config, data::Split split,
                           const std::filesystem::path& data_dir) {
  if (config.dataset != "hdf5") {
    data::Benchmark benchmark(config.dataset, data_dir);
    benchmark.set_options(config.benchmark_options);
    return benchmark.build(split);
  }
  const auto& file = hdf5_file(config.hdf5, split);
  if (file.empty()) return {};
  data::Hdf5ReadOptions options;
  if (split == data::Split::kTrain) options.teacher_logits_file = config.hdf5.teacher_logits_file;
  data::WindowSet set = data::read_hdf5_windows(file, options);
  if (set.multi_label() != config.hdf5.multi_label) {
    throw InputError(InputLocation::file(file.string()), "label",
                     config.hdf5.multi_label ? "(N, K) multi-hot labels (data.multi_label = true)"
                                             : "(N) class labels (data.multi_label = false)",
                     set.multi_label() ? "(N, K) multi-hot" : "(N) class labels");
  }
  return set;
}

std::vector<int> scored_classes(const DataConfig& config,
                                const std::vector<std::string>& class_names, int64_t num_classes) {
  std::vector<int> out;
  for (int c = 0; c < num_classes; ++c) {
    const bool aami_scored =
        c < static_cast<int>(class_names.size()) &&
        std::string_view("NSVF").find(class_names[static_cast<size_t>(c)]) != std::string::npos &&
        class_names[static_cast<size_t>(c)].size() == 1;
    if (config.dataset != "mitbih" || aami_scored) out.push_back(c);
  }
  return out;
}

void check_teacher_logits(const DataConfig& config, const data::WindowSet& train,
                          int64_t num_classes) {
  if (config.dataset != "hdf5") return;
  const auto& file = config.hdf5.teacher_logits_file.empty() ? config.hdf5.train_file
                                                             : config.hdf5.teacher_logits_file;
  if (train.teacher_logits_dim == 0) {
    throw InputError(InputLocation::file(file.string()), "teacher_logits",
                     fmt::format("a ({}, {}) dataset (train.kd_alpha > 0)", train.n, num_classes),
                     "none");
  }
  if (train.teacher_logits_dim != num_classes) {
    throw InputError(InputLocation::file(file.string()), "teacher_logits",
                     fmt::format("shape ({}, {}), one logit per class", train.n, num_classes),
                     fmt::format("({}, {})", train.n, train.teacher_logits_dim));
  }
}

}  // namespace physiolite::train
