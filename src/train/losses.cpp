#include "physiolite/train/losses.hpp"

namespace physiolite::train {

namespace F = torch::nn::functional;

torch::Tensor kd_kl_loss(const torch::Tensor& student, const torch::Tensor& teacher,
                         double temperature) {
  const torch::Tensor log_p_s = torch::log_softmax(student / temperature, 1);
  const torch::Tensor log_p_t = torch::log_softmax(teacher.detach() / temperature, 1);
  const torch::Tensor kl = (log_p_t.exp() * (log_p_t - log_p_s)).sum(1).mean();
  return kl * (temperature * temperature);
}

torch::Tensor kd_bce_loss(const torch::Tensor& student, const torch::Tensor& teacher,
                          double temperature) {
  const torch::Tensor q = torch::sigmoid(teacher.detach() / temperature);
  return F::binary_cross_entropy_with_logits(student / temperature, q) *
         (temperature * temperature);
}

LossOptions hard_loss_options(const TrainSettings& settings, bool multi_label) {
  LossOptions o;
  o.multi_label = multi_label;
  o.softf1_lambda = settings.loss == "ce_softf1" ? settings.softf1_lambda : 0.0;
  return o;
}

torch::Tensor soft_macro_f1(const torch::Tensor& logits, const torch::Tensor& labels) {
  const torch::Tensor p = torch::softmax(logits, 1);
  const torch::Tensor y = F::one_hot(labels, logits.size(1)).to(p.scalar_type());
  const torch::Tensor tp = (p * y).sum(0);
  const torch::Tensor fp = (p * (1 - y)).sum(0);
  const torch::Tensor fn = ((1 - p) * y).sum(0);
  return (2 * tp / (2 * tp + fp + fn + 1e-8)).mean();
}

torch::Tensor hard_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                        const LossOptions& options) {
  if (options.multi_label) return F::binary_cross_entropy_with_logits(logits, targets);
  auto ce = F::CrossEntropyFuncOptions();
  if (options.class_weights.defined()) ce.weight(options.class_weights);
  torch::Tensor loss = F::cross_entropy(logits, targets, ce);
  if (options.softf1_lambda > 0) {
    loss = loss + options.softf1_lambda * (1 - soft_macro_f1(logits, targets));
  }
  return loss;
}

torch::Tensor training_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                            const torch::Tensor& teacher, const LossOptions& options) {
  const double alpha = options.kd_alpha;
  torch::Tensor loss = hard_loss(logits, targets, options) * (1.0 - alpha);
  if (alpha > 0 && teacher.defined()) {
    const double t = options.kd_temperature;
    loss = loss + alpha * (options.multi_label ? kd_bce_loss(logits, teacher, t)
                                               : kd_kl_loss(logits, teacher, t));
  }
  return loss;
}

}  // namespace physiolite::train
