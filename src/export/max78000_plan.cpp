// A POW2 graph as MAX78000 hardware layers (izer's model of them). The constructs are the ones
// izer accepts for PhysioLite's topology without an error or a memory-layout warning:
// - every AVGPOOL1D runs in-flight in the conv that reads it (`avg_pool`/`pool_stride`): a
//   pooling-only layer over more than 64 channels would need more than one pass, which the chip
//   cannot pool;
// - a CONCAT costs no layer: its parts write to adjacent processors at one offset and the reader
//   takes them as one input (`in_sequences` lists the parts, in order);
// - izer cannot fuse an element-wise op into a Conv1d, so an ADD is its own `op: add` layer whose
//   two operands must be interleaved word by word in memory: the conv operand writes with
//   `write_gap: 1`, a passthrough layer copies the skip operand next to it (offset + 4, also
//   `write_gap: 1`). izer's simulator ignores memory layout, so a wrong layout would pass the bit
//   check and fail on the chip: the layout here is what makes its layout warnings disappear;
// - more than 64 channels run on all 64 processors in passes of 64;
// - the last conv writes the 32-bit accumulator (`output_width: 32`, no activation).
// Data memory: every tensor gets its own region (bump allocation per 32 KiB instance); the
// networks are small enough, and nothing can be overwritten while still needed.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "physiolite/core/error.hpp"
#include "physiolite/export/max78000.hpp"

namespace physiolite::exporter {

namespace {

using qgraph::Graph;
using qgraph::Op;
using qgraph::OpType;

constexpr int kProcessors = 64;
constexpr int kMaxDim = 1024;                // izer: error when a dimension exceeds 1024
constexpr uint32_t kInstanceBytes = 0x8000;  // one 32 KiB data memory instance
constexpr int kMaxPool = 16;
constexpr int kMaxKernel = 9;
constexpr int kMaxPad = 2;

[[noreturn]] void rule(const Graph& g, int op, const std::string& text) {
  const Op& o = g.ops[static_cast<size_t>(op)];
  throw UsageError(fmt::format("MAX78000 export: op {} ({}{}): {}", op, qgraph::to_string(o.type),
                               o.name.empty() ? "" : " " + o.name, text));
}

uint64_t processor_mask(int first, int count) {
  if (count >= kProcessors) return ~uint64_t{0};
  return ((uint64_t{1} << count) - 1) << first;
}

int passes(int channels) { return (channels + kProcessors - 1) / kProcessors; }

// Where a tensor lives in data memory.
struct Placement {
  int layer = -1;          // izer layer that wrote it (-1: the network input)
  std::vector<int> parts;  // a concatenation: the layers of its parts, in order
  uint64_t processors = 0;
  uint32_t offset = 0;
};

class Planner {
 public:
  Planner(const Graph& g, std::string arch) : g_(g) { plan_.arch = std::move(arch); }

  Max78000Plan run() {
    index_consumers();
    const qgraph::Tensor& in = tensor(g_.input);
    plan_.input_channels = in.channels;
    plan_.input_length = in.length;
    if (in.channels > kProcessors || in.length > kMaxDim) {
      throw UsageError(fmt::format(
          "MAX78000 export: input {} x {}: the first layer reads at most {} channels (one per "
          "processor) of at most {} samples",
          in.channels, in.length, kProcessors, kMaxDim));
    }
    placement_[g_.input] = Placement{-1, {}, processor_mask(0, in.channels), 0};
    next_offset_ = align(static_cast<uint32_t>(4 * in.length));
    for (int i = 0; i < static_cast<int>(g_.ops.size()); ++i) {
      const Op& op = g_.ops[static_cast<size_t>(i)];
      switch (op.type) {
        case OpType::kAvgPool1d:
          check_pool(i);
          break;
        case OpType::kConcat:
          place_concat(i);
          break;
        case OpType::kConv1d:
          add_conv(i);
          break;
        case OpType::kAdd:
          add_add(i);
          break;
        case OpType::kRelu:
          rule(g_, i, "a ReLU of its own has no MAX78000 layer (the chip applies it in a conv)");
      }
    }
    if (plan_.layers.empty() || plan_.layers.back().kind != Max78000Layer::Kind::kConv1d ||
        plan_.layers.back().graph_op < 0 ||
        g_.ops[static_cast<size_t>(plan_.layers.back().graph_op)].output != g_.output) {
      throw UsageError(
          "MAX78000 export: the graph output must be written by its last conv (izer's wide "
          "output)");
    }
    if (plan_.layers.size() > 32) {
      throw UsageError(
          fmt::format("MAX78000 export: {} hardware layers; the MAX78000 runs at most 32",
                      plan_.layers.size()));
    }
    return std::move(plan_);
  }

