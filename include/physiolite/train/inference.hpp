// Runs a model over a WindowSet in order (batches assembled on the producer thread) and turns the
// logits into probabilities and a classification report.
#pragma once

#include <cstdint>
#include <vector>

#include "physiolite/data/window_set.hpp"
#include "physiolite/eval/metrics.hpp"
#include "physiolite/model/physiolite_net.hpp"
#include "physiolite/train/losses.hpp"
#include "physiolite/train/model_input.hpp"

namespace physiolite::train {

struct Predictions {
  int64_t n = 0, k = 0;
  std::vector<float> logits;         // (n, k)
  std::vector<float> probabilities;  // softmax, or sigmoid for multi-label
  double hard_loss = 0;              // mean L_hard over the set (0 when the set has no labels)
};

// Evaluation mode, no gradients; restores training mode afterwards.
Predictions predict(model::NetImpl& model, const data::WindowSet& set,
                    const InputAssembler& assembler, int64_t batch_size,
                    const LossOptions& loss_options);
inline Predictions predict(model::PhysioLiteNet& model, const data::WindowSet& set,
                           const InputAssembler& assembler, int64_t batch_size,
                           const LossOptions& loss_options) {
  return predict(*model, set, assembler, batch_size, loss_options);
}

eval::ClassificationReport classification_report(const Predictions& predictions,
                                                 const data::WindowSet& set, int64_t num_classes,
                                                 double multi_label_threshold);

}  // namespace physiolite::train
