#include "physiolite/train/trainer.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>

#include "physiolite/arch/config_override.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/core/progress.hpp"
#include "physiolite/dist/gradient_reducer.hpp"
#include "physiolite/train/batch_producer.hpp"
#include "physiolite/train/checkpoint.hpp"
#include "physiolite/train/evaluation.hpp"
#include "physiolite/train/inference.hpp"
#include "physiolite/train/masked_patches.hpp"
#include "physiolite/train/run_files.hpp"
#include "physiolite/train/sampler.hpp"
#include "physiolite/train/schedule.hpp"
#include "physiolite/train/teacher_logits.hpp"
#include "physiolite/train/training_data.hpp"
#include "physiolite/train/weight_average.hpp"

namespace physiolite::train {

namespace {

using nlohmann::json;

// OpenBLAS (batch-1 convolutions) ignores at::set_num_threads; reach it without linking it.
// Denormal floats (tiny gradients late in training) are flushed to zero: on x86 each one costs
// a micro-code assist of ~100 cycles.
void configure_cpu(int threads) {
  at::set_num_threads(threads);
  at::globalContext().setFlushDenormal(true);
  using SetThreads = void (*)(int);
  if (auto* f = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
    f(threads);
  }
}

bool is_better(const std::string& metric, double candidate, double best) {
  return metric == "val_loss" ? candidate < best : candidate > best;
}

// What a run needs, all checked before the run directory is touched.
struct Plan {
  TrainConfig config;
  data::WindowSet train, validation;
  arch::ModelConfig model;
  json resolved;  // config.json
  std::vector<int> scored;
  std::vector<int> selected;  // classes of the macro_f1 selection metric
  LossOptions loss;
  int64_t steps_per_epoch = 0;
  nlohmann::json teacher_key;   // train.teacher: what the logits were computed from
  bool teacher_cached = false;  // read from run_dir/teacher_logits.pt
  bool pretraining = false;     // train.objective = masked_patches
  std::string select_metric;    // train.select_metric, or val_loss when pre-training
  model::Net init_weights;      // train.init's network, read once (null without train.init)
};

// The weights train.init starts from: all of a run's network but its classifier head and
// pre-training decoder (masked_patches.hpp), read into a scratch network when the plan is made, so
// that a run with another network is refused (InputError naming the file and tensor) before
// anything is written.
model::Net read_init_weights(const std::string& run_dir, const arch::ModelConfig& config) {
  model::Net net = model::make_net(config);
  load_weights_except(std::filesystem::path(run_dir) / "best.pt", *net, {"head", "pretrain"});
  return net;
}

// Copies those weights by name into the network that trains, after it was seeded: every one but
// the classifier head, which starts fresh (and the decoder, which the scratch network lacks).
void copy_init_weights(torch::nn::Module& from, torch::nn::Module& to) {
  torch::NoGradGuard no_grad;
  auto parameters = to.named_parameters();
  for (const auto& item : from.named_parameters()) {
    if (!item.key().starts_with("head.")) parameters[item.key()].copy_(item.value());
  }
}

Plan make_plan(const TrainConfig& config, const std::filesystem::path& data_dir) {
  Plan p;
  p.config = config;
  p.train = load_split(config.data, data::Split::kTrain, data_dir);
  if (p.train.n == 0) {
    throw UsageError(fmt::format("data: no training windows in {}",
                                 split_origin(config.data, data::Split::kTrain)));
  }
  p.validation = load_split(config.data, data::Split::kValidation, data_dir);
  if (p.validation.n == 0) {
    throw UsageError(fmt::format("data: no validation windows in {}",
                                 split_origin(config.data, data::Split::kValidation)));
  }
  p.model = resolve_model_config(config.model, p.train);
  p.pretraining = config.train.objective == "masked_patches";
  p.select_metric = p.pretraining ? "val_loss" : config.train.select_metric;
  if ((p.pretraining || !config.train.init.empty()) && p.model.type != "transformer") {
    throw UsageError(fmt::format("{}: expected model.type transformer, got '{}'",
                                 p.pretraining ? "train.objective masked_patches" : "train.init",
                                 p.model.type));
  }
  if (!config.train.init.empty()) p.init_weights = read_init_weights(config.train.init, p.model);
  check_windows_fit(p.model, p.validation, split_origin(config.data, data::Split::kValidation));
  if (config.train.augment_shift >= p.model.input_length) {
    throw UsageError(
        fmt::format("train.augment_shift: expected fewer than the {} samples of a window, got {}",
                    p.model.input_length, config.train.augment_shift));
  }
  if (!config.train.teacher.empty()) {
    const TeacherLogits t = teacher_logits(config.train.teacher, config, p.train,
                                           config.run_dir / kTeacherLogitsFile, data_dir);
    p.train.teacher_logits = t.logits;
    p.train.teacher_logits_dim = t.k;
    p.teacher_key = t.key;
    p.teacher_cached = t.from_cache;
  } else if (config.train.kd_alpha > 0) {
    check_teacher_logits(config.data, p.train, p.model.num_classes);
  }
  p.resolved = to_json(config);
  p.resolved["model"] = arch::to_json(p.model);
  p.scored = scored_classes(config.data, p.train.class_names, p.model.num_classes);
  p.selected = p.scored;
  if (!config.train.select_classes.empty()) {
    p.selected.clear();
    for (const std::string& name : config.train.select_classes) {
      const auto it = std::find(p.train.class_names.begin(), p.train.class_names.end(), name);
      if (it == p.train.class_names.end()) {
        throw UsageError(fmt::format("train.select_classes: '{}' is not a class of the data ({})",
                                     name, fmt::join(p.train.class_names, ", ")));
      }
      p.selected.push_back(static_cast<int>(it - p.train.class_names.begin()));
    }
  }
  p.loss = hard_loss_options(config.train, p.train.multi_label());
  p.loss.kd_alpha = config.train.kd_alpha;
  p.loss.kd_temperature = config.train.kd_temperature;
  if (config.train.class_weighting == "balanced") {
    const auto w = balanced_class_weights(p.train.labels, p.model.num_classes);
    p.loss.class_weights = torch::tensor(w, torch::kFloat32);
  }
  const int64_t samples =
      config.train.samples_per_epoch > 0 ? config.train.samples_per_epoch : p.train.n;
  p.steps_per_epoch = (samples + config.train.batch_size - 1) / config.train.batch_size;
  return p;
}

struct EpochScore {
  double train_loss = 0, val_loss = 0, accuracy = 0, macro_f1 = 0;
  double selected_macro_f1 = 0;  // over train.select_classes
  double select(const std::string& metric) const {
    return metric == "val_loss" ? val_loss : metric == "accuracy" ? accuracy : selected_macro_f1;
  }
};

EpochScore validation_score(model::NetImpl& net, const Plan& plan, const InputAssembler& assembler,
                            double train_loss) {
  const Predictions val =
      predict(net, plan.validation, assembler, plan.config.train.eval_batch_size, plan.loss);
  const auto report = classification_report(val, plan.validation, plan.model.num_classes,
                                            plan.config.data.hdf5.threshold);
  return {train_loss, val.hard_loss, report.accuracy, report.macro_f1_over(plan.scored),
          report.macro_f1_over(plan.selected)};
}

void set_lr(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) {
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
  }
}

}  // namespace

