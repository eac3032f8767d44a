#include "physiolite/train/batch_producer.hpp"

#include <algorithm>
#include <cstring>

namespace physiolite::train {

BatchProducer::BatchProducer(const data::WindowSet& set, const InputAssembler& assembler,
                             std::vector<int64_t> order, int64_t batch_size, bool with_teacher,
                             AugmentOptions augment, AugmentStream stream)
    : set_(set),
      assembler_(assembler),
      order_(std::move(order)),
      batch_size_(batch_size),
      with_teacher_(with_teacher && set.teacher_logits_dim > 0),
      augment_(augment),
      stream_(stream),
      thread_([this] { run(); }) {}

BatchProducer::~BatchProducer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

int64_t BatchProducer::num_batches() const {
  return (static_cast<int64_t>(order_.size()) + batch_size_ - 1) / batch_size_;
}

Batch BatchProducer::make_batch(int64_t first) const {
  const int64_t count = std::min<int64_t>(batch_size_, static_cast<int64_t>(order_.size()) - first);
  const std::span<const int64_t> idx(order_.data() + first, static_cast<size_t>(count));
  Batch b;
  b.inputs = torch::empty({count, assembler_.channels(), assembler_.length()}, torch::kFloat32);
  assembler_.assemble(set_, idx, b.inputs.data_ptr<float>());
  if (augment_.active()) {
    const int64_t per_window = assembler_.channels() * assembler_.length();
    for (int64_t i = 0; i < count; ++i) {
      augment_window(augment_, stream_, first + i, b.inputs.data_ptr<float>() + i * per_window,
                     assembler_.signal_channels(), assembler_.length());
    }
  }
  if (set_.labels.empty()) {
    // Unlabelled windows (prediction): no targets.
  } else if (set_.multi_label()) {
    const int64_t k = set_.num_label_columns;
    b.targets = torch::empty({count, k}, torch::kFloat32);
    float* t = b.targets.data_ptr<float>();
    for (int64_t i : idx) {
      for (int64_t j = 0; j < k; ++j) *t++ = static_cast<float>(set_.labels[i * k + j]);
    }
  } else {
    b.targets = torch::empty({count}, torch::kInt64);
    int64_t* t = b.targets.data_ptr<int64_t>();
    for (int64_t i : idx) *t++ = set_.labels[static_cast<size_t>(i)];
  }
  if (with_teacher_) {
    const int64_t k = set_.teacher_logits_dim;
    b.teacher = torch::empty({count, k}, torch::kFloat32);
    float* t = b.teacher.data_ptr<float>();
    for (int64_t i : idx) {
      std::memcpy(t, set_.teacher_logits.data() + i * k, static_cast<size_t>(k) * sizeof(float));
      t += k;
    }
  }
  return b;
}

void BatchProducer::run() {
  try {
    for (int64_t first = 0; first < static_cast<int64_t>(order_.size()); first += batch_size_) {
      Batch b = make_batch(first);
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stop_ || queue_.size() < kQueueDepth; });
      if (stop_) return;
      queue_.push_back(std::move(b));
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
  }
  std::lock_guard lock(mutex_);
  done_ = true;
  changed_.notify_all();
}

std::optional<Batch> BatchProducer::next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !queue_.empty() || done_; });
  if (!queue_.empty()) {
    Batch b = std::move(queue_.front());
    queue_.pop_front();
    changed_.notify_all();
    return b;
  }
  if (error_) std::rethrow_exception(error_);
  return std::nullopt;
}

}  // namespace physiolite::train
