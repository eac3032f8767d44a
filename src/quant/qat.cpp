#include "physiolite/quant/qat.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "physiolite/core/error.hpp"
#include "physiolite/core/progress.hpp"
#include "physiolite/quant/fake_quant.hpp"
#include "physiolite/quant/int8_evaluation.hpp"
#include "physiolite/train/batch_producer.hpp"
#include "physiolite/train/losses.hpp"
#include "physiolite/train/sampler.hpp"
#include "physiolite/train/schedule.hpp"
#include "physiolite/train/trainer.hpp"

namespace physiolite::quant {

namespace {

// The int8 graph of the model's current weights, scored on `validation`.
nlohmann::json score_epoch(train::TrainedModel& m, const std::vector<Node>& plan,
                           const QuantParams& params, const BuildOptions& build,
                           const data::WindowSet& validation,
                           const train::InputAssembler& assembler, int epoch) {
  const qgraph::Graph g = build_graph(plan, conv_weights(m.net, plan), params, build);
  const torch::Tensor codes = graph_outputs(g, validation, assembler);
  const train::SplitEvaluation e = evaluate_codes(g, m, validation, "validation", codes);
  return {{"epoch", epoch},
          {"val_loss", e.predictions.hard_loss},
          {"val_accuracy", e.report.accuracy},
          {"val_macro_f1", e.scored_macro_f1}};
}

std::vector<torch::Tensor> snapshot(model::PhysioLiteNet& net) {
  std::vector<torch::Tensor> out;
  for (const auto& p : net->parameters()) out.push_back(p.detach().clone());
  return out;
}

void restore(model::PhysioLiteNet& net, const std::vector<torch::Tensor>& weights) {
  torch::NoGradGuard no_grad;
  auto params = net->parameters();
  for (size_t i = 0; i < params.size(); ++i) params[i].copy_(weights[i]);
}

}  // namespace

QatOutcome fine_tune_qat(train::TrainedModel& m, const std::vector<Node>& plan,
                         const Calibration& calibration, const BuildOptions& build,
                         const data::WindowSet& train_set, const data::WindowSet& validation,
                         const QatOptions& options) {
  const train::TrainSettings& ts = m.config.train;
  const train::InputAssembler assembler(m.model_config, train_set.c, train_set.side_dim);
  train::LossOptions loss = m.loss;
  loss.kd_alpha = train_set.teacher_logits_dim > 0 ? ts.kd_alpha : 0.0;
  loss.kd_temperature = ts.kd_temperature;
  if (ts.class_weighting == "balanced") {
    loss.class_weights =
        torch::tensor(train::balanced_class_weights(train_set.labels, m.model_config.num_classes));
  }
  FakeQuantObserver observer(plan, calibration, build);
  QatOutcome out;
  out.ranges = calibration;
  nlohmann::json first = score_epoch(m, plan, observer.params(), build, validation, assembler, 0);
  std::cout << fmt::format("qat epoch 0 (post-training): val_macro_f1 {:.4f}\n",
                           first["val_macro_f1"].get<double>());
  double best = first["val_macro_f1"];
  std::vector<torch::Tensor> best_weights = snapshot(m.net);
  out.history.push_back(first);

  const double lr = ts.lr * options.lr_factor;
  torch::optim::AdamW optimizer(m.net->parameters(),
                                torch::optim::AdamWOptions(lr).weight_decay(ts.weight_decay));
  const int64_t samples = ts.samples_per_epoch > 0 ? ts.samples_per_epoch : train_set.n;
  const int64_t steps_per_epoch = (samples + ts.batch_size - 1) / ts.batch_size;
  const int64_t total = steps_per_epoch * options.epochs;
  // Another stream of epochs than training's, from the same seed.
  const auto seed = static_cast<uint64_t>(ts.seed) + 0x9E3779B9u;
  const ConvWeights weights = conv_weights(m.net, plan);
  int64_t step = 0;
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    train::BatchProducer producer(
        train_set, assembler,
        train::epoch_indices(ts.sampler, train_set.labels, train_set.n, ts.samples_per_epoch, seed,
                             epoch, ts.balance_power),
        ts.batch_size, loss.kd_alpha > 0, train::augment_options(ts), {seed, epoch});
    ProgressBar bar(fmt::format("qat {}/{}", epoch, options.epochs), producer.num_batches(),
                    "batches");
    m.net->train();
    observer.set_tracking(options.ranges == "ema");
    const train::EpochLoop loop{
        .optimizer = &optimizer,
        .parameters = m.net->parameters(),
        .rate = [&](int64_t at) { return lr * train::warmup_cosine_factor(at, 0, total); },
        .forward =
            [&](const torch::Tensor& inputs) {
              return forward_float(plan, weights, inputs, observer);
            },
        .loss = loss,
        .grad_clip = ts.grad_clip,
        .after_step = {},
        .what = "QAT",
        .lower_hint = "--qat-lr-factor"};
    const double train_loss = train::run_epoch(loop, producer, bar, step);
    bar.finish();
    m.net->eval();
    observer.set_tracking(false);
    const QuantParams params = choose_params(plan, observer.ranges(), build.scheme);
    nlohmann::json record = score_epoch(m, plan, params, build, validation, assembler, epoch);
    record["train_loss"] = train_loss;
    record["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double f1 = record["val_macro_f1"];
    const bool improved = f1 > best;
    if (improved) {
      best = f1;
      best_weights = snapshot(m.net);
      out.selected_epoch = epoch;
      out.ranges = observer.ranges();
    }
    std::cout << fmt::format(
                     "qat epoch {}/{}: train_loss {:.4f} int8 val_loss {:.4f} val_acc {:.4f} "
                     "val_macro_f1 {:.4f}{}\n",
                     epoch, options.epochs, record["train_loss"].get<double>(),
                     record["val_loss"].get<double>(), record["val_accuracy"].get<double>(), f1,
                     improved ? " best" : "")
              << std::flush;
    out.history.push_back(record);
  }
  restore(m.net, best_weights);
  return out;
}

}  // namespace physiolite::quant
