// Training losses of docs/model.md (training, as the reference does it)
//   L = (1 - alpha) L_hard + alpha L_KD   (alpha = train.kd_alpha; L_KD needs teacher logits)
//   L_hard: cross-entropy (optional class weights: weighted mean, as torch's) or, multi-label,
//           BCE-with-logits averaged over batch x classes.
//   L_KD single-label: T^2 KL(softmax(z_t/T) || softmax(z_s/T)), summed over classes, mean over
//           the batch; multi-label: T^2 mean BCE(sigmoid(z_s/T), sigmoid(z_t/T)).
#pragma once

#include <torch/torch.h>

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
};

// targets: int64 [B] (single-label) or float [B, K] multi-hot.
torch::Tensor hard_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                        const LossOptions& options);
// teacher: [B, K] logits, or undefined (then only (1 - alpha) L_hard).
torch::Tensor training_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                            const torch::Tensor& teacher, const LossOptions& options);

}  // namespace physiolite::train
