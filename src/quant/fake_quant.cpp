#include "physiolite/quant/fake_quant.hpp"

namespace physiolite::quant {

namespace {

// Rounds codes: floor(u + 0.5) (conv requantisation, both schemes to within TFLite's ties).
torch::Tensor round_half_up(const torch::Tensor& u) { return torch::floor(u + 0.5); }

// Codes u = y / s + z rounded by `round`, clamped to [lo, hi], back to real values; the value
// passes its gradient through where it was not clamped.
template <typename Round>
torch::Tensor fake_quantize(const torch::Tensor& y, double scale, int zero, int lo, int hi,
                            Round round) {
  const torch::Tensor clipped = y.clamp(scale * (lo - zero), scale * (hi - zero));
  const torch::Tensor codes = round(clipped.detach() / scale + zero).clamp(lo, hi);
  const torch::Tensor snapped = (codes - zero) * scale;
  return clipped + (snapped - clipped.detach());
}

// A pool's codes are means of integers: tiny float errors must not cross an integer or a .5
// (means of k <= 16 codes are multiples of 1/16 at worst).
constexpr double kMeanSlack = 1e-3;

}  // namespace

FakeQuantObserver::FakeQuantObserver(const std::vector<Node>& plan, Calibration calibration,
                                     const BuildOptions& options, double momentum)
    : plan_(plan),
      ranges_(std::move(calibration)),
      options_(options),
      momentum_(momentum),
      params_(choose_params(plan_, ranges_, options.scheme)),
      input_scale_(torch::tensor(params_.input_scale, torch::kFloat32).view({1, -1, 1})) {}

torch::Tensor FakeQuantObserver::input(const torch::Tensor& x) {
  if (tracking_) params_ = choose_params(plan_, ranges_, options_.scheme);
  const torch::Tensor s = input_scale_.to(x.device());
  const torch::Tensor codes = torch::floor(x / s + 0.5).clamp(-128, 127);
  return codes * s;  // the data has no gradient
}

torch::Tensor FakeQuantObserver::weight(int node, const torch::Tensor& w) {
  const Node& n = plan_[static_cast<size_t>(node)];
  const int in = n.inputs[0];
  const double s_in = in == kGraphInput ? 1.0 : params_.node[static_cast<size_t>(in)].scale;
  const QuantizedConv q =
      quantize_conv(w, conv_fold(plan_, params_, node), s_in,
                    params_.node[static_cast<size_t>(node)].scale, params_.scheme);
  return w + (q.dequantized.to(w.device()) - w).detach();
}

torch::Tensor FakeQuantObserver::output(int node, const torch::Tensor& y) {
  const Node& n = plan_[static_cast<size_t>(node)];
  if (tracking_) {
    Range& r = ranges_.nodes[static_cast<size_t>(node)];
    r.min += momentum_ * (y.min().item<double>() - r.min);
    r.max += momentum_ * (y.max().item<double>() - r.max);
  }
  if (params_.holds_input[static_cast<size_t>(node)]) {
    // The front pool of per-channel codes: round each channel's mean on its own grid.
    const torch::Tensor s = input_scale_.to(y.device());
    const torch::Tensor u = y.detach() / s;
    const torch::Tensor codes = options_.scheme == qgraph::Scheme::kTflite
                                    ? torch::sign(u) * torch::floor(u.abs() + 0.5 + kMeanSlack)
                                    : torch::floor(u + kMeanSlack);
    return y + (codes * s - y).detach();
  }
  const double s = params_.node[static_cast<size_t>(node)].scale;
  const int z = params_.node[static_cast<size_t>(node)].zero_point;
  switch (n.kind) {
    case NodeKind::kConv:
      return fake_quantize(y, s, z, n.relu ? std::max(-128, z) : -128, 127, round_half_up);
    case NodeKind::kAvgPool:
      if (options_.scheme == qgraph::Scheme::kTflite) {  // ties away from zero, on raw codes
        return fake_quantize(y, s, z, -128, 127, [&](const torch::Tensor& u) {
          return torch::sign(u) * torch::floor(u.abs() + 0.5 + kMeanSlack);
        });
      }
      return fake_quantize(y, s, z, -128, 127, [&](const torch::Tensor& u) {
        if (options_.pool_truncate) return torch::sign(u) * torch::floor(u.abs() + kMeanSlack);
        return options_.pool_round_half_up ? torch::floor(u + 0.5 + kMeanSlack)
                                           : torch::floor(u + kMeanSlack);
      });
    case NodeKind::kAdd:
      return fake_quantize(y, s, z, -128, 127, round_half_up);
    case NodeKind::kConcat:
      return y;  // the parts are on the output's grid already
  }
  return y;
}

}  // namespace physiolite::quant