 private:
  const qgraph::Tensor& tensor(int t) const { return g_.tensors.at(static_cast<size_t>(t)); }

  void index_consumers() {
    for (int i = 0; i < static_cast<int>(g_.ops.size()); ++i) {
      for (int t : g_.ops[static_cast<size_t>(i)].inputs) consumers_[t].push_back(i);
    }
  }

  const std::vector<int>& consumers(int t) {
    static const std::vector<int> kNone;
    auto it = consumers_.find(t);
    return it == consumers_.end() ? kNone : it->second;
  }

  static uint32_t align(uint32_t bytes) { return (bytes + 15u) & ~15u; }

  uint32_t allocate(int op, uint32_t bytes) {
    const uint32_t at = next_offset_;
    next_offset_ = align(next_offset_ + bytes);
    if (next_offset_ > kInstanceBytes) {
      rule(g_, op,
           fmt::format("data memory: the tensors need more than the {} bytes of one data memory "
                       "instance",
                       kInstanceBytes));
    }
    return at;
  }

  void check_pool(int i) {
    const Op& op = g_.ops[static_cast<size_t>(i)];
    const auto& readers = consumers(op.output);
    if (readers.size() != 1 || g_.ops[static_cast<size_t>(readers[0])].type != OpType::kConv1d) {
      rule(g_, i,
           "an average pool must be read by exactly one conv, into which it is fused (a pooling "
           "layer of its own over more than 64 channels needs more than one pass)");
    }
    if (op.round_half_up || !op.truncate) {
      rule(g_, i,
           "the MAX78000 truncates 1-D average pools toward zero; the model's pools round "
           "otherwise (requantise it with this version)");
    }
    if (op.kernel > kMaxPool || op.stride > kMaxPool) {
      rule(g_, i,
           fmt::format("pool kernel {} stride {}: at most {}", op.kernel, op.stride, kMaxPool));
    }
    pools_[op.output] = i;
  }

  void place_concat(int i) {
    const Op& op = g_.ops[static_cast<size_t>(i)];
    const int total = tensor(op.output).channels;
    if (total > kProcessors) {
      rule(
          g_, i,
          fmt::format("a concatenation of {} channels: at most {} (one pass)", total, kProcessors));
    }
    // The parts were placed when their convs were planned (see out_place()).
    Placement p;
    p.offset = concat_offset_.at(op.output);
    for (int t : op.inputs) {
      const Placement& part = placement_.at(t);
      p.parts.push_back(part.layer);
      p.processors |= part.processors;
    }
    placement_[op.output] = p;
  }

  // Where a conv writes its output, decided by who reads it.
  void out_place(int i, Max78000Layer& l, uint32_t words) {
    const Op& op = g_.ops[static_cast<size_t>(i)];
    const auto& readers = consumers(op.output);
    const int channels = tensor(op.output).channels;
    int first = 0;
    if (readers.size() == 1 && g_.ops[static_cast<size_t>(readers[0])].type == OpType::kConcat) {
      const Op& cat = g_.ops[static_cast<size_t>(readers[0])];
      for (size_t k = 0; k < cat.inputs.size() && cat.inputs[k] != op.output; ++k) {
        const int c = tensor(cat.inputs[k]).channels;
        if (c % 4 != 0) {
          rule(g_, readers[0],
               fmt::format("part {} has {} channels: every part but the last needs a multiple "
                           "of 4 (processors share memory in groups of 4)",
                           k, c));
        }
        first += c;
      }
      if (!concat_offset_.contains(cat.output)) {
        concat_offset_[cat.output] = allocate(i, words * 4);
      }
      l.out_offset = concat_offset_[cat.output];
    } else if (readers.size() == 1 &&
               g_.ops[static_cast<size_t>(readers[0])].type == OpType::kAdd) {
      l.write_gap = 1;  // interleaved with the passthrough copy of the skip operand
      l.out_offset = allocate(i, words * 8);
    } else {
      l.out_offset = allocate(i, words * 4);
    }
    l.output_processors = processor_mask(first, channels);
  }

  // The izer layer(s) and processors of a conv's input, through a fused pool.
  void in_place(Max78000Layer& l, int t) {
    const Placement& p = placement_.at(t);
    l.processors = p.processors;
    l.in_offset = p.offset;
    const int prev = static_cast<int>(plan_.layers.size()) - 1;
    if (!p.parts.empty()) {
      l.in_sequences = p.parts;
    } else if (p.layer != prev) {
      l.in_sequences = {p.layer};
    }
  }

