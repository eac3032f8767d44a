// The WE2's Ethos-U55-64 per operator, as Vela 3.10 estimates it (--verbose-performance): the
// NPU's compute cycles, the cycles to read the weights from their memory and the activations'
// SRAM traffic, which overlap, so an operator takes the slowest of the three ("Op Cycles").
//
// Compute: the U55-64 works on blocks of 8 output by 8 input channels; a 1-D conv of output length
// L, kernel k, C_in -> C_out takes about L * k * ceil(C_in/8) * ceil(C_out/8) block-cycles plus a
// per-output-element cost; pools and adds are linear in their elements per 8-channel group. The
// coefficients of these features were fitted by least squares on Vela's per-layer figures for
// generated networks (scripts/profile_fit.py fit; docs/profile.md: data and residuals).
//
// Weights: Vela streams the (compressed) weights plus 10 bytes of bias and scale per output
// channel over the AXI port of their memory, 8 bytes per memory clock; the memory's clock is
// core_clock * <memory>_clock_scale (the published WE2 config: off-chip flash at 0.015625 * 400 MHz
// * 8 B = 50 MB/s, the "0.05 GB/s" Vela prints).
#include <algorithm>
#include <array>
#include <cmath>

#include "rules.hpp"

namespace physiolite::profile {

namespace {

// Fitted (least squares on relative error) on the 10 generated networks whose Vela runs had
// finished when the fit was made: 73 convs, 8 adds, 44 pools, reproduced by
//   scripts/profile_fit.py fit runs/profile/fit/net{1,2,4,5,6,10,11,13,14,15}
// (bench_profile_netgen runs/profile/fit 1 14; Vela 3.10.0). Compute, from Vela's "Op Cycles"
// with the weights in SRAM (where they never limit): median residual 12 % (convs), 7 % (adds),
// 22 % (pools) — Vela's block-size search, which this linear rule does not model, makes the rest.
// conv: L*k*ceil(Ci/8)*ceil(Co/8), L*ceil(Co/8), k*ceil(Ci/8)*ceil(Co/8), 1
constexpr std::array<double, 4> kConvNpu = {0.9089, 4.3197, 6.5688, 30.928};
// pool: L*k*ceil(C/8), L*ceil(C/8), 1
constexpr std::array<double, 3> kPoolNpu = {1.2117, 6.6123, 8.395};
// add (and a concatenation's copies): L*ceil(C/8), 1
constexpr std::array<double, 2> kAddNpu = {24.3745, 1117.0327};
// Weight stream, from "Op Cycles" with the weights in off-chip flash: encoded bytes per weight
// (random int8 weights barely compress), bytes per output channel (bias and scale) and a fixed
// cost per op, in bytes of the memory's 8-byte-per-clock stream.
constexpr double kWeightCompression = 0.96908;
constexpr double kBiasBytesPerChannel = 15.5466;
constexpr double kStreamFixedBytes = 313.34 / 8.0;
constexpr double kSramBytesPerCycle = 8.0;

int64_t groups(int channels, int size) { return (channels + size - 1) / size; }

template <size_t N>
double dot(const std::array<double, N>& c, const std::array<double, N>& x) {
  double s = 0;
  for (size_t i = 0; i < N; ++i) s += c[i] * x[i];
  return s;
}

}  // namespace

int64_t We2OpCycles::total() const { return std::max({npu, weight, sram}); }

We2OpCycles we2_op_cycles(const qgraph::Graph& g, const qgraph::Op& op, const We2Memory& mem) {
  const qgraph::Tensor& in = g.tensors.at(static_cast<size_t>(op.inputs.at(0)));
  const qgraph::Tensor& out = g.tensors.at(static_cast<size_t>(op.output));
  We2OpCycles c;
  double npu = 0;
  const double lout = out.length;
  switch (op.type) {
    case qgraph::OpType::kConv1d: {
      const double blocks = static_cast<double>(groups(in.channels, 8) * groups(out.channels, 8));
      npu = dot(kConvNpu,
                {lout * op.kernel * blocks, lout * static_cast<double>(groups(out.channels, 8)),
                 op.kernel * blocks, 1.0});
      c.weight_bytes = static_cast<int64_t>(op.weights.size());
      const double stream = kWeightCompression * static_cast<double>(c.weight_bytes) +
                            kBiasBytesPerChannel * out.channels + kStreamFixedBytes;
      const double scale = mem.weights_in_flash ? mem.flash_clock_scale : mem.sram_clock_scale;
      c.weight = std::llround(stream / (8.0 * scale));
      break;
    }
    case qgraph::OpType::kAvgPool1d:
      npu = dot(kPoolNpu, {lout * op.kernel * static_cast<double>(groups(in.channels, 8)),
                           lout * static_cast<double>(groups(in.channels, 8)), 1.0});
      break;
    case qgraph::OpType::kAdd:
      npu = dot(kAddNpu, {lout * static_cast<double>(groups(out.channels, 8)), 1.0});
      break;
    case qgraph::OpType::kConcat:
      npu = dot(kAddNpu, {lout * static_cast<double>(groups(out.channels, 8)), 1.0});
      break;
    case qgraph::OpType::kRelu:
      break;  // fused into the producing op's clamp by the TFLite writer
  }
  c.npu = std::llround(npu);
  int64_t activations = out.bytes();
  for (int t : op.inputs) activations += g.tensors.at(static_cast<size_t>(t)).bytes();
  c.sram =
      std::llround(static_cast<double>(activations) / (kSramBytesPerCycle * mem.sram_clock_scale));
  return c;
}

}  // namespace physiolite::profile
