// The float forward that mirrors the integer graph, for quantisation-aware training: every
// tensor rounded and clamped to its int8 grid, every conv's weights replaced by what their int8
// codes stand for (quantize_conv, the builder's own rule), average pools rounded as the scheme's
// kernel rounds. Gradients pass straight through the rounding and stop where a value was clamped
// (the clipped straight-through estimator).
//
// The grids start from calibration. While tracking (training batches), every tensor's range
// follows an exponential moving average of the batch's minimum and maximum, as PyTorch's
// moving-average observers, and the parameters are re-derived from the ranges (choose_params)
// before each forward; so ranges follow weights that grow or shrink. The input channels' ranges
// are the data's and stay.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "physiolite/quant/float_forward.hpp"
#include "physiolite/quant/graph_builder.hpp"

namespace physiolite::quant {

class FakeQuantObserver : public Observer {
 public:
  FakeQuantObserver(const std::vector<Node>& plan, Calibration calibration,
                    const BuildOptions& options, double momentum = 0.01);

  void set_tracking(bool on) { tracking_ = on; }
  const Calibration& ranges() const { return ranges_; }
  const QuantParams& params() const { return params_; }

  torch::Tensor input(const torch::Tensor& x) override;
  torch::Tensor weight(int node, const torch::Tensor& w) override;
  torch::Tensor output(int node, const torch::Tensor& y) override;

 private:
  const std::vector<Node>& plan_;
  Calibration ranges_;
  BuildOptions options_;
  double momentum_;
  bool tracking_ = false;
  QuantParams params_;
  torch::Tensor input_scale_;  // [1, C, 1]
};

}  // namespace physiolite::quant
