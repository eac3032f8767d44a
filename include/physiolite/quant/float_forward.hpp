// The float network run node by node along the plan (net_plan.hpp), with an observer that sees
// (and may replace) the input, every conv weight and every node's output. With the default
// observer it computes PhysioLiteNet::forward; calibration records ranges through it and QAT
// fake-quantises through it.
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "physiolite/model/physiolite_net.hpp"
#include "physiolite/quant/net_plan.hpp"

namespace physiolite::quant {

// Conv weights by parameter name as [C_out, C_in, k]: views of the model's parameters (the 2-D
// 1x1 weights flattened), so gradients reach the model.
using ConvWeights = std::map<std::string, torch::Tensor>;
ConvWeights conv_weights(model::PhysioLiteNet& net, const std::vector<Node>& plan);

class Observer {
 public:
  virtual ~Observer() = default;
  virtual torch::Tensor input(const torch::Tensor& x) { return x; }
  virtual torch::Tensor weight(int /*node*/, const torch::Tensor& w) { return w; }
  virtual torch::Tensor output(int /*node*/, const torch::Tensor& y) { return y; }
};

// x: [B, C, T] (signal, side and positional channels); returns the logits [B, K].
torch::Tensor forward_float(const std::vector<Node>& plan, const ConvWeights& weights,
                            const torch::Tensor& x, Observer& observer);

}  // namespace physiolite::quant
