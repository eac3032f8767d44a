// The WE2's Ethos-U55-64 per operator, as Vela 3.10 estimates it (--verbose-performance "Op
// Cycles"): the compute (we2_compute.cpp, from the NPU's block structure) and, when the weights
// live in a slower memory than the activations, the time the NPU waits for them.
//
// Weights in off-chip flash are copied to an SRAM buffer by the NPU's DMA while the previous
// operator computes (its compute time is this operator's "slack"; previous in the order Vela runs
// them, we2_order.cpp, which for parallel branches is not the file's). When they do not arrive
// within the slack, the copy is split by output channels into slices (the first as large as the
// slack allows, in 16-channel steps; then double-buffered slices as deep as what one slice's
// compute hides); the operator then takes the longer of (the whole transfer minus the slack, plus
// the last slice's compute) and (its compute plus the first slice's transfer minus the slack), and
// its last slice's compute is the next operator's slack. A classifier (1 x 1 output) reads its
// weights in place, at the memory's speed. The bytes moved are the weights as the NPU's encoder
// stores them: int8 weights barely compress, but channel and kernel padding and per-channel scales
// add bytes (kEncoded below, fitted on Vela's --verbose-weights sizes of generated networks).
#include <algorithm>
#include <cmath>

#include "rules.hpp"

namespace physiolite::profile {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }
int64_t round_down(int64_t a, int64_t b) { return a / b * b; }

constexpr int kStride = 3;      // the NPU's largest stride; wider pools become 1 x 1 convs
constexpr int kSliceStep = 16;  // weight slices are whole 16-channel groups
constexpr double kSramBytesPerCycle = 8.0;  // one 64-bit AXI beat per memory clock
constexpr int kBrick = 16;                  // activations are stored 16 channels deep

// Encoded weight bytes per output channel: a * real weights + z * zero padding (depth-first
// kernels pad C_in to 32, part-kernel ones C_in to 8 and the kernel to 4 taps; padding codes as
// short zero runs) + scale and bias, plus a per-op header and the padding of C_out to 8. Fitted by
// least squares (relative error) on 104 convolutions of 14 generated networks:
//   scripts/profile_fit.py encoded runs/profile/fit/net*
// (Vela 3.10 --verbose-weights "Encoded Weights" with the weights in SRAM, i.e. encoded for the
// whole depth, which is what Vela's transfer time counts even for weights it streams in depth
// slices); median residual 3 %, largest 22 % (tiny ops).
struct Encoded {
  double per_weight = 1.021;
  double per_depth_pad = 0.1783;
  double per_part_pad = 0.0558;
  double per_channel = 10.5241;  // 10 B of scale and bias + the stream's own bits
  double per_op = 28.63;
  double per_channel_pad = 0.2009;  // per weight of each channel padding C_out to 8
};
constexpr Encoded kEncoded{};

bool part_kernel(int cin, int kernel) {
  if (cin <= 8) return true;
  const double depth_use = static_cast<double>(cin) / static_cast<double>(round_up(cin, 32));
  const double part_use = static_cast<double>(cin) * kernel /
                          static_cast<double>(round_up(cin, 8) * round_up(kernel, 4));
  return part_use > depth_use;
}

// The encoded bytes of output channels [0, depth) of the op (all of them by default): a weight
// slice is encoded as a stream of its own.
int64_t encoded_bytes(const We2Shape& s, bool generated, int depth = 0) {
  const double w = static_cast<double>(s.cin) * s.kernel;
  if (generated) {  // a pool's own weights, one tap per channel in long zero runs: about a byte
    // per tap beside the 10 B of scale and bias (Vela: 112 B for 8 channels of a 4-tap pool)
    return static_cast<int64_t>(depth > 0 ? depth : s.cout) * (10 + s.cin / s.cout);
  }
  const int cout = depth > 0 ? depth : s.cout;
  const bool part = part_kernel(s.cin, s.kernel);
  const double padded = part ? static_cast<double>(round_up(s.cin, 8) * round_up(s.kernel, 4))
                             : static_cast<double>(round_up(s.cin, 32) * s.kernel);
  const double per_channel =
      kEncoded.per_weight * w +
      (part ? kEncoded.per_part_pad : kEncoded.per_depth_pad) * (padded - w) + kEncoded.per_channel;
  return std::llround(cout * per_channel + kEncoded.per_op +
                      kEncoded.per_channel_pad * static_cast<double>(round_up(cout, 8) - cout) * w);
}