double run_epoch(const EpochLoop& loop, BatchProducer& producer, ProgressBar& bar, int64_t& step) {
  double loss_sum = 0;
  int64_t batches = 0;
  while (auto batch = producer.next()) {
    const double lr = loop.rate(step);
    set_lr(*loop.optimizer, lr);
    loop.optimizer->zero_grad();
    torch::Tensor loss = loop.objective ? loop.objective(batch->inputs)
                                        : training_loss(loop.forward(batch->inputs), batch->targets,
                                                        batch->teacher, loop.loss);
    double value = loss.item<double>();
    if (loop.reducer != nullptr) {
      // Every rank steps: a non-finite loss is seen by all in the reduced value.
      const bool last = batches + 1 == producer.num_batches();
      loop.reducer->begin(
          last && loop.last_batch_rows >= 0 ? loop.last_batch_rows : batch->inputs.size(0), value);
      loss.backward();
      value = loop.reducer->finish().loss;
    }
    if (!std::isfinite(value)) {
      throw Error(fmt::format("{} loss is {} at step {} (try a lower {})", loop.what, value, step,
                              loop.lower_hint));
    }
    if (loop.reducer == nullptr) loss.backward();
    if (loop.grad_clip > 0) torch::nn::utils::clip_grad_norm_(loop.parameters, loop.grad_clip);
    loop.optimizer->step();
    if (loop.after_step) loop.after_step(step);
    ++step;
    loss_sum += value;
    ++batches;
    bar.set_status(
        fmt::format("loss {:.4f} lr {:.2e}", loss_sum / static_cast<double>(batches), lr));
    bar.tick();
  }
  return batches > 0 ? loss_sum / static_cast<double>(batches) : 0.0;
}

