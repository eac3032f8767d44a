// The windows of a config's `data` section, per split. Torch-free.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/data/benchmark.hpp"
#include "physiolite/data/window_set.hpp"
#include "physiolite/train/train_config.hpp"

namespace physiolite::train {

// Benchmarks: Benchmark::build(split). HDF5: the split's file (the train file with its teacher
// logits); an empty set (n = 0) for a test split without a file. InputError naming the file when
// its labels are not what data.multi_label says.
data::WindowSet load_split(const DataConfig& config, data::Split split,
                           const std::filesystem::path& data_dir);

// Where a split's windows come from, for messages ("mitbih validation", "a.h5").
std::string split_origin(const DataConfig& config, data::Split split);

// The classes macro-F1 is taken over: N, S, V, F for MIT-BIH (Q is too rare to score), all
// otherwise.
std::vector<int> scored_classes(const DataConfig& config,
                                const std::vector<std::string>& class_names, int64_t num_classes);

// InputError naming the teacher-logits file when its rows are not (N, num_classes).
void check_teacher_logits(const DataConfig& config, const data::WindowSet& train,
                          int64_t num_classes);

}  // namespace physiolite::train