  void add_conv(int i) {
    const Op& op = g_.ops[static_cast<size_t>(i)];
    Max78000Layer l;
    l.kind = Max78000Layer::Kind::kConv1d;
    l.graph_op = i;
    l.name = fmt::format("l{}", plan_.layers.size());
    int source = op.inputs.at(0);
    if (auto it = pools_.find(source); it != pools_.end()) {
      const Op& pool = g_.ops[static_cast<size_t>(it->second)];
      l.pool = pool.kernel;
      l.pool_stride = pool.stride;
      source = pool.inputs.at(0);
    }
    const qgraph::Tensor& in = tensor(source);
    const qgraph::Tensor& out = tensor(op.output);
    l.in_channels = in.channels;
    l.in_length = in.length;
    l.out_channels = out.channels;
    l.out_length = out.length;
    l.kernel = op.kernel;
    l.pad = op.pad;
    if (op.kernel < 1 || op.kernel > kMaxKernel) {
      rule(g_, i, fmt::format("kernel {}: a Conv1d kernel is 1 to {}", op.kernel, kMaxKernel));
    }
    if (op.pad > kMaxPad || (op.pad > 0 && op.pad >= op.kernel)) {
      rule(g_, i,
           fmt::format("pad {}: a Conv1d pads 0 to {}, less than the kernel", op.pad, kMaxPad));
    }
    if (op.stride != 1) rule(g_, i, "a Conv1d strides 1 (pool instead)");
    if (in.length > kMaxDim || out.length > kMaxDim) {
      rule(g_, i, fmt::format("length {}: at most {}", std::max(in.length, out.length), kMaxDim));
    }
    if (in.channels > 1024 || out.channels > 1024) rule(g_, i, "at most 1024 channels");
    if (in.channels > kProcessors && in.channels % kProcessors != 0) {
      rule(g_, i,
           fmt::format("{} input channels: above 64 the chip runs passes of 64, so a "
                       "multiple of 64 is needed",
                       in.channels));
    }
    if (out.channels > kProcessors && out.channels % kProcessors != 0) {
      rule(g_, i, fmt::format("{} output channels: above 64, a multiple of 64", out.channels));
    }
    // Output clamp: the chip saturates to 8 bit and applies ReLU or nothing.
    const bool last = op.output == g_.output;
    if (op.act_min == 0 && op.act_max == 127) {
      l.relu = true;
    } else if (op.act_min != -128 || op.act_max != 127) {
      rule(g_, i,
           fmt::format("output clamp [{}, {}]: the chip clamps to [-128, 127] or, with "
                       "ReLU, [0, 127]",
                       op.act_min, op.act_max));
    }
    if (last && l.relu) rule(g_, i, "the last conv's 32-bit wide output cannot have a ReLU");
    l.wide_output = last;
    // One shift per layer: the file's r = 7 - output_shift for every output channel.
    const int r = op.shift.at(0);
    for (int s : op.shift) {
      if (s != r) rule(g_, i, "the shift differs between output channels; the chip has one");
    }
    l.output_shift = 7 - r;
    if (l.output_shift < -15 || l.output_shift > 15) {
      rule(g_, i, fmt::format("output_shift {}: the chip's range is [-15, 15]", l.output_shift));
    }
    if (tensor(source).zero_point != 0 || out.zero_point != 0) {
      rule(g_, i, "a zero point other than 0: the chip's data are Q7 values");
    }
    const int ci = in.channels, co = out.channels, k = op.kernel;
    l.weights.resize(op.weights.size());
    for (int o = 0; o < co; ++o) {  // [o][k][c] -> [o][c][k]
      for (int kk = 0; kk < k; ++kk) {
        for (int c = 0; c < ci; ++c) {
          l.weights[static_cast<size_t>((o * ci + c) * k + kk)] =
              op.weights[static_cast<size_t>((o * k + kk) * ci + c)];
        }
      }
    }
    if (!op.bias.empty()) {
      if (co > 512) rule(g_, i, "a bias on more than 512 output channels");
      for (int32_t b : op.bias) {
        // izer adds bias * 128 to the accumulator: our bias must be such a multiple.
        if (b % 128 != 0 || b / 128 < -128 || b / 128 > 127) {
          rule(g_, i, fmt::format("bias {}: the chip's bias is an int8 code times 128", b));
        }
        l.bias.push_back(static_cast<int8_t>(b / 128));
      }
    }
    in_place(l, source);
    const uint32_t words = static_cast<uint32_t>(out.length * passes(co));
    out_place(i, l, words);
    const int layer = static_cast<int>(plan_.layers.size());
    placement_[op.output] = Placement{layer, {}, l.output_processors, l.out_offset};
    plan_.layers.push_back(std::move(l));
  }

