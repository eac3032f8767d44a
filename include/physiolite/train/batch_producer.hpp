// Assembles batches on a producer thread (indexing, side and positional channels, teacher
// logits, augmentation) while the previous batch trains. The batches are a pure function of the
// order given (and the augmentation stream), so training stays deterministic.
#pragma once

#include <torch/torch.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "physiolite/data/window_set.hpp"
#include "physiolite/train/augment.hpp"
#include "physiolite/train/model_input.hpp"

namespace physiolite::train {

struct Batch {
  torch::Tensor inputs;   // [B, C, T] float
  torch::Tensor targets;  // [B] int64, [B, K] float multi-hot, or undefined (no labels)
  torch::Tensor teacher;  // [B, K] float, or undefined
};

class BatchProducer {
 public:
  // `set` and `assembler` must outlive the producer. Teacher logits are attached when
  // `with_teacher` and the set has them. With active `augment`, the signal channels of the window
  // at position p of `order` are augmented with draws of (`stream`, p).
  BatchProducer(const data::WindowSet& set, const InputAssembler& assembler,
                std::vector<int64_t> order, int64_t batch_size, bool with_teacher,
                AugmentOptions augment = {}, AugmentStream stream = {});
  ~BatchProducer();
  BatchProducer(const BatchProducer&) = delete;
  BatchProducer& operator=(const BatchProducer&) = delete;

  int64_t num_batches() const;
  // The next batch in order; nullopt after the last. Rethrows an error of the producer thread.
  std::optional<Batch> next();

 private:
  Batch make_batch(int64_t first) const;
  void run();

  static constexpr size_t kQueueDepth = 2;
  const data::WindowSet& set_;
  const InputAssembler& assembler_;
  std::vector<int64_t> order_;
  int64_t batch_size_;
  bool with_teacher_;
  AugmentOptions augment_;
  AugmentStream stream_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;
  bool done_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace physiolite::train
