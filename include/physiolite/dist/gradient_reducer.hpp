// Averages gradients over the ranks in buckets, overlapping the backward pass: a hook on every
// parameter copies its gradient into a bucket (parameters in reverse order, the order backward
// produces them), and a bucket's all-reduce starts as soon as its last gradient arrived, while
// backward goes on with the layers before it.
//
// Each rank weighs its gradient by its rows (the loss is a mean over the rank's batch), so the
// result is the gradient of the mean loss over every row of every rank: the single-process
// gradient of the whole batch, whatever the split, up to the order of the float sums.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "physiolite/dist/process_group.hpp"

namespace torch::nn {
class Module;
}

namespace physiolite::dist {

// Rank 0's parameters and buffers copied into every rank's `module` (one flat broadcast).
void broadcast_module(ProcessGroup& group, torch::nn::Module& module);
// Rank 0's `value` on every rank.
bool broadcast_flag(ProcessGroup& group, bool value);

class GradientReducer {
 public:
  // Default bucket: 1 MiB of float gradients (the student's 0.1-0.3 M parameters fit in one or
  // two; a bigger model gets several all-reduces in flight during backward).
  static constexpr int64_t kDefaultBucketBytes = 1 << 20;

  GradientReducer(ProcessGroup& group, std::vector<at::Tensor> parameters,
                  int64_t bucket_bytes = kDefaultBucketBytes);
  ~GradientReducer();
  GradientReducer(const GradientReducer&) = delete;
  GradientReducer& operator=(const GradientReducer&) = delete;

  // Before backward: this rank's batch has `rows` rows (0: it only takes part) and mean loss
  // `loss`.
  void begin(int64_t rows, double loss);
  struct Reduced {
    int64_t rows = 0;    // over all ranks
    double loss = 0;     // mean over all rows
    double seconds = 0;  // spent waiting for the all-reduces after backward
  };
  // After backward: waits for every bucket and sets each parameter's gradient to the row-weighted
  // mean over the ranks.
  Reduced finish();

  int64_t num_buckets() const { return static_cast<int64_t>(buckets_.size()); }
  int64_t num_bytes() const;
  // Total time finish() waited for all-reduces (what backward did not hide).
  double seconds_waited() const { return waited_; }

 private:
  struct Bucket {
    at::Tensor flat;                 // gradients, then (bucket 0 only) [rows * loss, rows]
    std::vector<size_t> parameters;  // indices into parameters_
    std::vector<int64_t> offsets;    // of each parameter in flat
    int64_t pending = 0;             // gradients still to arrive in this step
    std::function<void()> wait;      // set once launched
  };
  void on_gradient(size_t parameter, const at::Tensor& gradient);
  void launch(Bucket& bucket);

  ProcessGroup& group_;
  std::vector<at::Tensor> parameters_;
  std::vector<Bucket> buckets_;
  std::vector<size_t> bucket_of_;   // per parameter
  std::vector<int64_t> offset_of_;  // per parameter
  double weight_ = 0;
  double waited_ = 0;
  bool armed_ = false;
};

}  // namespace physiolite::dist
