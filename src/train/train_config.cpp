#include "physiolite/train/train_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/core/json_text.hpp"
#include "physiolite/data/benchmark.hpp"
#include "physiolite/data/reference_benchmarks.hpp"

namespace physiolite::train {

namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& key, const std::string& expected, const json& got) {
  throw UsageError(fmt::format("{}: expected {}, got {}", key, expected, excerpt(got.dump())));
}

// Copies `given` over `defaults`, refusing keys `defaults` lacks and values of another JSON kind
// (a float where an integer is expected counts as another kind).
json merge_section(const json& defaults, const json& given, const std::string& section) {
  if (!given.is_object()) bad(section, "an object", given);
  json merged = defaults;
  for (const auto& [key, value] : given.items()) {
    const std::string dotted = section + "." + excerpt(key);
    if (!defaults.contains(key)) {
      std::vector<std::string> known;
      for (const auto& [k, v] : defaults.items()) known.push_back(k);
      throw UsageError(fmt::format("{}: unknown key (known: {})", dotted, fmt::join(known, ", ")));
    }
    const json& current = defaults[key];
    const bool same_kind = (current.is_number_integer() && value.is_number_integer()) ||
                           (current.is_number_float() && value.is_number()) ||
                           (current.is_string() && value.is_string()) ||
                           (current.is_boolean() && value.is_boolean()) ||
                           (current.is_array() && value.is_array());
    if (!same_kind) {
      const char* kind = current.is_number_integer() ? "an integer"
                         : current.is_number()       ? "a number"
                         : current.is_string()       ? "a string"
                         : current.is_boolean()      ? "true or false"
                                                     : "a list";
      bad(dotted, kind, value);
    }
    merged[key] = value;
  }
  return merged;
}

json settings_to_json(const TrainSettings& d) {
  return {{"epochs", d.epochs},
          {"batch_size", d.batch_size},
          {"lr", d.lr},
          {"weight_decay", d.weight_decay},
          {"warmup_epochs", d.warmup_epochs},
          {"scheduler", d.scheduler},
          {"grad_clip", d.grad_clip},
          {"ema_decay", d.ema_decay},
          {"loss", d.loss},
          {"softf1_lambda", d.softf1_lambda},
          {"class_weighting", d.class_weighting},
          {"sampler", d.sampler},
          {"balance_power", d.balance_power},
          {"samples_per_epoch", d.samples_per_epoch},
          {"augment_scale", d.augment_scale},
          {"augment_noise", d.augment_noise},
          {"augment_shift", d.augment_shift},
          {"kd_alpha", d.kd_alpha},
          {"kd_temperature", d.kd_temperature},
          {"teacher", d.teacher},
          {"objective", d.objective},
          {"mask_ratio", d.mask_ratio},
          {"init", d.init},
          {"seed", d.seed},
          {"select_metric", d.select_metric},
          {"select_classes", d.select_classes},
          {"early_stopping_patience", d.early_stopping_patience},
          {"threads", d.threads},
          {"eval_batch_size", d.eval_batch_size}};
}

void require_one_of(const std::string& key, const std::string& value,
                    std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (value == a) return;
  }
  bad(key, fmt::format("one of {}", fmt::join(allowed, ", ")), value);
}

