#include "physiolite/train/inference.hpp"

#include <numeric>

#include "physiolite/train/batch_producer.hpp"

namespace physiolite::train {

Predictions predict(model::NetImpl& model, const data::WindowSet& set,
                    const InputAssembler& assembler, int64_t batch_size,
                    const LossOptions& loss_options) {
  const bool was_training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  std::vector<int64_t> order(static_cast<size_t>(set.n));
  std::iota(order.begin(), order.end(), int64_t{0});
  const bool labelled = !set.labels.empty();
  BatchProducer producer(set, assembler, std::move(order), batch_size, false);
  Predictions out;
  out.n = set.n;
  out.k = model.options().num_classes;
  out.logits.reserve(static_cast<size_t>(out.n * out.k));
  out.probabilities.reserve(out.logits.capacity());
  double loss_sum = 0;
  while (auto batch = producer.next()) {
    const torch::Tensor logits = model.forward(batch->inputs).contiguous();
    const torch::Tensor probs =
        (loss_options.multi_label ? torch::sigmoid(logits) : torch::softmax(logits, 1))
            .contiguous();
    out.logits.insert(out.logits.end(), logits.data_ptr<float>(),
                      logits.data_ptr<float>() + logits.numel());
    out.probabilities.insert(out.probabilities.end(), probs.data_ptr<float>(),
                             probs.data_ptr<float>() + probs.numel());
    if (labelled) {
      loss_sum += hard_loss(logits, batch->targets, loss_options).item<double>() *
                  static_cast<double>(logits.size(0));
    }
  }
  out.hard_loss = out.n > 0 ? loss_sum / static_cast<double>(out.n) : 0.0;
  if (was_training) model.train();
  return out;
}

eval::ClassificationReport classification_report(const Predictions& p, const data::WindowSet& set,
                                                 int64_t num_classes,
                                                 double multi_label_threshold) {
  std::vector<std::string> names = set.class_names;
  for (auto c = static_cast<int64_t>(names.size()); c < num_classes; ++c) {
    names.push_back(std::to_string(c));
  }
  names.resize(static_cast<size_t>(num_classes));
  if (set.multi_label()) {
    return eval::evaluate_multi_label(p.probabilities, set.labels, num_classes, names,
                                      static_cast<float>(multi_label_threshold));
  }
  return eval::evaluate_single_label(p.probabilities, set.labels, num_classes, names);
}

}  // namespace physiolite::train
