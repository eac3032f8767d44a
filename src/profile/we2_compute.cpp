// The Ethos-U55-64's compute time for one 1-D operator (H = 1, W = length, C = channels, as the
// TFLite writer lays them out), from how the NPU works (Arm's Ethos-U55 technical reference manual)
// and how Vela 3.10's estimator models it (its source was read to learn the model, not copied;
// this is written anew for 1-D int8 layers):
//  - it computes the output in blocks (W x C); a block's input rows and its 32-bit accumulators
//    must fit the 16 banks of 1 KiB of shared buffer (2 kept for output, input and accumulators
//    double-buffered), and the compiler picks the block that fetches the fewest input and weight
//    bytes per output element;
//  - its 64 MACs are 8 output channels x 8 input channels of one output sample (the micro-block
//    1 x 1 x 8); a kernel step over a block takes 4 cycles per output sample, at least 32 (the
//    weight broadcast), per 8 output channels, and covers 32 input channels ("depth-first"), or,
//    for narrow inputs, 4 kernel taps x 8 channels ("part-kernel");
//  - the output unit writes one int8 element per cycle (convs and pools; 3 for an int8 add, whose
//    rescaling takes longer), overlapping the MACs of the next block, and each block costs a
//    command overhead (its input and output transfers, spread over 4 pipeline stages).
// Every constant below is one of those hardware figures; none is fitted (docs/profile.md: how
// close this comes to Vela's "NPU" column).
#include <algorithm>
#include <cmath>
#include <limits>

#include "rules.hpp"