TrainSettings parse_train(const json& given) {
  const json j = merge_section(settings_to_json(TrainSettings{}), given, "train");
  TrainSettings s;
  s.epochs = j["epochs"];
  s.batch_size = j["batch_size"];
  s.lr = j["lr"];
  s.weight_decay = j["weight_decay"];
  s.warmup_epochs = j["warmup_epochs"];
  s.scheduler = j["scheduler"];
  s.grad_clip = j["grad_clip"];
  s.ema_decay = j["ema_decay"];
  s.loss = j["loss"];
  s.softf1_lambda = j["softf1_lambda"];
  s.class_weighting = j["class_weighting"];
  s.sampler = j["sampler"];
  s.balance_power = j["balance_power"];
  s.samples_per_epoch = j["samples_per_epoch"];
  s.augment_scale = j["augment_scale"];
  s.augment_noise = j["augment_noise"];
  s.augment_shift = j["augment_shift"];
  s.kd_alpha = j["kd_alpha"];
  s.kd_temperature = j["kd_temperature"];
  s.teacher = j["teacher"];
  s.objective = j["objective"];
  s.mask_ratio = j["mask_ratio"];
  s.init = j["init"];
  s.seed = j["seed"];
  s.select_metric = j["select_metric"];
  for (const json& c : j["select_classes"]) {
    if (!c.is_string()) bad("train.select_classes", "a list of class names", j["select_classes"]);
    s.select_classes.push_back(c.get<std::string>());
  }
  s.early_stopping_patience = j["early_stopping_patience"];
  s.threads = j["threads"];
  s.eval_batch_size = j["eval_batch_size"];

  if (s.epochs < 1) bad("train.epochs", "an integer >= 1", s.epochs);
  if (s.batch_size < 1) bad("train.batch_size", "an integer >= 1", s.batch_size);
  if (!(s.lr > 0 && std::isfinite(s.lr))) bad("train.lr", "a number > 0", s.lr);
  if (!(s.weight_decay >= 0)) bad("train.weight_decay", "a number >= 0", s.weight_decay);
  if (!(s.warmup_epochs >= 0 && s.warmup_epochs <= s.epochs)) {
    bad("train.warmup_epochs", fmt::format("a number from 0 to train.epochs ({})", s.epochs),
        s.warmup_epochs);
  }
  require_one_of("train.scheduler", s.scheduler, {"cosine", "none"});
  if (!(s.grad_clip >= 0)) bad("train.grad_clip", "a number >= 0 (0 = off)", s.grad_clip);
  if (!(s.ema_decay >= 0 && s.ema_decay < 1)) {
    bad("train.ema_decay", "a number in [0, 1) (0 = off)", s.ema_decay);
  }
  require_one_of("train.loss", s.loss, {"ce", "ce_softf1", "bce"});
  if (!(s.softf1_lambda >= 0 && std::isfinite(s.softf1_lambda))) {
    bad("train.softf1_lambda", "a number >= 0", s.softf1_lambda);
  }
  require_one_of("train.class_weighting", s.class_weighting, {"none", "balanced"});
  require_one_of("train.sampler", s.sampler, {"shuffle", "balanced"});
  if (!(s.balance_power >= 0 && s.balance_power <= 1)) {
    bad("train.balance_power", "a number in [0, 1]", s.balance_power);
  }
  if (s.samples_per_epoch < 0) {
    bad("train.samples_per_epoch", "an integer >= 0 (0 = the training set's size)",
        s.samples_per_epoch);
  }
  if (!(s.augment_scale >= 0 && s.augment_scale < 1)) {
    bad("train.augment_scale", "a number in [0, 1) (0 = off)", s.augment_scale);
  }
  if (!(s.augment_noise >= 0))
    bad("train.augment_noise", "a number >= 0 (0 = off)", s.augment_noise);
  if (s.augment_shift < 0) bad("train.augment_shift", "an integer >= 0 (0 = off)", s.augment_shift);
  if (!(s.kd_alpha >= 0 && s.kd_alpha <= 1))
    bad("train.kd_alpha", "a number in [0, 1]", s.kd_alpha);
  if (!(s.kd_temperature > 0)) bad("train.kd_temperature", "a number > 0", s.kd_temperature);
  require_one_of("train.objective", s.objective, {"classify", "masked_patches"});
  if (!(s.mask_ratio > 0 && s.mask_ratio < 1)) {
    bad("train.mask_ratio", "a number in (0, 1)", s.mask_ratio);
  }
  if (s.objective == "masked_patches") {
    // Pre-training has no classifier: nothing for a teacher's logits or a weight average to do.
    if (s.kd_alpha > 0) bad("train.kd_alpha", "0 with train.objective masked_patches", s.kd_alpha);
    if (s.ema_decay > 0) {
      bad("train.ema_decay", "0 with train.objective masked_patches", s.ema_decay);
    }
  }
  if (s.seed < 0) bad("train.seed", "an integer >= 0", s.seed);
  require_one_of("train.select_metric", s.select_metric, {"val_loss", "macro_f1", "accuracy"});
  if (s.early_stopping_patience < 0) {
    bad("train.early_stopping_patience", "an integer >= 0 (0 = off)", s.early_stopping_patience);
  }
  if (s.threads < 1 || s.threads > 256) bad("train.threads", "an integer from 1 to 256", s.threads);
  if (s.eval_batch_size < 1) bad("train.eval_batch_size", "an integer >= 1", s.eval_batch_size);
  // Upper bounds (docs/limits.md): each sizes an allocation or a loop, so a typo such as
  // batch_size=1e9 is refused by name instead of reaching the allocator.
  if (s.epochs > kMaxEpochs) bad("train.epochs", fmt::format("at most {}", kMaxEpochs), s.epochs);
  for (const auto& [key, value] : {std::pair{"train.batch_size", s.batch_size},
                                   std::pair{"train.eval_batch_size", s.eval_batch_size}}) {
    if (value > kMaxBatchSize) bad(key, fmt::format("at most {}", kMaxBatchSize), value);
  }
  if (s.samples_per_epoch > kMaxSamplesPerEpoch) {
    bad("train.samples_per_epoch", fmt::format("at most {}", kMaxSamplesPerEpoch),
        s.samples_per_epoch);
  }
  return s;
}