// The NPU's view of one graph op; `generated` marks a wide pool turned into a 1 x 1 convolution
// with weights of the compiler's own.
We2Shape shape_of(const qgraph::Graph& g, const qgraph::Op& op, bool& generated) {
  const qgraph::Tensor& in = g.tensors.at(static_cast<size_t>(op.inputs.at(0)));
  const qgraph::Tensor& out = g.tensors.at(static_cast<size_t>(op.output));
  We2Shape s{.kind = We2Shape::Kind::kConv,
             .cin = in.channels,
             .cout = out.channels,
             .lin = in.length,
             .lout = out.length,
             .kernel = op.kernel,
             .stride = op.stride};
  generated = false;
  if (op.type == qgraph::OpType::kAvgPool1d) {
    if (op.stride > kStride && op.stride == op.kernel) {
      generated = true;
      s = {.kind = We2Shape::Kind::kConv,
           .cin = in.channels * op.kernel,
           .cout = out.channels,
           .lin = out.length,
           .lout = out.length,
           .kernel = 1,
           .stride = 1};
    } else {
      s.kind = We2Shape::Kind::kPool;
    }
  } else if (op.type == qgraph::OpType::kAdd) {
    s.kind = We2Shape::Kind::kAdd;
  }
  return s;
}

// Activation bytes an op moves to and from the SRAM, counted in the SRAM's 32-byte bursts: tensors
// are stored in bricks of 16 channels, each output-depth block of a conv reads its input again, and
// neighbouring column blocks overlap by the taps the kernel reaches past its stride. The network's
// input is stored channel-interleaved (C bytes per sample, not a brick): a block reads it in pieces
// as deep as the block, each costing a whole burst.
double activation_bytes(const We2Shape& s, const We2Compute& w, bool reads_network_input) {
  constexpr double kBurst = 32;
  const double out = static_cast<double>(s.lout) * static_cast<double>(round_up(s.cout, kBrick));
  if (s.kind == We2Shape::Kind::kAdd) return 2.0 * out + out;
  const double in_channels =
      reads_network_input
          ? s.cin * kBurst / std::clamp(static_cast<double>(w.block_depth), 8.0, kBurst)
          : static_cast<double>(round_up(s.cin, kBrick));
  const double columns = static_cast<double>(ceil_div(s.lout, w.block_width));
  const double depth_blocks =
      s.kind == We2Shape::Kind::kConv ? static_cast<double>(ceil_div(s.cout, w.block_depth)) : 1.0;
  const double span =
      static_cast<double>(s.lout) * s.stride + std::max(0, s.kernel - s.stride) * columns;
  return span * in_channels * depth_blocks + out;
}

// A command of a concatenation: the copy (a 1-tap pool) of input `t` into its channels of the
// output, or the element-wise pass over the whole output `t`; `channels` is the depth costed.
double concat_pass(const qgraph::Tensor& t, int channels, We2Shape::Kind kind,
                   const We2Memory& mem) {
  const We2Shape s{
      .kind = kind, .cin = t.channels, .cout = channels, .lin = t.length, .lout = t.length};
  return we2_compute(s, 0, mem.sram_read_latency).cycles;
}

}  // namespace

int64_t We2OpCycles::total() const { return std::max({npu, sram, direct_read ? weight : 0}); }