namespace physiolite::profile {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

constexpr int kBanks = 16;       // shared buffer banks of the U55-64
constexpr int kOutputBanks = 2;  // reserved for the output unit
constexpr int kBankBytes = 1024;
constexpr int kSubKernel = 8;       // the largest kernel extent one pass handles
constexpr int kMaxBlockWidth = 64;  // largest output block
constexpr int kMaxBlockDepth = 128;
constexpr int kSplitDepth = 16;       // output blocks narrower than C_out step in 16s
constexpr int kMicroDepth = 8;        // output channels per micro-block
constexpr int kWeightBroadcast = 32;  // cycles to broadcast one micro-block's weights
constexpr int kDelay = 2;             // pipeline stall of a one-sample block per kernel step
constexpr double kAddCyclesPerElement = 3.0;
constexpr int kChannelGroup = 16;  // activations are stored in 16-channel bricks (NHCWB16)

struct Block {
  int width = 1, depth = 8;          // output block
  int ifm_width = 1, ifm_depth = 8;  // the input it needs
  bool part_kernel = false;
};

// Depth-first covers 32 input channels per kernel tap; part-kernel 4 taps of 8 channels: the
// compiler takes the one that wastes fewer MACs (always part-kernel for <= 8 channels).
bool part_kernel(const We2Shape& s) {
  if (s.cin <= 8) return true;
  const double depth_use = static_cast<double>(s.cin) / static_cast<double>(round_up(s.cin, 32));
  const double part_use = static_cast<double>(s.cin) * s.kernel /
                          static_cast<double>(round_up(s.cin, 8) * round_up(s.kernel, 4));
  return part_use > depth_use;
}

bool fits(int ifm_bytes, int acc_bytes) {
  const int64_t ifm_banks = round_up(ceil_div(ifm_bytes, kBankBytes) * 2, 2);
  const int64_t acc_banks = round_up(ceil_div(acc_bytes, kBankBytes) * 2, 4);
  return kOutputBanks + ifm_banks <= kBanks - acc_banks;
}

Block choose_block(const We2Shape& s) {
  const bool conv = s.kind == We2Shape::Kind::kConv;
  Block best;
  best.part_kernel = conv && part_kernel(s);
  const int conv_ifm_depth =
      static_cast<int>(round_up(std::min(s.cin, best.part_kernel ? 16 : 32), 8));
  const int max_depth = static_cast<int>(round_up(std::min(s.cout, kMaxBlockDepth), 8));
  const int max_width = std::min(s.lout, kMaxBlockWidth);
  const int repeats = static_cast<int>(ceil_div(s.kernel, kSubKernel));
  double best_cost = std::numeric_limits<double>::infinity();
  double best_coverage = best_cost;
  auto next_depth = [&](int d) {
    return d < s.cout ? static_cast<int>(round_up(d, kSplitDepth)) : d;
  };
  for (int d = next_depth(std::max(8, std::min(max_depth, kSplitDepth))); d <= max_depth;
       d = next_depth(d + kMicroDepth)) {
    for (int w = 1; w <= max_width; ++w) {
      const int iw = (w - 1) * s.stride + std::min(s.kernel, kSubKernel);
      const int id = conv ? conv_ifm_depth : d;
      if (!fits(iw * static_cast<int>(round_up(id, 8)), w * static_cast<int>(round_up(d, 8)) * 4)) {
        continue;
      }
      // Bytes fetched per output element: the input once per block (per output-depth block for a
      // conv), the weights once per output column block.
      const double columns = static_cast<double>(s.lout) / w;
      const double weights =
          conv ? static_cast<double>(s.kernel) * s.cin * s.cout * ceil_div(s.lout, w) : 0.0;
      const double input = static_cast<double>(iw) * s.cin * repeats * columns *
                           static_cast<double>(conv ? ceil_div(s.cout, d) : 1);
      double cost = (weights + input) / (static_cast<double>(s.lout) * s.cout);
      if (static_cast<int64_t>(s.lin) * s.cin < static_cast<int64_t>(iw) * id * 2) cost /= 2;
      if (cost < best_cost) {
        best_coverage = std::numeric_limits<double>::infinity();
      } else if (cost > best_cost || w > 4) {
        continue;
      } else {  // a tie among small blocks: the one covering more of the input
        const double coverage = static_cast<double>(s.lin) / std::min(s.lin, iw);
        if (coverage > best_coverage) continue;
        best_coverage = coverage;
      }
      best_cost = cost;
      best.width = w;
      best.depth = d;
      best.ifm_width = iw;
      best.ifm_depth = id;
    }
  }
  return best;
}

// The cycles of operator `s` run in blocks `b` (chosen for the operator, which may be wider than
// `s` when `s` is one weight slice of it).
We2Compute block_cycles(const We2Shape& s, const Block& b, int weight_latency, int sram_latency) {
  const bool conv = s.kind == We2Shape::Kind::kConv;
  const int w = std::min(b.width, s.lout);
  const int d = std::min(b.depth, s.cout);
  const int64_t micro_depth = ceil_div(d, kMicroDepth);
  const int in_depth = std::min(b.ifm_depth, s.cin);
  // MAC cycles of one block, per kernel part of at most 8 taps.
  double dpu = 0;
  for (int first = 0; first < s.kernel; first += kSubKernel) {
    const int taps = std::min(s.kernel - first, kSubKernel);
    int64_t steps = 0, cycles = 0;
    if (!conv) {
      steps = 1;
      cycles = std::max(4, taps) * w * micro_depth;
    } else if (b.part_kernel) {
      steps = ceil_div(taps, 4);
      cycles = std::max(kWeightBroadcast, 4 * w) * steps * ceil_div(in_depth, 8) * micro_depth;
    } else {
      steps = taps;
      cycles = std::max(kWeightBroadcast, 4 * w) * steps * micro_depth;
    }
    int64_t delay = 0;
    if (w == 1) {
      if (micro_depth == 1) {
        delay = kDelay * steps;
      } else if (steps > 1) {
        delay = kDelay * (steps - 1) * micro_depth;
      }
    }
    if (conv && b.part_kernel) delay *= ceil_div(in_depth, 8);
    dpu += static_cast<double>(cycles + delay);
  }
  if (conv) dpu *= static_cast<double>(ceil_div(s.cin, in_depth));
  const int64_t blocks = ceil_div(s.lout, w) * ceil_div(s.cout, d);
  double output = static_cast<double>(w) * d;
  // Scales and biases: 10 bytes per output channel, fetched with their memory's latency.
  if (conv) output = std::max(output, 10.0 * d * weight_latency / 256.0);
  // Each block's command: its input and output transfers (8 bytes per cycle after the SRAM's
  // latency), spread over the NPU's 4 pipelined stages.
  const double in_bytes =
      static_cast<double>(std::min(b.ifm_width, s.lin)) * std::min(conv ? in_depth : d, s.cin);
  const double command =
      (2.0 * sram_latency + in_bytes / 8.0 + static_cast<double>(w) * d / 8.0 + output + dpu) / 4.0;
  dpu = std::max(dpu, command);
  output = std::max(output, command);
  return {std::max(dpu, output) * static_cast<double>(blocks) + std::min(dpu, output), w, d};
}

}  // namespace

We2Compute we2_compute(const We2Shape& s, int weight_latency, int sram_latency) {
  if (s.kind == We2Shape::Kind::kAdd) {
    return {kAddCyclesPerElement * static_cast<double>(s.lout) *
                static_cast<double>(round_up(s.cout, kChannelGroup)),
            1, kChannelGroup};
  }
  return block_cycles(s, choose_block(s), weight_latency, sram_latency);
}

double we2_slice_cycles(const We2Shape& s, int depth, int weight_latency, int sram_latency) {
  We2Shape slice = s;
  slice.cout = depth;
  return block_cycles(slice, choose_block(s), weight_latency, sram_latency).cycles;
}

}  // namespace physiolite::profile