  // A passthrough or add layer for graph op `op`: output shape = input shape = `t`'s.
  Max78000Layer same_shape_layer(Max78000Layer::Kind kind, int op, const qgraph::Tensor& t) const {
    Max78000Layer l;
    l.kind = kind;
    l.graph_op = op;
    l.name = fmt::format("l{}", plan_.layers.size());
    l.in_channels = l.out_channels = t.channels;
    l.in_length = l.out_length = t.length;
    return l;
  }

  void add_add(int i) {
    const Op& op = g_.ops[static_cast<size_t>(i)];
    if (op.act_min != -128 || op.act_max != 127) {
      rule(g_, i, "the chip's add saturates to [-128, 127] with no activation");
    }
    // The conv operand was written with write_gap 1 (out_place); the other one is copied next to
    // it by a passthrough layer.
    int conv_operand = -1;
    for (int k = 0; k < 2; ++k) {
      const int t = op.inputs.at(static_cast<size_t>(k));
      const Placement& p = placement_.at(t);
      if (p.layer >= 0 && p.parts.empty() &&
          plan_.layers[static_cast<size_t>(p.layer)].write_gap == 1 &&
          plan_.layers[static_cast<size_t>(p.layer)].kind == Max78000Layer::Kind::kConv1d) {
        conv_operand = k;
        break;
      }
    }
    if (conv_operand < 0) {
      rule(g_, i,
           "one operand must be a conv read only by this add (the chip interleaves the "
           "two operands in memory)");
    }
    const int conv_t = op.inputs[static_cast<size_t>(conv_operand)];
    const int skip_t = op.inputs[static_cast<size_t>(1 - conv_operand)];
    const Placement conv_p = placement_.at(conv_t);
    const Placement skip_p = placement_.at(skip_t);
    if (!skip_p.parts.empty()) rule(g_, i, "the skip operand cannot be a concatenation");
    const qgraph::Tensor& t = tensor(op.output);
    if (t.channels > kProcessors && t.channels % kProcessors != 0) {
      rule(g_, i, "above 64 channels, a multiple of 64");
    }

    Max78000Layer copy = same_shape_layer(Max78000Layer::Kind::kPassthrough, i, t);
    copy.processors = skip_p.processors;
    copy.in_offset = skip_p.offset;
    copy.in_sequences = {skip_p.layer};
    copy.output_processors = conv_p.processors;
    copy.out_offset = conv_p.offset + 4;
    copy.write_gap = 1;
    const int copy_layer = static_cast<int>(plan_.layers.size());
    plan_.layers.push_back(copy);

    Max78000Layer add = same_shape_layer(Max78000Layer::Kind::kAdd, i, t);
    add.processors = conv_p.processors;
    add.in_offset = conv_p.offset;
    add.in_sequences = {conv_p.layer, copy_layer};
    add.output_processors = processor_mask(0, t.channels);
    add.out_offset = allocate(i, static_cast<uint32_t>(4 * t.length * passes(t.channels)));
    placement_[op.output] =
        Placement{static_cast<int>(plan_.layers.size()), {}, add.output_processors, add.out_offset};
    plan_.layers.push_back(std::move(add));
  }

  const Graph& g_;
  Max78000Plan plan_;
  std::map<int, std::vector<int>> consumers_;
  std::map<int, Placement> placement_;  // tensor -> where it lives
  std::map<int, int> pools_;            // pool output tensor -> pool op
  std::map<int, uint32_t> concat_offset_;
  uint32_t next_offset_ = 0;
};

// izer takes the network name as a Python identifier (its `arch`).
bool is_arch_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

int64_t Max78000Plan::weight_bytes() const {
  int64_t n = 0;
  for (const auto& l : layers) n += static_cast<int64_t>(l.weights.size() + l.bias.size());
  return n;
}

std::string max78000_arch_name(std::string stem) {
  for (char& c : stem) {
    if (!is_arch_char(c)) c = '_';
  }
  return stem;
}

Max78000Plan plan_max78000(const qgraph::Graph& graph, const std::string& arch) {
  if (arch.empty() || !std::all_of(arch.begin(), arch.end(), is_arch_char)) {
    throw UsageError(fmt::format(
        "MAX78000 export: name '{}': expected letters, digits and '_' (izer's arch)", arch));
  }
  if (graph.scheme != qgraph::Scheme::kMax78000) {
    throw UsageError(
        fmt::format("MAX78000 export: the model uses the {} scheme; the MAX78000 runs only a model "
                    "quantised with --scheme max78000 (power-of-two shifts)",
                    qgraph::to_string(graph.scheme)));
  }
  if (auto problem = qgraph::find_problem(graph)) {
    throw UsageError(fmt::format("MAX78000 export: the graph is invalid: {}: expected {}, got {}",
                                 problem->field, problem->expected, problem->found));
  }
  return Planner(graph, arch).run();
}

}  // namespace physiolite::exporter
