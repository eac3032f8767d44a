#include "physiolite/quant/int_executor.hpp"

#include "physiolite/core/error.hpp"

namespace physiolite::quant {

namespace {

using qgraph::OpType;
using qgraph::Scheme;

const auto kLong = torch::kInt64;

torch::Tensor floor_div(const torch::Tensor& a, const torch::Tensor& b) {
  return torch::div(a, b, "floor");
}

torch::Tensor pow2(const torch::Tensor& e) {
  return torch::bitwise_left_shift(torch::ones_like(e), e);
}

// [n] int32 array -> [1, n, 1] int64, broadcasting over batch and length.
torch::Tensor per_channel(const std::vector<int32_t>& v) {
  return torch::tensor(std::vector<int64_t>(v.begin(), v.end()), kLong).view({1, -1, 1});
}

torch::Tensor scalar(int64_t v) { return torch::tensor(v, kLong); }

// gemmlowp's RoundingDivideByPOT: x / 2^e rounded to nearest, ties away from zero.
torch::Tensor rounding_divide_by_pot(const torch::Tensor& x, const torch::Tensor& e) {
  const torch::Tensor p = pow2(e);
  const torch::Tensor q = floor_div(x, p);    // x >> e
  const torch::Tensor remainder = x - q * p;  // x & (2^e - 1)
  const torch::Tensor threshold = floor_div(p - 1, scalar(2)) + (x < 0).to(kLong);
  return q + (remainder > threshold).to(kLong);
}

// TFLite's MultiplyByQuantizedMultiplier; x * 2^left saturates to int32 as the runtime's helper
// (plrt_fixed_point.h) defines the case TFLite leaves to int32 overflow.
torch::Tensor multiply_by_quantized_multiplier(const torch::Tensor& x, const torch::Tensor& m,
                                               const torch::Tensor& shift) {
  const torch::Tensor left = shift.clamp_min(0), right = (-shift).clamp_min(0);
  const torch::Tensor scaled = (x * pow2(left)).clamp(INT32_MIN, INT32_MAX);
  const torch::Tensor ab = scaled * m;  // |ab| < 2^62
  const torch::Tensor nudge =
      torch::where(ab >= 0, scalar(int64_t{1} << 30), scalar(1 - (int64_t{1} << 30)));
  // SaturatingRoundingDoublingHighMul: (ab + nudge) / 2^31 truncated; m >= 0 never saturates.
  const torch::Tensor high = torch::div(ab + nudge, scalar(int64_t{1} << 31), "trunc");
  return rounding_divide_by_pot(high, right);
}

torch::Tensor clamp(const torch::Tensor& v, const qgraph::Op& op) {
  return v.clamp(op.act_min, op.act_max);
}

torch::Tensor conv(const qgraph::Graph& g, const qgraph::Op& op, const torch::Tensor& x) {
  const qgraph::Tensor& in = g.tensors[static_cast<size_t>(op.inputs[0])];
  const qgraph::Tensor& out = g.tensors[static_cast<size_t>(op.output)];
  // File layout [C_out][k][C_in] -> torch's [C_out, C_in, k].
  const torch::Tensor w = torch::from_blob(const_cast<int8_t*>(op.weights.data()),
                                           {out.channels, op.kernel, in.channels}, torch::kInt8)
                              .permute({0, 2, 1})
                              .to(torch::kFloat64);
  const torch::Tensor xd = (x - in.zero_point).to(torch::kFloat64);  // padding contributes 0
  torch::Tensor acc = torch::conv1d(xd, w, {}, 1, op.pad).round().to(kLong);
  if (!op.bias.empty()) acc = acc + per_channel(op.bias);
  const torch::Tensor shift = per_channel(op.shift);
  torch::Tensor v;
  if (g.scheme == Scheme::kMax78000) {
    // floor(acc * 2^-r + 0.5): (acc + 2^(r-1)) >> r for r > 0, acc * 2^-r otherwise.
    const torch::Tensor r = shift.clamp_min(1);
    const torch::Tensor down = floor_div(acc + pow2(r - 1), pow2(r));
    v = torch::where(shift > 0, down, acc * pow2((-shift).clamp_min(0)));
  } else {
    v = multiply_by_quantized_multiplier(acc, per_channel(op.multiplier), shift);
  }
  return clamp(v + out.zero_point, op);
}

torch::Tensor avgpool(const qgraph::Graph& g, const qgraph::Op& op, const torch::Tensor& x) {
  const torch::Tensor s = x.unfold(2, op.kernel, op.stride).sum(-1);  // raw codes
  const torch::Tensor n = scalar(op.kernel);
  torch::Tensor v;
  if (g.scheme == Scheme::kTflite) {  // ties away from zero, as TFLite's reference kernel
    const int64_t half = op.kernel / 2;
    v = torch::where(s > 0, torch::div(s + half, n, "trunc"), torch::div(s - half, n, "trunc"));
  } else if (op.round_half_up) {
    v = floor_div(2 * s + n, 2 * n);
  } else if (op.truncate) {  // toward zero, the MAX78000's 1-D average
    v = torch::div(s, n, "trunc");
  } else {
    v = floor_div(s, n);
  }
  return clamp(v, op);
}

torch::Tensor add(const qgraph::Graph& g, const qgraph::Op& op, const torch::Tensor& a,
                  const torch::Tensor& b) {
  if (g.scheme == Scheme::kMax78000) return clamp(a + b, op);
  const auto& ta = g.tensors[static_cast<size_t>(op.inputs[0])];
  const auto& tb = g.tensors[static_cast<size_t>(op.inputs[1])];
  const auto& ty = g.tensors[static_cast<size_t>(op.output)];
  auto mbqm = [&](const torch::Tensor& v, size_t i) {
    return multiply_by_quantized_multiplier(v, scalar(op.multiplier[i]), scalar(op.shift[i]));
  };
  const int64_t lift = int64_t{1} << op.left_shift;
  const torch::Tensor sum =
      (mbqm((a - ta.zero_point) * lift, 0) + mbqm((b - tb.zero_point) * lift, 1))
          .clamp(INT32_MIN, INT32_MAX);
  return clamp(mbqm(sum, 2) + ty.zero_point, op);
}

}  // namespace

torch::Tensor quantize_input(const qgraph::Graph& g, const torch::Tensor& x) {
  const auto& in = g.tensors[static_cast<size_t>(g.input)];
  PL_CHECK(x.dim() == 3 && x.size(1) == in.channels && x.size(2) == in.length,
           "quantize_input: input of another shape");
  std::vector<float> scale;
  std::vector<int64_t> zero;
  for (const auto& c : g.input_channels) {
    scale.push_back(c.scale);
    zero.push_back(c.zero_point);
  }
  const torch::Tensor s = torch::tensor(scale, torch::kFloat32).view({1, -1, 1});
  const torch::Tensor z = torch::tensor(zero, kLong).view({1, -1, 1});
  // Separate float32 kernels: no fused multiply-add, as the runtime's plrt_quantize_input. A NaN
  // sample is the zero point (real 0).
  const torch::Tensor xf = x.to(torch::kFloat32);
  // Clamped before the integer cast, which is undefined for huge values (the final clamp to the
  // int8 range gives the same result).
  const torch::Tensor q = torch::floor(torch::nan_to_num(xf, 0.0) / s + 0.5f).clamp(-1024, 1024);
  return torch::where(torch::isnan(xf), z, q.to(kLong) + z).clamp(-128, 127);
}

std::vector<torch::Tensor> run_integer_all(const qgraph::Graph& g, const torch::Tensor& codes) {
  std::vector<torch::Tensor> t(g.tensors.size());
  t[static_cast<size_t>(g.input)] = codes.to(kLong);
  for (const qgraph::Op& op : g.ops) {
    auto in = [&](size_t i) -> const torch::Tensor& {
      return t[static_cast<size_t>(op.inputs[i])];
    };
    torch::Tensor y;
    switch (op.type) {
      case OpType::kConv1d:
        y = conv(g, op, in(0));
        break;
      case OpType::kAvgPool1d:
        y = avgpool(g, op, in(0));
        break;
      case OpType::kAdd:
        y = add(g, op, in(0), in(1));
        break;
      case OpType::kConcat: {
        std::vector<torch::Tensor> parts;
        for (size_t i = 0; i < op.inputs.size(); ++i) parts.push_back(in(i));
        y = torch::cat(parts, 1);  // a copy: the parts share the output's parameters
        break;
      }
      case OpType::kRelu:
        y = clamp(
            torch::max(in(0), scalar(g.tensors[static_cast<size_t>(op.inputs[0])].zero_point)), op);
        break;
    }
    t[static_cast<size_t>(op.output)] = y;
  }
  return t;
}

torch::Tensor run_integer(const qgraph::Graph& g, const torch::Tensor& codes) {
  return run_integer_all(g, codes)[static_cast<size_t>(g.output)].flatten(1);
}

torch::Tensor dequantize_output(const qgraph::Graph& g, const torch::Tensor& codes) {
  const auto& out = g.tensors[static_cast<size_t>(g.output)];
  return (codes.to(torch::kFloat32) - static_cast<float>(out.zero_point)) * out.scale;
}

}  // namespace physiolite::quant