json hdf5_defaults() {
  const Hdf5DataConfig d;
  return {{"dataset", "hdf5"},       {"train_file", ""},          {"validation_file", ""},
          {"test_file", ""},         {"teacher_logits_file", ""}, {"multi_label", d.multi_label},
          {"threshold", d.threshold}};
}

DataConfig parse_data(const json& given, const std::filesystem::path& data_dir) {
  if (!given.is_object()) bad("data", "an object", given);
  if (!given.contains("dataset")) {
    throw UsageError("data.dataset: missing (one of mitbih, uci, uci-tinymyo, hdf5)");
  }
  if (!given["dataset"].is_string()) bad("data.dataset", "a string", given["dataset"]);
  DataConfig d;
  d.dataset = given["dataset"];
  if (d.dataset == "hdf5") {
    const json j = merge_section(hdf5_defaults(), given, "data");
    d.hdf5.train_file = j["train_file"].get<std::string>();
    d.hdf5.validation_file = j["validation_file"].get<std::string>();
    d.hdf5.test_file = j["test_file"].get<std::string>();
    d.hdf5.teacher_logits_file = j["teacher_logits_file"].get<std::string>();
    d.hdf5.multi_label = j["multi_label"];
    d.hdf5.threshold = j["threshold"];
    if (d.hdf5.train_file.empty()) bad("data.train_file", "an HDF5 file", "");
    if (d.hdf5.validation_file.empty()) bad("data.validation_file", "an HDF5 file", "");
    if (!(d.hdf5.threshold > 0 && d.hdf5.threshold < 1)) {
      bad("data.threshold", "a number in (0, 1)", d.hdf5.threshold);
    }
    return d;
  }
  const auto names = data::benchmark_names();
  if (std::find(names.begin(), names.end(), d.dataset) == names.end()) {
    bad("data.dataset", fmt::format("one of {}, hdf5", fmt::join(names, ", ")), d.dataset);
  }

  data::Benchmark benchmark(d.dataset, data_dir);
  json options = given;
  options.erase("dataset");
  // Check key names here so that the error names the config's own section.
  merge_section(benchmark.options(), options, "data");
  try {
    benchmark.set_options(options);
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("data: {}", e.what()));
  }
  d.benchmark_options = benchmark.options();
  // The multi-hot benchmarks (cpsc, chapman) train with BCE and score with their own decision
  // threshold (the reference's 0.3), as an HDF5 multi-label set would.
  if (data::reference_is_multi_label(d.dataset)) {
    d.hdf5.multi_label = true;
    d.hdf5.threshold = d.benchmark_options.at("threshold").get<double>();
  }
  return d;
}

}  // namespace

