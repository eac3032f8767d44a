#include "physiolite/train/teacher_logits.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <iostream>

#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/json_text.hpp"
#include "physiolite/train/evaluation.hpp"
#include "physiolite/train/run_files.hpp"

namespace physiolite::train {

namespace fs = std::filesystem;

namespace {

// What makes two computations of the logits the same: the teacher's checkpoint (path, size,
// best epoch) and the windows (count; their content follows from the data config, which must
// equal the teacher's).
nlohmann::json cache_key(const fs::path& checkpoint, const TrainedModel& teacher, int64_t n) {
  return {{"checkpoint", fs::absolute(checkpoint).lexically_normal().string()},
          {"checkpoint_bytes", static_cast<int64_t>(fs::file_size(checkpoint))},
          {"best_epoch", teacher.meta.value("best_epoch", 0)},
          {"windows", n}};
}

bool read_cache(const fs::path& cache, const nlohmann::json& key, int64_t k, TeacherLogits& out) {
  if (!fs::is_regular_file(cache)) return false;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(cache.string());
    c10::IValue stored_key;
    torch::Tensor logits;
    if (!archive.try_read("key", stored_key) || !archive.try_read("logits", logits)) return false;
    if (!stored_key.isString()) return false;
    // Bounded like every JSON from outside (core/json_text.hpp): a forged cache is a miss.
    const auto stored = try_parse_json_value(stored_key.toStringRef(), "key");
    if (!stored || *stored != key) return false;
    const int64_t n = key.at("windows").get<int64_t>();
    if (logits.dim() != 2 || logits.size(0) != n || logits.size(1) != k) return false;
    logits = logits.to(torch::kFloat32).contiguous();
    out.logits.assign(logits.data_ptr<float>(), logits.data_ptr<float>() + logits.numel());
    out.n = n;
    out.k = k;
    out.key = key;
    out.from_cache = true;
    return true;
  } catch (const std::exception&) {
    return false;  // a truncated or foreign cache is recomputed, not trusted
  }
}

}  // namespace

TeacherLogits teacher_logits(const fs::path& teacher_dir, const TrainConfig& student,
                             const data::WindowSet& train, const fs::path& cache,
                             const fs::path& data_dir) {
  const fs::path checkpoint = teacher_dir / "best.pt";
  TrainedModel teacher = load_trained_model(checkpoint, data_dir);
  const nlohmann::json mine = to_json(student).at("data");
  const nlohmann::json theirs = to_json(teacher.config).at("data");
  if (const std::string diff = first_difference(mine, theirs, "data"); !diff.empty()) {
    throw UsageError(fmt::format(
        "train.teacher: {} was trained on other data ({} differs); the teacher's logits must "
        "belong to the student's training windows",
        teacher_dir.string(), diff));
  }
  if (teacher.class_names != train.class_names) {
    throw UsageError(fmt::format("train.teacher: {} has classes {}, the student's data has {}",
                                 teacher_dir.string(), fmt::join(teacher.class_names, ","),
                                 fmt::join(train.class_names, ",")));
  }
  TeacherLogits out;
  const nlohmann::json key = cache_key(checkpoint, teacher, train.n);
  const int64_t k = teacher.model_config.num_classes;
  if (read_cache(cache, key, k, out)) return out;
  std::cout << fmt::format("train.teacher: predicting {} training windows with {}\n", train.n,
                           checkpoint.string())
            << std::flush;
  Predictions p = predict_windows(teacher, train, "train.teacher");
  out.logits = std::move(p.logits);
  out.n = p.n;
  out.k = p.k;
  out.key = key;
  return out;
}

void save_teacher_logits(const fs::path& cache, const TeacherLogits& logits) {
  torch::serialize::OutputArchive archive;
  archive.write("key", c10::IValue(logits.key.dump()));
  std::vector<float> copy = logits.logits;
  archive.write("logits", torch::from_blob(copy.data(), {logits.n, logits.k}).clone());
  AtomicFile file(cache);
  archive.save_to(file.temp_path().string());
  file.commit();
}

}  // namespace physiolite::train