std::vector<We2OpCycles> we2_network_cycles(const qgraph::Graph& g, const We2Memory& mem) {
  const double bytes_per_cycle =
      kSramBytesPerCycle * (mem.weights_in_flash ? mem.flash_clock_scale : mem.sram_clock_scale);
  const int weight_latency = mem.weights_in_flash ? mem.flash_read_latency : mem.sram_read_latency;
  std::vector<We2OpCycles> result(g.ops.size());
  std::vector<double> concat_compute(g.ops.size(), 0.0);
  double slack = 0;  // compute of the previous command (or its last slice) that hides a transfer
  for (const We2Step& step : we2_op_order(g)) {
    const qgraph::Op& op = g.ops.at(static_cast<size_t>(step.op));
    We2OpCycles& c = result[static_cast<size_t>(step.op)];
    if (op.type == qgraph::OpType::kRelu)
      continue;  // fused into the producer's clamp by the writer
    if (op.type == qgraph::OpType::kConcat) {
      const qgraph::Tensor& out = g.tensors.at(static_cast<size_t>(op.output));
      double& sum = concat_compute[static_cast<size_t>(step.op)];
      if (step.part < 0) {
        slack = concat_pass(out, out.channels, We2Shape::Kind::kAdd, mem);
        sum += slack;
      } else {
        const qgraph::Tensor& in = g.tensors.at(static_cast<size_t>(op.inputs.at(step.part)));
        sum += concat_pass(in, in.channels, We2Shape::Kind::kPool, mem);
        // Vela's slack after a copy is the copy costed at the whole output's depth (its reference
        // estimate takes the output tensor's channels, not the slice the copy writes).
        slack = concat_pass(in, out.channels, We2Shape::Kind::kPool, mem);
      }
      c.compute = c.npu = std::llround(sum);
      continue;
    }
    bool generated = false;
    const We2Shape s = shape_of(g, op, generated);
    // Scales and biases come from the weights' memory only when read in place; otherwise from
    // the SRAM buffer the weights were copied to (and Vela's slicing estimates assume the SRAM).
    c.direct_read = s.kind == We2Shape::Kind::kConv && s.lout == 1 && s.kernel == 1;
    const int scale_latency = c.direct_read ? weight_latency : mem.sram_read_latency;
    const We2Compute w = we2_compute(s, scale_latency, mem.sram_read_latency);
    const double compute = w.cycles;
    c.compute = std::llround(compute);
    c.sram = std::llround(activation_bytes(s, w, op.inputs.at(0) == g.input) /
                          (kSramBytesPerCycle * mem.sram_clock_scale));
    double npu = compute;
    if (s.kind == We2Shape::Kind::kConv) {
      c.weight_bytes = static_cast<int64_t>(op.weights.size());
      c.encoded_bytes = encoded_bytes(s, generated);
      const double stream = static_cast<double>(c.encoded_bytes) / bytes_per_cycle;
      c.weight = std::llround(stream);
      const double transfer = stream + weight_latency;
      if (!mem.weights_in_flash || c.direct_read) {
        slack = compute;  // read where they are: no copy to wait for
      } else if (transfer <= slack || s.cout <= kSliceStep) {
        npu = compute + std::max(0.0, transfer - slack);
        slack = compute;
      } else {
        const int64_t first = std::clamp<int64_t>(
            round_down(static_cast<int64_t>(s.cout * slack / transfer), kSliceStep), kSliceStep,
            s.cout);
        if (first >= s.cout) {
          npu = compute + std::max(0.0, transfer - slack);
          slack = compute;
        } else {
          // Each slice is costed alone, in the whole op's blocks (we2_slice_cycles). Later
          // slices: as deep as the channels whose transfer the first slice's compute hides,
          // rounded to a multiple of the block depth (up when at least one channel past it, as
          // Vela's rounding of a fractional depth does); one block or less is cut to 16s.
          const double first_compute =
              we2_slice_cycles(s, static_cast<int>(first), scale_latency, mem.sram_read_latency);
          const double hidden = static_cast<double>(s.cout) * first_compute / transfer;
          int64_t depth =
              static_cast<int64_t>(std::floor((hidden + w.block_depth - 1) / w.block_depth)) *
              w.block_depth;
          if (depth <= w.block_depth)
            depth = std::max<int64_t>(kSliceStep, round_down(depth, kSliceStep));
          const int64_t rest = s.cout - first;
          const int64_t last = rest % depth == 0 ? depth : rest % depth;
          const double last_compute =
              we2_slice_cycles(s, static_cast<int>(last), scale_latency, mem.sram_read_latency);
          // The first slice's own stream (encoded apart, in 16-byte units) and its read latency.
          const double first_transfer =
              static_cast<double>(
                  round_up(encoded_bytes(s, generated, static_cast<int>(first)), 16)) /
                  bytes_per_cycle +
              weight_latency;
          npu = std::max(transfer - slack + last_compute,
                         compute + std::max(0.0, first_transfer - slack));
          slack = last_compute;
        }
      }
    } else {
      slack = compute;
    }
    c.npu = std::llround(npu);
  }
  return result;
}

}  // namespace physiolite::profile
