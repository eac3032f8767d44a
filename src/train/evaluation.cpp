#include "physiolite/train/evaluation.hpp"

#include <fmt/format.h>

#include <iostream>

#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/core/json_text.hpp"
#include "physiolite/eval/run_report.hpp"
#include "physiolite/train/checkpoint.hpp"
#include "physiolite/train/model_input.hpp"
#include "physiolite/train/run_files.hpp"
#include "physiolite/train/training_data.hpp"

namespace physiolite::train {

TrainedModel load_trained_model(const std::filesystem::path& checkpoint,
                                const std::filesystem::path& data_dir) {
  TrainedModel m;
  m.checkpoint = checkpoint;
  const nlohmann::json meta = read_checkpoint_meta(checkpoint);
  try {
    m.config = parse_train_config(meta.at("config"), data_dir);
    m.model_config = model_config_from_json(meta.at("config").at("model"));
  } catch (const std::exception& e) {
    throw InputError(InputLocation::file(checkpoint.string()), "meta.config",
                     "a valid resolved training config", e.what());
  }
  if (m.config.train.objective != "classify") {
    throw InputError(InputLocation::file(checkpoint.string()), "meta.config.train.objective",
                     "classify (a pre-training run has no classifier: fine-tune one from it with "
                     "--set train.init=<its run directory>)",
                     m.config.train.objective);
  }
  m.network = model::make_net(m.model_config);
  m.meta = load_checkpoint(checkpoint, *m.network, nullptr);
  m.network->eval();
  if (auto student = std::dynamic_pointer_cast<model::PhysioLiteNetImpl>(m.network)) {
    m.net = model::PhysioLiteNet(student);
  }
  m.class_names = m.meta.value("class_names", std::vector<std::string>{});
  // hdf5 multi-label, cpsc, chapman; ce_softf1 runs report the same validation loss as in training
  m.loss = hard_loss_options(m.config.train, m.config.data.hdf5.multi_label);
  return m;
}

void check_checkpoint_matches_run(const TrainedModel& m, const std::filesystem::path& run_dir) {
  const auto config_path = run_dir / "config.json";
  if (!std::filesystem::exists(config_path)) return;
  const nlohmann::json run_config =
      parse_json_text(read_text_file(config_path), config_path.string(), "config");
  const nlohmann::json run_model = run_config.is_object() && run_config.contains("model")
                                       ? run_config["model"]
                                       : nlohmann::json();
  const std::string diff = first_difference(run_model, m.meta.at("config").at("model"), "model");
  if (!diff.empty()) {
    throw UsageError(fmt::format(
        "{}: its model differs from the run's {} (first difference: {}); it belongs to another "
        "run",
        m.checkpoint.string(), config_path.string(), excerpt(diff)));
  }
}

std::vector<std::string> class_names(const TrainedModel& m) {
  std::vector<std::string> names = m.class_names;
  for (auto c = static_cast<int>(names.size()); c < m.model_config.num_classes; ++c) {
    names.push_back(std::to_string(c));
  }
  names.resize(static_cast<size_t>(m.model_config.num_classes));
  return names;
}

Predictions predict_windows(TrainedModel& m, const data::WindowSet& windows,
                            const std::string& origin) {
  check_windows_fit(m.model_config, windows, origin);
  const InputAssembler assembler(m.model_config, windows.c, windows.side_dim);
  // A TrainedModel filled by hand (tests, QAT) may only have the student.
  model::NetImpl& network = m.network ? *m.network : *m.net;
  return predict(network, windows, assembler, m.config.train.eval_batch_size, m.loss);
}

SplitEvaluation evaluate_windows(TrainedModel& m, data::WindowSet windows,
                                 const std::string& split) {
  SplitEvaluation e;
  e.split = split;
  e.windows = std::move(windows);
  e.predictions = predict_windows(m, e.windows, split);
  const int64_t k = m.model_config.num_classes;
  e.report = classification_report(e.predictions, e.windows, k, m.config.data.hdf5.threshold);
  std::vector<std::string> names;
  for (const auto& c : e.report.classes) names.push_back(c.name);
  e.scored_classes = scored_classes(m.config.data, names, k);
  e.scored_macro_f1 = e.report.macro_f1_over(e.scored_classes);
  return e;
}

SplitEvaluation evaluate_split(TrainedModel& m, data::Split split,
                               const std::filesystem::path& data_dir) {
  data::WindowSet windows = load_split(m.config.data, split, data_dir);
  if (windows.n == 0) {
    throw UsageError(fmt::format("split {}: no windows ({})", data::split_name(split),
                                 split_origin(m.config.data, split)));
  }
  return evaluate_windows(m, std::move(windows), data::split_name(split));
}

nlohmann::json to_json(const SplitEvaluation& e) {
  nlohmann::json j = eval::to_json(e.report);
  j["split"] = e.split;
  j["loss"] = e.predictions.hard_loss;
  std::vector<std::string> names;
  for (int c : e.scored_classes) names.push_back(e.report.classes[static_cast<size_t>(c)].name);
  j["scored_classes"] = names;
  j["scored_macro_f1"] = e.scored_macro_f1;
  return j;
}

std::string format_evaluation(const SplitEvaluation& e) {
  std::vector<std::string> names;
  for (int c : e.scored_classes) names.push_back(e.report.classes[static_cast<size_t>(c)].name);
  return fmt::format("{} ({} windows)\n{}\nmacro-F1 over {}: {:.4f}\n", e.split, e.windows.n,
                     eval::format_report(e.report), fmt::join(names, ","), e.scored_macro_f1);
}

namespace {

std::vector<eval::EpochRecord> epoch_records(const nlohmann::json& history,
                                             const std::string& select_metric) {
  // The figure shows the selection metric; for val_loss (already in the loss curves) macro-F1.
  const bool by_loss = select_metric == "val_loss";
  std::vector<eval::EpochRecord> out;
  for (const auto& h : history) {
    eval::EpochRecord r;
    r.epoch = h.at("epoch");
    r.train_loss = h.at("train_loss");
    r.val_loss = h.at("val_loss");
    r.val_metric_name = by_loss ? "macro_f1" : select_metric;
    r.val_metric = by_loss ? h.at("val_macro_f1").get<double>() : h.at("selected").get<double>();
    r.lr = h.at("lr");
    r.seconds = h.at("seconds");
    out.push_back(r);
  }
  return out;
}

}  // namespace

void write_final_report(const std::filesystem::path& run_dir, const nlohmann::json& history,
                        const std::filesystem::path& data_dir) {
  TrainedModel m = load_trained_model(run_dir / "best.pt", data_dir);
  eval::RunReportInput input;
  input.run_name = run_dir.filename().string();
  input.config = m.meta.at("config");
  input.history = epoch_records(history, m.config.train.select_metric);
  input.best_epoch = m.meta.at("best_epoch");
  for (const auto& p : m.network->parameters()) input.parameter_count += p.numel();
  std::string text;
  for (data::Split split : {data::Split::kValidation, data::Split::kTest}) {
    if (m.config.data.dataset == "hdf5" && split == data::Split::kTest &&
        m.config.data.hdf5.test_file.empty()) {
      continue;
    }
    SplitEvaluation e = evaluate_split(m, split, data_dir);
    nlohmann::json extra = to_json(e);
    input.extra_metrics[e.split] = {{"loss", extra["loss"]},
                                    {"scored_classes", extra["scored_classes"]},
                                    {"scored_macro_f1", extra["scored_macro_f1"]}};
    input.dataset_description.push_back(fmt::format("{}: {} windows from {}", e.split, e.windows.n,
                                                    split_origin(m.config.data, split)));
    (split == data::Split::kTest ? input.test : input.validation) = e.report;
    text += format_evaluation(e) + "\n";
  }
  eval::write_run_report(run_dir, input);
  std::cout << text;
}

}  // namespace physiolite::train
