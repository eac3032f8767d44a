// train.teacher = <run dir>: distillation from a teacher trained here (model.type transformer, or
// any run of this trainer). The teacher's best.pt predicts the student's training windows once;
// its logits become the windows' teacher_logits, which the batch producer hands to the KD loss
// exactly as logits cached in an HDF5 file are (train.kd_alpha, train.kd_temperature).
//
// The logits are cached in the student's run directory (teacher_logits.pt, with the teacher's
// checkpoint, its best epoch and the window count as the cache key), so that --resume and later
// runs in the same directory do not predict again. The teacher must have been trained on the same
// data config (same windows, side inputs and class names): its logits then belong to the same
// beats the student sees. Unaugmented windows: augmentation (train.augment_*) happens per batch.
#pragma once

#include <filesystem>

#include "physiolite/data/window_set.hpp"
#include "physiolite/train/train_config.hpp"

namespace physiolite::train {

inline constexpr const char* kTeacherLogitsFile = "teacher_logits.pt";

struct TeacherLogits {
  std::vector<float> logits;  // (n, k), row-major
  int64_t n = 0, k = 0;
  nlohmann::json key;  // what they were computed from
  bool from_cache = false;
};

// The logits of `teacher_dir`/best.pt on `train` (the student's training windows under
// `student`), read from `cache` when it holds the same key. UsageError naming train.teacher when
// the teacher's data config or classes differ from the student's; InputError naming the file for
// a missing or unreadable checkpoint.
TeacherLogits teacher_logits(const std::filesystem::path& teacher_dir, const TrainConfig& student,
                             const data::WindowSet& train, const std::filesystem::path& cache,
                             const std::filesystem::path& data_dir);

// Writes the cache (temporary file renamed into place).
void save_teacher_logits(const std::filesystem::path& cache, const TeacherLogits& logits);

}  // namespace physiolite::train