TrainConfig parse_train_config(const json& config, const std::filesystem::path& data_dir) {
  if (!config.is_object()) bad("config", "a JSON object", config);
  for (const auto& [key, value] : config.items()) {
    if (key != "data" && key != "model" && key != "train" && key != "run_dir") {
      throw UsageError(fmt::format("{}: unknown key (known: data, model, train, run_dir)", key));
    }
  }
  TrainConfig c;
  if (!config.contains("data")) throw UsageError("data: missing section");
  c.data = parse_data(config["data"], data_dir);
  if (config.contains("model")) {
    if (!config["model"].is_object()) bad("model", "an object", config["model"]);
    c.model = config["model"];
  }
  c.train = parse_train(config.value("train", json::object()));
  if (!config.contains("run_dir") || !config["run_dir"].is_string() ||
      config["run_dir"].get<std::string>().empty()) {
    bad("run_dir", "a directory path", config.value("run_dir", json()));
  }
  c.run_dir = config["run_dir"].get<std::string>();
  const bool multi = c.data.hdf5.multi_label;  // false for single-label benchmarks
  if (multi && c.train.loss != "bce") bad("train.loss", "bce for multi-label data", c.train.loss);
  if (!multi && c.train.loss == "bce") {
    bad("train.loss", "ce or ce_softf1 for single-label data", c.train.loss);
  }
  if (multi && c.train.sampler == "balanced") {
    bad("train.sampler", "shuffle for multi-label data", c.train.sampler);
  }
  if (c.train.kd_alpha > 0 && c.data.dataset != "hdf5" && c.train.teacher.empty()) {
    bad("train.kd_alpha", "0 (teacher logits come with dataset hdf5 or train.teacher)",
        c.train.kd_alpha);
  }
  if (!c.train.teacher.empty() && !(c.train.kd_alpha > 0)) {
    bad("train.kd_alpha", "a number in (0, 1] with train.teacher", c.train.kd_alpha);
  }
  return c;
}

void apply_assignment(json& config, const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw UsageError(
        fmt::format("--set: expected section.key=value, got '{}'", excerpt(assignment)));
  }
  const std::string key = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  json value = try_parse_json_value(text, "--set " + key).value_or(json(text));
  if (key == "run_dir") {
    config["run_dir"] = value.is_string() ? value : json(text);
    return;
  }
  const size_t dot = key.find('.');
  const std::string section = key.substr(0, dot);
  if (dot == std::string::npos || (section != "data" && section != "model" && section != "train")) {
    throw UsageError(fmt::format(
        "--set {}: expected data.<key>, model.<key>, train.<key> or run_dir", excerpt(key)));
  }
  // A string-valued key keeps text that happens to parse as JSON (e.g. a file named "1").
  json& target = config[section][key.substr(dot + 1)];
  if (target.is_string() && !value.is_string()) value = text;
  target = value;
}

TrainConfig load_train_config(const std::filesystem::path& file,
                              const std::vector<std::string>& assignments,
                              const std::filesystem::path& data_dir) {
  const std::string text = read_text_file(file);
  json config = parse_json_text(text, file.string(), "config");
  try {
    for (const auto& a : assignments) apply_assignment(config, a);
    return parse_train_config(config, data_dir);
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("{}: {}", file.string(), e.what()));
  }
}

json to_json(const TrainConfig& c) {
  json data;
  if (c.data.dataset == "hdf5") {
    const Hdf5DataConfig& h = c.data.hdf5;
    data = {{"train_file", h.train_file.string()},
            {"validation_file", h.validation_file.string()},
            {"test_file", h.test_file.string()},
            {"teacher_logits_file", h.teacher_logits_file.string()},
            {"multi_label", h.multi_label},
            {"threshold", h.threshold}};
  } else {
    data = c.data.benchmark_options;
  }
  data["dataset"] = c.data.dataset;
  return {{"data", data},
          {"model", c.model},
          {"train", settings_to_json(c.train)},
          {"run_dir", c.run_dir.string()}};
}

AugmentOptions augment_options(const TrainSettings& settings) {
  return {.scale = settings.augment_scale,
          .noise = settings.augment_noise,
          .shift = settings.augment_shift};
}

}  // namespace physiolite::train
