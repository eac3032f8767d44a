// Training losses of docs/model.md (training, as the reference does it)
//   L = (1 - alpha) L_hard + alpha L_KD   (alpha = train.kd_alpha; L_KD needs teacher logits)
//   L_hard: cross-entropy (optional class weights: weighted mean, as torch's), optionally plus
//           lambda (1 - soft macro-F1) (train.loss ce_softf1, the reference's NinaPro DB5 loss),
//           or, multi-label, BCE-with-logits averaged over batch x classes.
//   L_KD single-label: T^2 KL(softmax(z_t/T) || softmax(z_s/T)), summed over classes, mean over
//           the batch; multi-label: T^2 mean BCE(sigmoid(z_s/T), sigmoid(z_t/T)).
#pragma once

#include <torch/torch.h>

#include "physiolite/train/train_config.hpp"

namespace physiolite::train {

torch::Tensor kd_kl_loss(const torch::Tensor& student, const torch::Tensor& teacher,
                         double temperature);
torch::Tensor kd_bce_loss(const torch::Tensor& student, const torch::Tensor& teacher,
                          double temperature);

struct LossOptions {
  bool multi_label = false;
  torch::Tensor class_weights;  // undefined = unweighted (single-label only)
  double kd_alpha = 0;
  double kd_temperature = 2;
  double softf1_lambda = 0;  // > 0 (single-label): L_hard = CE + lambda (1 - soft macro-F1)
};

// The hard-loss settings a training config asks for (train.loss, train.softf1_lambda), as
// training, validation and evaluation all use them; class weights and KD are the caller's.
LossOptions hard_loss_options(const TrainSettings& settings, bool multi_label);

// Soft macro-F1 of a batch (differentiable): p = softmax(logits) per row, per class c
// tp = sum p_c y_c, fp = sum p_c (1 - y_c), fn = sum (1 - p_c) y_c, F1_c = 2 tp / (2 tp + fp + fn
// + 1e-8), the mean over all K classes (a class absent from the batch scores 0, as the
// reference's). labels: int64 [B].
torch::Tensor soft_macro_f1(const torch::Tensor& logits, const torch::Tensor& labels);

// targets: int64 [B] (single-label) or float [B, K] multi-hot.
torch::Tensor hard_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                        const LossOptions& options);
// teacher: [B, K] logits, or undefined (then only (1 - alpha) L_hard).
torch::Tensor training_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                            const torch::Tensor& teacher, const LossOptions& options);

}  // namespace physiolite::train
