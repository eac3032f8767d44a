#include "physiolite/dist/gradient_reducer.hpp"

#include <ATen/ATen.h>
#include <torch/autograd.h>
#include <torch/nn/module.h>

#include <chrono>

#include "physiolite/core/error.hpp"

namespace physiolite::dist {

void broadcast_module(ProcessGroup& group, torch::nn::Module& module) {
  const at::NoGradGuard no_grad;
  std::vector<at::Tensor> tensors = module.parameters();
  for (const at::Tensor& b : module.buffers()) tensors.push_back(b);
  std::vector<at::Tensor> flat_parts;
  for (const at::Tensor& t : tensors) flat_parts.push_back(t.to(at::kFloat).reshape({-1}));
  std::vector<at::Tensor> flat{at::cat(flat_parts)};
  group.broadcast(flat);
  int64_t at = 0;
  for (at::Tensor& t : tensors) {
    t.copy_(flat[0].narrow(0, at, t.numel()).view(t.sizes()));
    at += t.numel();
  }
}

bool broadcast_flag(ProcessGroup& group, bool value) {
  std::vector<at::Tensor> flag{at::full({1}, value ? 1.0f : 0.0f)};
  group.broadcast(flag);
  return flag[0].item<float>() != 0.0f;
}

GradientReducer::GradientReducer(ProcessGroup& group, std::vector<at::Tensor> parameters,
                                 int64_t bucket_bytes)
    : group_(group), parameters_(std::move(parameters)) {
  bucket_of_.resize(parameters_.size());
  offset_of_.resize(parameters_.size());
  // Reverse order: backward produces the last layer's gradients first.
  std::vector<std::vector<size_t>> members(1);
  int64_t bytes = 0;
  for (size_t k = parameters_.size(); k-- > 0;) {
    const at::Tensor& p = parameters_[k];
    PL_CHECK(p.scalar_type() == at::kFloat && p.device().is_cpu(),
             "gradient reducer: float CPU parameters only");
    const int64_t size = p.numel() * static_cast<int64_t>(sizeof(float));
    if (bytes > 0 && bytes + size > bucket_bytes) {
      members.emplace_back();
      bytes = 0;
    }
    members.back().push_back(k);
    bytes += size;
  }
  for (auto& list : members) {
    Bucket b;
    int64_t n = buckets_.empty() ? 2 : 0;  // bucket 0 starts with [rows * loss, rows]
    for (size_t k : list) {
      bucket_of_[k] = buckets_.size();
      offset_of_[k] = n;
      b.offsets.push_back(n);
      n += parameters_[k].numel();
    }
    b.parameters = std::move(list);
    b.flat = at::zeros({n}, at::kFloat);
    buckets_.push_back(std::move(b));
  }
  for (size_t k = 0; k < parameters_.size(); ++k) {
    if (!parameters_[k].requires_grad()) continue;
    parameters_[k].register_hook([this, k](const at::Tensor& g) { on_gradient(k, g); });
  }
}

GradientReducer::~GradientReducer() = default;

int64_t GradientReducer::num_bytes() const {
  int64_t n = 0;
  for (const Bucket& b : buckets_) n += b.flat.numel() * static_cast<int64_t>(sizeof(float));
  return n;
}

void GradientReducer::begin(int64_t rows, double loss) {
  PL_CHECK(!armed_, "gradient reducer: begin() twice without finish()");
  weight_ = static_cast<double>(rows);
  for (Bucket& b : buckets_) {
    b.pending = static_cast<int64_t>(b.parameters.size());
    b.wait = nullptr;
  }
  // A gradient that never arrives (a parameter outside this step's graph) counts as zero.
  for (Bucket& b : buckets_) b.flat.zero_();
  buckets_[0].flat[0] = static_cast<float>(weight_ * (rows > 0 ? loss : 0.0));
  buckets_[0].flat[1] = static_cast<float>(weight_);
  armed_ = true;
}

void GradientReducer::on_gradient(size_t k, const at::Tensor& gradient) {
  if (!armed_) return;
  Bucket& b = buckets_[bucket_of_[k]];
  const int64_t n = parameters_[k].numel();
  b.flat.narrow(0, offset_of_[k], n).copy_(gradient.reshape({n})).mul_(weight_);
  if (--b.pending == 0) launch(b);
}

void GradientReducer::launch(Bucket& bucket) {
  bucket.wait = group_.all_reduce_sum_async(bucket.flat);
}

GradientReducer::Reduced GradientReducer::finish() {
  PL_CHECK(armed_, "gradient reducer: finish() without begin()");
  armed_ = false;
  const auto start = std::chrono::steady_clock::now();
  // Buckets that backward did not complete go in index order, the same on every rank.
  for (Bucket& b : buckets_) {
    if (!b.wait) launch(b);
  }
  for (Bucket& b : buckets_) b.wait();
  Reduced r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  waited_ += r.seconds;
  const double total = buckets_[0].flat[1].item<double>();
  r.rows = static_cast<int64_t>(std::llround(total));
  r.loss = total > 0 ? buckets_[0].flat[0].item<double>() / total : 0.0;
  const at::NoGradGuard no_grad;
  for (size_t k = 0; k < parameters_.size(); ++k) {
    at::Tensor& p = parameters_[k];
    if (!p.requires_grad()) continue;
    const at::Tensor mean =
        buckets_[bucket_of_[k]].flat.narrow(0, offset_of_[k], p.numel()).div(total).view(p.sizes());
    if (p.grad().defined()) {
      p.mutable_grad().copy_(mean);
    } else {
      p.mutable_grad() = mean.clone();
    }
  }
  return r;
}

}  // namespace physiolite::dist
