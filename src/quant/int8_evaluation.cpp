#include "physiolite/quant/int8_evaluation.hpp"

#include <fmt/format.h>

#include <numeric>

#include "physiolite/core/error.hpp"
#include "physiolite/core/progress.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "physiolite/quant/int_executor.hpp"
#include "physiolite/train/batch_producer.hpp"
#include "physiolite/train/training_data.hpp"

namespace physiolite::quant {

void check_graph_fits(const qgraph::Graph& g, const arch::ModelConfig& c, const std::string& what) {
  const qgraph::Tensor& in = g.tensors[static_cast<size_t>(g.input)];
  if (in.channels != c.channels() || in.length != c.input_length) {
    throw UsageError(fmt::format(
        "{}: the model file takes input [{} x {}], but the run's windows give [{} x {}] "
        "({} raw + {} positional channels)",
        what, in.channels, in.length, c.channels(), c.input_length, c.raw_channels,
        2 * c.pos_freqs));
  }
  if (g.num_classes() != c.num_classes) {
    throw UsageError(fmt::format("{}: the model file has {} classes, the run {}", what,
                                 g.num_classes(), c.num_classes));
  }
}

namespace {

std::vector<int64_t> all_windows(const data::WindowSet& set) {
  std::vector<int64_t> order(static_cast<size_t>(set.n));
  std::iota(order.begin(), order.end(), int64_t{0});
  return order;
}

}  // namespace

torch::Tensor integer_outputs(const qgraph::Graph& graph, const data::WindowSet& set,
                              const train::InputAssembler& assembler, int64_t batch_size) {
  torch::NoGradGuard no_grad;
  train::BatchProducer producer(set, assembler, all_windows(set), batch_size, false);
  ProgressBar bar("int8 graph", set.n, "windows");
  std::vector<torch::Tensor> parts;
  while (auto batch = producer.next()) {
    parts.push_back(run_integer(graph, quantize_input(graph, batch->inputs)));
    bar.tick(batch->inputs.size(0));
  }
  bar.finish();
  return parts.empty() ? torch::empty({0, graph.num_classes()}, torch::kInt64) : torch::cat(parts);
}

torch::Tensor runtime_outputs(const qgraph::RuntimeModel& runtime, const data::WindowSet& set,
                              const train::InputAssembler& assembler, plrt_kernels kernels) {
  // Batches of windows assembled channel-first, as plrt_quantize_input reads them.
  constexpr int64_t kBatch = 512;
  const int64_t per_window = assembler.channels() * assembler.length();
  ProgressBar bar(kernels == PLRT_KERNELS_REFERENCE ? "runtime (reference)" : "runtime", set.n,
                  "windows");
  std::vector<int8_t> codes;
  std::vector<float> x;
  const std::vector<int64_t> order = all_windows(set);
  for (int64_t first = 0; first < set.n; first += kBatch) {
    const int64_t n = std::min(kBatch, set.n - first);
    x.resize(static_cast<size_t>(n * per_window));
    assembler.assemble(set,
                       std::span(order).subspan(static_cast<size_t>(first), static_cast<size_t>(n)),
                       x.data());
    const std::vector<int8_t> out = runtime.run(x.data(), n, kernels);
    codes.insert(codes.end(), out.begin(), out.end());
    bar.tick(n);
  }
  bar.finish();
  return torch::tensor(std::vector<int64_t>(codes.begin(), codes.end()), torch::kInt64)
      .view({set.n, runtime.num_classes()});
}

torch::Tensor graph_outputs(const qgraph::Graph& graph, const data::WindowSet& set,
                            const train::InputAssembler& assembler) {
  const qgraph::RuntimeModel runtime(qgraph::serialize_plq(graph), "the int8 graph");
  return runtime_outputs(runtime, set, assembler, PLRT_KERNELS_OPTIMIZED);
}

train::Predictions predictions_from_codes(const qgraph::Graph& graph, const train::TrainedModel& m,
                                          const torch::Tensor& codes,
                                          const std::vector<int64_t>& labels) {
  torch::NoGradGuard no_grad;
  const torch::Tensor logits = dequantize_output(graph, codes).contiguous();
  train::Predictions p;
  p.n = logits.size(0);
  p.k = logits.size(1);
  const torch::Tensor probs =
      (m.loss.multi_label ? torch::sigmoid(logits) : torch::softmax(logits, 1)).contiguous();
  p.logits.assign(logits.data_ptr<float>(), logits.data_ptr<float>() + logits.numel());
  p.probabilities.assign(probs.data_ptr<float>(), probs.data_ptr<float>() + probs.numel());
  if (!labels.empty() && p.n > 0) {
    const torch::Tensor t = torch::tensor(labels, torch::kInt64);
    const torch::Tensor targets = m.loss.multi_label ? t.view({p.n, p.k}).to(torch::kFloat32) : t;
    p.hard_loss = train::hard_loss(logits, targets, m.loss).item<double>();
  }
  return p;
}

train::Predictions predict_int8(const qgraph::RuntimeModel& runtime, const qgraph::Graph& graph,
                                const train::TrainedModel& model, const data::WindowSet& windows,
                                const std::string& origin) {
  check_graph_fits(graph, model.model_config, origin);
  train::check_windows_fit(model.model_config, windows, origin);
  const train::InputAssembler assembler(model.model_config, windows.c, windows.side_dim);
  const torch::Tensor codes = runtime_outputs(runtime, windows, assembler, PLRT_KERNELS_OPTIMIZED);
  return predictions_from_codes(graph, model, codes, {});
}

train::SplitEvaluation evaluate_codes(const qgraph::Graph& graph, const train::TrainedModel& m,
                                      data::WindowSet windows, const std::string& split,
                                      const torch::Tensor& codes) {
  train::SplitEvaluation e;
  e.split = split;
  e.windows = std::move(windows);
  e.predictions = predictions_from_codes(graph, m, codes, e.windows.labels);
  const train::Predictions& p = e.predictions;
  const int64_t k = m.model_config.num_classes;
  e.report = train::classification_report(p, e.windows, k, m.config.data.hdf5.threshold);
  std::vector<std::string> names;
  for (const auto& c : e.report.classes) names.push_back(c.name);
  e.scored_classes = train::scored_classes(m.config.data, names, k);
  e.scored_macro_f1 = e.report.macro_f1_over(e.scored_classes);
  return e;
}

}  // namespace physiolite::quant