TrainResult run_training(const TrainConfig& config, const TrainRunOptions& options) {
  const TrainSettings& ts = config.train;
  configure_cpu(ts.threads);
  dist::ProcessGroup* const group = options.group;
  const int world = group != nullptr ? group->world_size() : 1;
  const int rank = group != nullptr ? group->rank() : 0;
  const bool writer = rank == 0;  // the one rank that writes the run directory and prints
  if (ts.batch_size % world != 0) {
    throw UsageError(fmt::format(
        "train.batch_size: expected a multiple of the {} processes (each trains on an equal "
        "share of every batch), got {}",
        world, ts.batch_size));
  }
  if (!writer) ProgressBar::set_enabled(false);
  Plan plan = make_plan(config, options.data_dir);
  const std::filesystem::path dir = config.run_dir;
  bool resuming = false;
  if (writer) {
    resuming = prepare_run_dir(dir, plan.resolved, options.resume, options.force);
    write_file_atomically(dir / "config.json",
                          [&](std::ostream& out) { out << plan.resolved.dump(2) << "\n"; });
    if (!ts.teacher.empty() && !plan.teacher_cached) {
      save_teacher_logits(dir / kTeacherLogitsFile,
                          {plan.train.teacher_logits, plan.train.n, plan.train.teacher_logits_dim,
                           plan.teacher_key});
    }
  }
  if (group != nullptr) resuming = dist::broadcast_flag(*group, resuming);

  torch::manual_seed(static_cast<uint64_t>(ts.seed));
  model::Net model = model::make_net(plan.model);
  std::optional<MaskedPatchObjective> pretraining;
  if (plan.pretraining) {
    pretraining.emplace(dynamic_cast<model::TransformerNetImpl&>(*model), plan.train.c,
                        ts.mask_ratio);
  }
  if (!ts.init.empty() && !resuming) {
    copy_init_weights(*plan.init_weights, *model);
    if (writer) std::cout << "initialised from " << ts.init << " (all but the classifier head)\n";
  }
  torch::optim::AdamW optimizer(model->parameters(),
                                torch::optim::AdamWOptions(ts.lr).weight_decay(ts.weight_decay));
  const InputAssembler assembler(plan.model, plan.train.c, plan.train.side_dim);
  // train.ema_decay: the weight average is what validation scores and best.pt holds.
  model::Net average;
  if (ts.ema_decay > 0) {
    average = model::make_net(plan.model);
    copy_weights(*model, *average);
  }
  torch::nn::Module* const average_or_null = average.get();
  model::NetImpl& scored = average ? *average : *model;

  const int64_t total_steps = plan.steps_per_epoch * ts.epochs;
  const auto warmup_steps = static_cast<int64_t>(
      std::llround(ts.warmup_epochs * static_cast<double>(plan.steps_per_epoch)));
  int epoch = 0;
  int64_t step = 0;
  TrainResult result;
  result.best_metric = plan.select_metric == "val_loss" ? INFINITY : -INFINITY;
  int since_best = 0;
  json history = json::array();
  if (resuming) {
    const json meta = load_checkpoint(dir / "last.pt", *model, &optimizer, average_or_null);
    epoch = meta.at("epoch");
    step = meta.at("step");
    result.best_metric = meta.at("best_metric");
    result.best_epoch = meta.at("best_epoch");
    since_best = meta.at("epochs_since_best");
    history = meta.at("history");
    if (writer) {
      std::cout << fmt::format("resuming {} after epoch {} (step {})\n", dir.string(), epoch, step);
    }
  }
  // Every rank starts from rank 0's weights (and weight average), then stays equal to it: each
  // applies the same averaged gradients.
  std::unique_ptr<dist::GradientReducer> reducer;
  if (group != nullptr) {
    dist::broadcast_module(*group, *model);
    if (average) dist::broadcast_module(*group, *average);
    reducer = std::make_unique<dist::GradientReducer>(*group, model->parameters());
    // Dropout (the teacher) draws its masks from LibTorch's generator: one stream per rank,
    // else every rank would drop the same units of its rows.
    torch::manual_seed(static_cast<uint64_t>(ts.seed) + 0x9e3779b97f4a7c15ull * (rank + 1u));
  }

  const bool stop_early_done =
      ts.early_stopping_patience > 0 && since_best >= ts.early_stopping_patience;
  int run_here = 0;
  for (; epoch < ts.epochs && !stop_early_done; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<int64_t> order =
        epoch_indices(ts.sampler, plan.train.labels, plan.train.n, ts.samples_per_epoch,
                      static_cast<uint64_t>(ts.seed), epoch, ts.balance_power);
    const auto windows = static_cast<int64_t>(order.size());
    int64_t last_batch_rows = -1;
    if (group != nullptr) {
      RankShard shard = shard_order(order, ts.batch_size, rank, world);
      order = std::move(shard.order);
      last_batch_rows = shard.last_batch_rows;
    }
    BatchProducer producer(plan.train, assembler, std::move(order), ts.batch_size / world,
                           ts.kd_alpha > 0, augment_options(ts),
                           {static_cast<uint64_t>(ts.seed), epoch});
    ProgressBar bar(fmt::format("epoch {}/{}", epoch + 1, ts.epochs), producer.num_batches(),
                    "batches");
    model->train();
    double lr = ts.lr;
    const EpochLoop loop{
        .optimizer = &optimizer,
        .parameters = model->parameters(),
        .rate =
            [&](int64_t at) {
              lr = ts.scheduler == "cosine"
                       ? ts.lr * warmup_cosine_factor(at, warmup_steps, total_steps)
                       : ts.lr;
              return lr;
            },
        .forward = [&](const torch::Tensor& inputs) { return model->forward(inputs); },
        .loss = plan.loss,
        .grad_clip = ts.grad_clip,
        .after_step =
            [&](int64_t at) {
              if (average) update_weight_average(*average, *model, ts.ema_decay, at);
              if (group != nullptr) group->set_step(at + 1);
            },
        .what = "training",
        .lower_hint = "train.lr",
        .reducer = reducer.get(),
        .last_batch_rows = last_batch_rows,
        .objective = pretraining ? std::function<torch::Tensor(const torch::Tensor&)>(
                                       [&](const torch::Tensor& inputs) {
                                         return pretraining->loss(inputs);
                                       })
                                 : nullptr};
    const double waited_before = reducer ? reducer->seconds_waited() : 0.0;
    const double mean_loss = run_epoch(loop, producer, bar, step);
    bar.finish();
    const double train_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const EpochScore score =
        pretraining ? EpochScore{.train_loss = mean_loss,
                                 .val_loss = masked_patch_loss(
                                     *pretraining, scored, plan.validation, assembler,
                                     ts.eval_batch_size, static_cast<uint64_t>(ts.seed))}
                    : validation_score(scored, plan, assembler, mean_loss);
    const double metric = score.select(plan.select_metric);
    const bool improved =
        result.best_epoch == 0 || is_better(plan.select_metric, metric, result.best_metric);
    if (improved) {
      result.best_metric = metric;
      result.best_epoch = epoch + 1;
      since_best = 0;
    } else {
      ++since_best;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    history.push_back({{"epoch", epoch + 1},
                       {"step", step},
                       {"lr", lr},
                       {"train_loss", score.train_loss},
                       {"val_loss", score.val_loss},
                       {"selected", metric},
                       {"best_epoch", result.best_epoch},
                       {"train_windows_per_s", static_cast<double>(windows) / train_seconds},
                       {"seconds", seconds}});
    if (!pretraining) {  // a pre-training run has no classifier to score
      history.back()["val_accuracy"] = score.accuracy;
      history.back()["val_macro_f1"] = score.macro_f1;
    }
    if (reducer) {
      history.back()["processes"] = world;
      history.back()["allreduce_bytes_per_step"] = reducer->num_bytes();
      // What backward did not hide of the all-reduces, this epoch.
      history.back()["allreduce_wait_s"] = reducer->seconds_waited() - waited_before;
    }
    const json meta{{"config", plan.resolved},
                    {"epoch", epoch + 1},
                    {"step", step},
                    {"best_metric", result.best_metric},
                    {"best_epoch", result.best_epoch},
                    {"epochs_since_best", since_best},
                    {"history", history},
                    {"class_names", plan.train.class_names}};
    if (writer) {  // only rank 0 writes checkpoints, the log and the report, and prints
      if (improved) save_checkpoint(dir / "best.pt", scored, nullptr, meta);
      save_checkpoint(dir / "last.pt", *model, &optimizer, meta, average_or_null);
      write_log(dir / "log.jsonl", history);
      const std::string scores = pretraining ? ""
                                             : fmt::format("  val_acc {:.4f}  val_macro_f1 {:.4f}",
                                                           score.accuracy, score.macro_f1);
      std::cout << fmt::format(
                       "epoch {:>3}/{}  train_loss {:.4f}  val_loss {:.4f}{}  {}{}  ({:.0f} "
                       "windows/s, {:.0f} s)\n",
                       epoch + 1, ts.epochs, score.train_loss, score.val_loss, scores,
                       improved ? "best " : "", plan.select_metric,
                       static_cast<double>(windows) / train_seconds, seconds)
                << std::flush;
    }
    ++run_here;
    if (ts.early_stopping_patience > 0 && since_best >= ts.early_stopping_patience) {
      if (writer)
        std::cout << fmt::format("early stop: no {} improvement for {} epochs\n",
                                 plan.select_metric, since_best);
      ++epoch;
      break;
    }
    if (options.stop_after_epochs > 0 && run_here >= options.stop_after_epochs &&
        epoch + 1 < ts.epochs) {
      result.epochs_done = epoch + 1;
      return result;
    }
  }
  result.epochs_done = epoch;
  result.finished = true;
  if (options.final_report && writer) {
    if (pretraining) {
      std::cout << fmt::format(
          "pre-training done: {} holds the encoder; fine-tune a classifier from it with --set "
          "train.init={}\n",
          (dir / "best.pt").string(), dir.string());
    } else {
      write_final_report(dir, history, options.data_dir);
    }
  }
  return result;
}

}  // namespace physiolite::train
