#include "physiolite/model/bank_init.hpp"

#include <cmath>

#include "physiolite/arch/wavelet_filters.hpp"

namespace physiolite::model {

void init_wavelet_filters(torch::nn::Conv1d& conv) {
  torch::NoGradGuard no_grad;
  torch::Tensor w = conv->weight;  // [out, in, k]
  const int64_t out = w.size(0), in = w.size(1), k = w.size(2);
  const auto prototypes = arch::branch_filter_prototypes(static_cast<int>(k));
  torch::Tensor mix = torch::randn({out, in});
  mix /= mix.norm(2, {1}, true);
  const double gain = 1.0 / std::sqrt(3.0);
  for (int64_t o = 0; o < out; ++o) {
    const auto& h = prototypes[o % prototypes.size()];
    const torch::Tensor taps =
        torch::tensor(std::vector<double>(h.begin(), h.end()), torch::kFloat64).to(w.dtype());
    w[o].copy_(gain * torch::outer(mix[o], taps));
  }
}

void init_smoothing_filters(torch::nn::Conv1d& conv) {
  torch::NoGradGuard no_grad;
  torch::Tensor w = conv->weight;  // [out, in, 3]
  w.zero_();
  const torch::Tensor smoother = torch::tensor({0.25f, 0.5f, 0.25f}).to(w.dtype());
  for (int64_t o = 0; o < std::min(w.size(0), w.size(1)); ++o) w[o][o].copy_(smoother);
}

}  // namespace physiolite::model
