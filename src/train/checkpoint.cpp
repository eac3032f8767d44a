#include "physiolite/train/checkpoint.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/json_text.hpp"

namespace physiolite::train {

namespace {

[[noreturn]] void bad_file(const std::filesystem::path& path, const std::string& field,
                           const std::string& expected, const std::string& found) {
  throw InputError(InputLocation::file(path.string()), field, expected, found);
}

torch::serialize::InputArchive open_archive(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) {
    bad_file(path, "file", "an existing checkpoint file", "no such file");
  }
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path.string());
  } catch (const std::exception&) {
    bad_file(path, "file", "a PhysioLite checkpoint (LibTorch archive)",
             "a file LibTorch cannot read (truncated or not a checkpoint)");
  }
  return archive;
}

nlohmann::json read_meta(torch::serialize::InputArchive& archive,
                         const std::filesystem::path& path) {
  c10::IValue value;
  if (!archive.try_read("meta", value) || !value.isString()) {
    bad_file(path, "meta", "a PhysioLite checkpoint record", "none");
  }
  // Bounded parse: a forged record nested ~70k levels deep would overflow the stack.
  const nlohmann::json meta = parse_json_text(value.toStringRef(), path.string(), "meta");
  if (!meta.is_object() || meta.value("format", "") != kCheckpointFormat) {
    bad_file(path, "meta.format", kCheckpointFormat,
             meta.is_object() ? meta.value("format", "none") : "unreadable JSON");
  }
  return meta;
}

std::string shape_text(c10::IntArrayRef sizes) {
  return fmt::format("[{}]", fmt::join(sizes.begin(), sizes.end(), ", "));
}

// Module::save nests one archive per child module; walk the same tree, checking every shape
// (InputArchive::read would silently replace a weight of another shape). `prefix` is the path
// from the checkpoint's root entry ("model." or "average.") that names a tensor in errors.
// `skipped`: names of child modules (at any depth, as "head" or "layers.0") left as they are.
void load_weights(torch::nn::Module& module, torch::serialize::InputArchive& archive,
                  const std::string& prefix, const std::filesystem::path& path,
                  const std::vector<std::string>& skipped = {}, const std::string& within = "") {
  torch::NoGradGuard no_grad;
  for (auto& p : module.named_parameters(/*recurse=*/false)) {
    torch::Tensor stored;
    const std::string name = prefix + p.key();
    if (!archive.try_read(p.key(), stored)) {
      bad_file(path, name, "a weight of shape " + shape_text(p.value().sizes()),
               "none (a checkpoint of another architecture?)");
    }
    if (stored.sizes() != p.value().sizes()) {
      bad_file(path, name, "shape " + shape_text(p.value().sizes()), shape_text(stored.sizes()));
    }
    p.value().copy_(stored);
  }
  for (auto& child : module.named_children()) {
    const std::string name = within + child.key();
    if (std::find(skipped.begin(), skipped.end(), name) != skipped.end()) continue;
    torch::serialize::InputArchive sub;
    if (!archive.try_read(child.key(), sub)) {
      bad_file(path, prefix + child.key(), "the weights of this module", "none");
    }
    load_weights(*child.value(), sub, prefix + child.key() + ".", path, skipped, name + ".");
  }
}

void load_model_weights(torch::serialize::InputArchive& archive, torch::nn::Module& model,
                        const std::filesystem::path& path,
                        const std::vector<std::string>& skipped = {}) {
  torch::serialize::InputArchive weights;
  if (!archive.try_read("model", weights)) bad_file(path, "model", "model weights", "none");
  load_weights(model, weights, "model.", path, skipped);
}

}  // namespace

void save_checkpoint(const std::filesystem::path& path, torch::nn::Module& model,
                     torch::optim::Optimizer* optimizer, const nlohmann::json& meta,
                     torch::nn::Module* average) {
  torch::serialize::OutputArchive archive;
  nlohmann::json record = meta;
  record["format"] = kCheckpointFormat;
  archive.write("meta", c10::IValue(record.dump()));
  torch::serialize::OutputArchive weights;
  model.save(weights);
  archive.write("model", weights);
  if (average != nullptr) {
    torch::serialize::OutputArchive averaged;
    average->save(averaged);
    archive.write("average", averaged);
  }
  if (optimizer != nullptr) {
    torch::serialize::OutputArchive state;
    optimizer->save(state);
    archive.write("optimizer", state);
  }
  AtomicFile file(path);
  archive.save_to(file.temp_path().string());
  file.commit();
}

nlohmann::json read_checkpoint_meta(const std::filesystem::path& path) {
  auto archive = open_archive(path);
  return read_meta(archive, path);
}

nlohmann::json load_weights_except(const std::filesystem::path& path, torch::nn::Module& model,
                                   const std::vector<std::string>& skipped) {
  auto archive = open_archive(path);
  nlohmann::json meta = read_meta(archive, path);
  load_model_weights(archive, model, path, skipped);
  return meta;
}

nlohmann::json load_checkpoint(const std::filesystem::path& path, torch::nn::Module& model,
                               torch::optim::Optimizer* optimizer, torch::nn::Module* average) {
  auto archive = open_archive(path);
  nlohmann::json meta = read_meta(archive, path);
  load_model_weights(archive, model, path);
  if (average != nullptr) {
    torch::serialize::InputArchive averaged;
    if (!archive.try_read("average", averaged)) {
      bad_file(path, "average", "the weight average (train.ema_decay > 0)", "none");
    }
    load_weights(*average, averaged, "average.", path);
  }
  if (optimizer != nullptr) {
    torch::serialize::InputArchive state;
    if (!archive.try_read("optimizer", state)) {
      bad_file(path, "optimizer", "optimizer state (to resume)", "none");
    }
    try {
      optimizer->load(state);
    } catch (const std::exception&) {
      bad_file(path, "optimizer", "AdamW state matching the model", "an unreadable state");
    }
  }
  return meta;
}

}  // namespace physiolite::train
