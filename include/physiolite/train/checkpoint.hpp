// Checkpoints: model weights, optimizer state and a JSON `meta` record (format, resolved config,
// epoch, step, best metric, history), in LibTorch's archive format. Written through a temporary
// file renamed into place, so an interrupted write leaves the previous checkpoint intact.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "physiolite/model/physiolite_net.hpp"

namespace physiolite::train {

inline constexpr const char* kCheckpointFormat = "physiolite-checkpoint-1";

// With `average`, also the moving average of the weights (train.ema_decay), which a resumed run
// needs to continue it exactly.
// `model` is any network (model::NetImpl: the student or the teacher).
void save_checkpoint(const std::filesystem::path& path, torch::nn::Module& model,
                     torch::optim::Optimizer* optimizer, const nlohmann::json& meta,
                     torch::nn::Module* average = nullptr);
inline void save_checkpoint(const std::filesystem::path& path, model::PhysioLiteNet& model,
                            torch::optim::Optimizer* optimizer, const nlohmann::json& meta,
                            model::PhysioLiteNet* average = nullptr) {
  save_checkpoint(path, *model, optimizer, meta, average != nullptr ? average->get() : nullptr);
}

// The meta record alone. InputError naming the file when it is missing, truncated, not a
// checkpoint, or of another format.
nlohmann::json read_checkpoint_meta(const std::filesystem::path& path);

// Loads every weight of `model` but those of the child modules named in `skipped` ("head",
// "layers.0", ...), which keep their values; the checkpoint may hold more (train.init: a
// pre-training run's decoder). InputError naming the file and tensor as load_checkpoint's.
nlohmann::json load_weights_except(const std::filesystem::path& path, torch::nn::Module& model,
                                   const std::vector<std::string>& skipped);

// Loads weights (and, if given, the optimizer state) into a model built from the checkpoint's
// config (and, if given, the weight average into `average`). InputError naming the file and the
// tensor when a weight is missing or has another shape.
nlohmann::json load_checkpoint(const std::filesystem::path& path, torch::nn::Module& model,
                               torch::optim::Optimizer* optimizer,
                               torch::nn::Module* average = nullptr);
inline nlohmann::json load_checkpoint(const std::filesystem::path& path,
                                      model::PhysioLiteNet& model,
                                      torch::optim::Optimizer* optimizer,
                                      model::PhysioLiteNet* average = nullptr) {
  return load_checkpoint(path, *model, optimizer, average != nullptr ? average->get() : nullptr);
}

}  // namespace physiolite::train
