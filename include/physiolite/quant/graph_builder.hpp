// From float weights and calibrated ranges to the integer graph, for both schemes
// (docs/quantization.md):
//   MAX78000 (POW2)  activations scale 2^e / 128 with 2^e the group's max |x| rounded up, zero
//                    point 0; weights w' = w s_in / s_out per layer, ai8x's output_shift from
//                    max |w'|, int8 weights floor(w' 2^-shift 128 + 0.5); file shift 7 - shift.
//   TFLite           activations asymmetric int8 from the group's [min, max]; weights symmetric
//                    per output channel (max |w| / 127); requantisation by QuantizeMultiplier of
//                    s_in s_w / s_out; ADD as TFLite (left shift 20, twice the larger input scale).
// The graph input is quantised per channel on the CPU (symmetric; POW2: powers of two) and its
// scales are folded into the stem's weights, so the input tensor and the front pool carry scale 1.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "physiolite/qgraph/graph.hpp"
#include "physiolite/qgraph/quant_math.hpp"
#include "physiolite/quant/calibration.hpp"
#include "physiolite/quant/net_plan.hpp"

namespace physiolite::quant {

struct QuantParams {
  qgraph::Scheme scheme = qgraph::Scheme::kMax78000;
  std::vector<qgraph::AffineParams> node;  // per plan node
  std::vector<bool> holds_input;           // node keeps the input's per-channel codes (scale 1)
  std::vector<float> input_scale;          // per input channel (zero point 0)
};

// Unites the ranges of each tensor group (net_plan.hpp) and picks every tensor's parameters.
QuantParams choose_params(const std::vector<Node>& plan, const Calibration& calibration,
                          qgraph::Scheme scheme);

struct QuantizedConv {
  std::vector<int8_t> weights;  // [C_out][k][C_in], the file's layout
  std::vector<int32_t> multiplier, shift;
  std::vector<float> weight_scale;  // per output channel, of the folded weights
  torch::Tensor dequantized;        // [C_out, C_in, k] float32: the real weights the codes mean
};

// `w` [C_out, C_in, k]; `fold` [C_in] multiplies the weights before quantisation (the stem's
// per-channel input scales; 1 elsewhere) and divides `dequantized` again.
QuantizedConv quantize_conv(const torch::Tensor& w, const std::vector<double>& fold, double s_in,
                            double s_out, qgraph::Scheme scheme);

struct BuildOptions {
  qgraph::Scheme scheme = qgraph::Scheme::kMax78000;
  bool pool_round_half_up = false;  // POW2 only: the chip's --avg-pool-rounding
  bool pool_truncate = false;       // POW2 only: toward zero, the MAX78000's 1-D average pool
};

// The per-channel fold of node `node`'s weights: the input scales when it reads the input's
// codes, else ones.
std::vector<double> conv_fold(const std::vector<Node>& plan, const QuantParams& params, int node);

// A valid graph with its arena planned.
qgraph::Graph build_graph(const std::vector<Node>& plan, const ConvWeights& weights,
                          const QuantParams& params, const BuildOptions& options);

}  // namespace physiolite::quant
