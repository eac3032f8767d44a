// Losses of docs/model.md (training, as the reference does it): the reference's golden KD values
// and hand-computed CE/BCE.
#include "physiolite/train/losses.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace physiolite::train {
namespace {

const torch::Tensor kStudent = torch::tensor({{1.0f, -0.5f, 0.25f}});
const torch::Tensor kTeacher = torch::tensor({{2.0f, 0.0f, -1.0f}});

TEST(Losses, DistillationGoldenValuesOfTheReference) {
  // docs/model.md (training, as the reference does it) (measured on [R]'s kd/losses.py): T = 2.
  EXPECT_NEAR(kd_kl_loss(kStudent, kTeacher, 2.0).item<double>(), 0.359996, 1e-6);
  EXPECT_NEAR(kd_bce_loss(kStudent, kTeacher, 2.0).item<double>(), 2.693192, 1e-6);
}

TEST(Losses, KlIsMeanOverTheBatch) {
  const torch::Tensor s = torch::cat({kStudent, kTeacher});
  const torch::Tensor t = torch::cat({kTeacher, kTeacher});
  // Second row: identical distributions, KL 0 -> half the single-row value.
  EXPECT_NEAR(kd_kl_loss(s, t, 2.0).item<double>(), 0.359996 / 2, 1e-6);
}

TEST(Losses, CrossEntropyWithClassWeightsByHand) {
  // Row 0: logits (0, 0), label 0 -> ln 2. Row 1: logits (1, 0), label 1 -> ln(1 + e).
  // Weights (1, 3): torch's weighted mean (1 ln 2 + 3 ln(1 + e)) / (1 + 3).
  const torch::Tensor logits = torch::tensor({{0.0f, 0.0f}, {1.0f, 0.0f}});
  const torch::Tensor labels = torch::tensor({0, 1}, torch::kInt64);
  LossOptions options;
  const double unweighted = (std::log(2.0) + std::log(1.0 + std::exp(1.0))) / 2;
  EXPECT_NEAR(hard_loss(logits, labels, options).item<double>(), unweighted, 1e-6);
  options.class_weights = torch::tensor({1.0f, 3.0f});
  const double weighted = (std::log(2.0) + 3 * std::log(1.0 + std::exp(1.0))) / 4;
  EXPECT_NEAR(hard_loss(logits, labels, options).item<double>(), weighted, 1e-6);
}

// Soft-F1 golden values: PyTorch 1.13 (Debian python3), the reference's formula written out:
//   z = [[2, -1, .5], [0, 1, -2], [1.5, .5, .25], [-1, 0, 3]], y = [0, 1, 1, 2]
//   p = z.softmax(1); oh = F.one_hot(y, 3).float()
//   tp = (p*oh).sum(0); fp = (p*(1-oh)).sum(0); fn = ((1-p)*oh).sum(0)
//   soft = (2*tp / (2*tp + fp + fn + 1e-8)).mean()          -> 0.670696259
//   F.cross_entropy(z, y) + 0.3 * (1 - soft)                -> 0.638700187
//   with a 4th logit column [.1, .2, -.3, 0] (a class absent from the batch, F1 0) -> 0.473551929
const torch::Tensor kSoftLogits = torch::tensor(
    {{2.0f, -1.0f, 0.5f}, {0.0f, 1.0f, -2.0f}, {1.5f, 0.5f, 0.25f}, {-1.0f, 0.0f, 3.0f}});
const torch::Tensor kSoftLabels = torch::tensor({0, 1, 1, 2}, torch::kInt64);

TEST(Losses, SoftMacroF1GoldenValues) {
  EXPECT_NEAR(soft_macro_f1(kSoftLogits, kSoftLabels).item<double>(), 0.670696259, 1e-6);
  const torch::Tensor absent = torch::tensor({{0.1f}, {0.2f}, {-0.3f}, {0.0f}});
  EXPECT_NEAR(soft_macro_f1(torch::cat({kSoftLogits, absent}, 1), kSoftLabels).item<double>(),
              0.473551929, 1e-6);
}

TEST(Losses, CeSoftF1AddsLambdaTimesOneMinusSoftF1) {
  TrainSettings settings;
  settings.loss = "ce_softf1";  // softf1_lambda defaults to the reference's 0.3
  const LossOptions options = hard_loss_options(settings, false);
  EXPECT_DOUBLE_EQ(options.softf1_lambda, 0.3);
  EXPECT_NEAR(hard_loss(kSoftLogits, kSoftLabels, options).item<double>(), 0.638700187, 1e-6);
  // The term is differentiable: the logits get a gradient from it alone.
  const torch::Tensor z = kSoftLogits.clone().requires_grad_(true);
  (1 - soft_macro_f1(z, kSoftLabels)).backward();
  EXPECT_GT(z.grad().abs().sum().item<double>(), 0.0);
  settings.loss = "ce";
  EXPECT_EQ(hard_loss_options(settings, false).softf1_lambda, 0.0);
}

TEST(Losses, MultiLabelBceIsMeanOverBatchAndClasses) {
  // BCE(sigmoid(0), y) = ln 2 for either y; BCE(sigmoid(2), 1) = ln(1 + e^-2).
  const torch::Tensor logits = torch::tensor({{0.0f, 2.0f}});
  const torch::Tensor targets = torch::tensor({{1.0f, 1.0f}});
  LossOptions options;
  options.multi_label = true;
  const double expected = (std::log(2.0) + std::log(1.0 + std::exp(-2.0))) / 2;
  EXPECT_NEAR(hard_loss(logits, targets, options).item<double>(), expected, 1e-6);
}

TEST(Losses, TotalMixesHardAndDistillationLoss) {
  const torch::Tensor labels = torch::tensor({0}, torch::kInt64);
  LossOptions options;
  options.kd_alpha = 0.25;
  const double ce = -std::log(std::exp(1.0) / (std::exp(1.0) + std::exp(-0.5) + std::exp(0.25)));
  EXPECT_NEAR(training_loss(kStudent, labels, kTeacher, options).item<double>(),
              0.75 * ce + 0.25 * 0.359996, 1e-6);
  // Without teacher logits only (1 - alpha) L_hard remains ([R]'s rule).
  EXPECT_NEAR(training_loss(kStudent, labels, torch::Tensor(), options).item<double>(), 0.75 * ce,
              1e-6);
}

}  // namespace
}  // namespace physiolite::train
