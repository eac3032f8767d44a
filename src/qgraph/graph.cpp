#include "physiolite/qgraph/graph.hpp"

#include <fmt/format.h>

#include <cmath>

#include "physiolite/core/error.hpp"

namespace physiolite::qgraph {

std::string_view to_string(Scheme scheme) {
  return scheme == Scheme::kMax78000 ? "max78000" : "tflite";
}

Scheme parse_scheme(std::string_view text, std::string_view key) {
  if (text == "max78000") return Scheme::kMax78000;
  if (text == "tflite") return Scheme::kTflite;
  throw UsageError(fmt::format("{}: expected max78000 or tflite, got '{}'", key, text));
}

std::string_view to_string(OpType type) {
  switch (type) {
    case OpType::kConv1d:
      return "CONV1D";
    case OpType::kAvgPool1d:
      return "AVGPOOL1D";
    case OpType::kAdd:
      return "ADD";
    case OpType::kConcat:
      return "CONCAT";
    case OpType::kRelu:
      return "RELU";
  }
  return "?";
}

int64_t Graph::weight_bytes() const {
  int64_t n = 0;
  for (const Op& op : ops) n += static_cast<int64_t>(op.weights.size());
  return n;
}

int64_t Graph::macs() const {
  int64_t n = 0;
  for (const Op& op : ops) {
    if (op.type == OpType::kConv1d) {
      n += static_cast<int64_t>(op.weights.size()) * tensors[static_cast<size_t>(op.output)].length;
    }
  }
  return n;
}

namespace {

// Collects the first broken rule; each check returns false once a problem is recorded.
class Checker {
 public:
  explicit Checker(const Graph& g) : g_(g) {}

  std::optional<Problem> run() {
    if (check_header() && check_tensors()) {
      for (size_t i = 0; i < g_.ops.size() && check_op(i); ++i) {
      }
    }
    return problem_;
  }

 private:
  bool fail(std::string field, std::string expected, std::string found) {
    if (!problem_) problem_ = Problem{std::move(field), std::move(expected), std::move(found)};
    return false;
  }
  bool require(bool ok, const std::string& field, const std::string& expected,
               const std::string& found) {
    return ok || fail(field, expected, found);
  }

  bool check_header() {
    if (g_.scheme != Scheme::kMax78000 && g_.scheme != Scheme::kTflite) {
      return fail("scheme", "1 (max78000) or 2 (tflite)",
                  std::to_string(static_cast<int>(g_.scheme)));
    }
    const auto n = static_cast<int>(g_.tensors.size());
    return require(n >= 1, "n_tensors", ">= 1", "0") &&
           require(!g_.ops.empty(), "n_ops", ">= 1", "0") &&
           require(g_.input >= 0 && g_.input < n, "input_tensor", fmt::format("< {}", n),
                   std::to_string(g_.input)) &&
           require(g_.output >= 0 && g_.output < n, "output_tensor", fmt::format("< {}", n),
                   std::to_string(g_.output)) &&
           require(g_.tensors[static_cast<size_t>(g_.output)].length == 1, "output_tensor length",
                   "1 (one logit per class)",
                   std::to_string(g_.tensors[static_cast<size_t>(g_.output)].length));
  }

  bool check_tensors() {
    for (size_t i = 0; i < g_.tensors.size(); ++i) {
      const Tensor& t = g_.tensors[i];
      const std::string f = fmt::format("tensor {}", i);
      if (!require(t.channels >= 1 && t.length >= 1, f + " shape", "channels and length >= 1",
                   fmt::format("{} x {}", t.channels, t.length)) ||
          !require(std::isfinite(t.scale) && t.scale > 0, f + " scale", "finite and > 0",
                   fmt::format("{}", t.scale)) ||
          !require(t.zero_point >= -128 && t.zero_point <= 127, f + " zero_point", "in [-128, 127]",
                   std::to_string(t.zero_point)) ||
          !require(g_.scheme == Scheme::kTflite || t.zero_point == 0, f + " zero_point",
                   "0 (max78000)", std::to_string(t.zero_point))) {
        return false;
      }
    }
    const Tensor& in = g_.tensors[static_cast<size_t>(g_.input)];
    if (!require(static_cast<int>(g_.input_channels.size()) == in.channels, "input_params",
                 fmt::format("{} channels (the input tensor's)", in.channels),
                 std::to_string(g_.input_channels.size()))) {
      return false;
    }
    for (size_t c = 0; c < g_.input_channels.size(); ++c) {
      const InputChannel& p = g_.input_channels[c];
      const std::string f = fmt::format("input channel {}", c);
      // One zero point for the whole input: the first conv subtracts the tensor's.
      if (!require(std::isfinite(p.scale) && p.scale > 0, f + " scale", "finite and > 0",
                   fmt::format("{}", p.scale)) ||
          !require(p.zero_point == in.zero_point, f + " zero_point",
                   fmt::format("the input tensor's ({})", in.zero_point),
                   std::to_string(p.zero_point))) {
        return false;
      }
    }
    return true;
  }

  const Tensor& tensor(int index) const { return g_.tensors[static_cast<size_t>(index)]; }

  bool same_params(const std::string& f, const Tensor& a, const Tensor& b) {
    return require(a.scale == b.scale && a.zero_point == b.zero_point, f + " quantisation",
                   fmt::format("the input's scale {} and zero point {}", a.scale, a.zero_point),
                   fmt::format("scale {}, zero point {}", b.scale, b.zero_point));
  }

  bool no_arrays(const std::string& f, const Op& op) {
    return require(op.weights.empty() && op.bias.empty() && op.weight_scale.empty(), f + " weights",
                   "none (not a conv)", "an array") &&
           (op.type == OpType::kAdd || require(op.multiplier.empty() && op.shift.empty(),
                                               f + " multiplier/shift", "none", "an array"));
  }

  bool check_op(size_t index) {
    const Op& op = g_.ops[index];
    const std::string f = fmt::format("op {} ({})", index, to_string(op.type));
    const auto n_tensors = static_cast<int>(g_.tensors.size());
    const auto n_in = static_cast<int>(op.inputs.size());
    const int min_in = op.type == OpType::kAdd || op.type == OpType::kConcat ? 2 : 1;
    const int max_in = op.type == OpType::kConcat ? 4 : op.type == OpType::kAdd ? 2 : 1;
    if (!require(n_in >= min_in && n_in <= max_in, f + " n_inputs",
                 fmt::format("{}..{}", min_in, max_in), std::to_string(n_in)) ||
        !require(op.output >= 0 && op.output < n_tensors, f + " output",
                 fmt::format("< {}", n_tensors), std::to_string(op.output))) {
      return false;
    }
    for (int in : op.inputs) {
      if (!require(in >= 0 && in < n_tensors, f + " inputs", fmt::format("< {}", n_tensors),
                   std::to_string(in)) ||
          !require(in != op.output, f + " output", "a tensor other than its inputs",
                   std::to_string(in))) {
        return false;
      }
    }
    if (!require(op.act_min >= -128 && op.act_min <= op.act_max && op.act_max <= 127,
                 f + " act_min/act_max", "-128 <= act_min <= act_max <= 127",
                 fmt::format("[{}, {}]", op.act_min, op.act_max)) ||
        !require(
            !op.round_half_up || (op.type == OpType::kAvgPool1d && g_.scheme == Scheme::kMax78000),
            f + " flags", "round half up only on a max78000 AVGPOOL1D", "bit 0 set") ||
        !require(!op.truncate || (op.type == OpType::kAvgPool1d && g_.scheme == Scheme::kMax78000 &&
                                  !op.round_half_up),
                 f + " flags", "truncation only on a max78000 AVGPOOL1D that does not round",
                 "bit 1 set") ||
        !require(op.type == OpType::kAdd || op.left_shift == 0, f + " left_shift", "0 (not an ADD)",
                 std::to_string(op.left_shift))) {
      return false;
    }
    const Tensor& x = tensor(op.inputs[0]);
    const Tensor& y = tensor(op.output);
    switch (op.type) {
      case OpType::kConv1d:
        return check_conv(f, op, x, y);
      case OpType::kAvgPool1d:
        return no_arrays(f, op) && check_pool(f, op, x, y);
      case OpType::kAdd:
        return no_arrays(f, op) && check_add(f, op, x, tensor(op.inputs[1]), y);
      case OpType::kConcat:
        return no_arrays(f, op) && check_concat(f, op, y);
      case OpType::kRelu:
        return no_arrays(f, op) && check_plain(f, op) &&
               require(x.channels == y.channels && x.length == y.length, f + " shape",
                       fmt::format("{} x {}", x.channels, x.length),
                       fmt::format("{} x {}", y.channels, y.length)) &&
               same_params(f, x, y);
    }
    return fail(f + " type", "1..5", std::to_string(static_cast<int>(op.type)));
  }

  // ADD, CONCAT, RELU: kernel and stride mean nothing (the format leaves them free), pad is 0.
  bool check_plain(const std::string& f, const Op& op) {
    return require(op.pad == 0, f + " pad", "0", std::to_string(op.pad));
  }

  bool check_conv(const std::string& f, const Op& op, const Tensor& x, const Tensor& y) {
    const int64_t c_out = y.channels;
    if (!require(op.kernel >= 1, f + " kernel", ">= 1", std::to_string(op.kernel)) ||
        !require(op.stride == 1, f + " stride", "1", std::to_string(op.stride)) ||
        !require(op.pad >= 0 && op.pad < op.kernel, f + " pad",
                 fmt::format("0 <= pad < kernel ({})", op.kernel), std::to_string(op.pad)) ||
        !require(
            x.length + 2 * op.pad - op.kernel + 1 == y.length, f + " output length",
            fmt::format("L_in + 2 pad - kernel + 1 = {}", x.length + 2 * op.pad - op.kernel + 1),
            std::to_string(y.length)) ||
        !require(static_cast<int64_t>(op.weights.size()) == c_out * op.kernel * x.channels,
                 f + " weights", fmt::format("{} x {} x {} int8", c_out, op.kernel, x.channels),
                 std::to_string(op.weights.size())) ||
        !require(op.bias.empty() || static_cast<int64_t>(op.bias.size()) == c_out, f + " bias",
                 fmt::format("none or {} int32", c_out), std::to_string(op.bias.size())) ||
        !require(static_cast<int64_t>(op.shift.size()) == c_out, f + " shift",
                 fmt::format("{} int32", c_out), std::to_string(op.shift.size())) ||
        !require(static_cast<int64_t>(op.weight_scale.size()) == c_out, f + " weight_scale",
                 fmt::format("{} float", c_out), std::to_string(op.weight_scale.size()))) {
      return false;
    }
    if (g_.scheme == Scheme::kMax78000) {
      if (!require(op.multiplier.empty(), f + " multiplier", "none (max78000)", "an array")) {
        return false;
      }
      for (int32_t r : op.shift) {
        // r = 7 - output_shift with the chip's output_shift in [-15, 15].
        if (!require(r >= -8 && r <= 22, f + " shift", "in [-8, 22]", std::to_string(r))) {
          return false;
        }
      }
      return true;
    }
    return require(static_cast<int64_t>(op.multiplier.size()) == c_out, f + " multiplier",
                   fmt::format("{} int32", c_out), std::to_string(op.multiplier.size())) &&
           check_multipliers(f, op);
  }

  bool check_multipliers(const std::string& f, const Op& op) {
    for (size_t i = 0; i < op.multiplier.size(); ++i) {
      const int32_t m = op.multiplier[i];
      if (!require(m == 0 || m >= (int32_t{1} << 30), f + " multiplier", "0 or in [2^30, 2^31)",
                   std::to_string(m)) ||
          !require(op.shift[i] >= -31 && op.shift[i] <= 30, f + " shift", "in [-31, 30]",
                   std::to_string(op.shift[i]))) {
        return false;
      }
    }
    return true;
  }

  bool check_pool(const std::string& f, const Op& op, const Tensor& x, const Tensor& y) {
    return require(op.kernel >= 1 && op.kernel <= x.length, f + " kernel",
                   fmt::format("1..{} (the input length)", x.length), std::to_string(op.kernel)) &&
           require(op.stride >= 1, f + " stride", ">= 1", std::to_string(op.stride)) &&
           require(op.pad == 0, f + " pad", "0", std::to_string(op.pad)) &&
           require(x.channels == y.channels && (x.length - op.kernel) / op.stride + 1 == y.length,
                   f + " output shape",
                   fmt::format("{} x {}", x.channels, (x.length - op.kernel) / op.stride + 1),
                   fmt::format("{} x {}", y.channels, y.length)) &&
           same_params(f, x, y);
  }

  bool check_add(const std::string& f, const Op& op, const Tensor& a, const Tensor& b,
                 const Tensor& y) {
    if (!check_plain(f, op)) return false;
    for (const Tensor* t : {&a, &b}) {
      if (!require(t->channels == y.channels && t->length == y.length, f + " shape",
                   fmt::format("{} x {} (the output's)", y.channels, y.length),
                   fmt::format("{} x {}", t->channels, t->length))) {
        return false;
      }
    }
    if (g_.scheme == Scheme::kMax78000) {
      // The chip adds Q7 values: inputs and output share one scale.
      return same_params(f, a, b) && same_params(f, a, y) &&
             require(op.multiplier.empty() && op.shift.empty(), f + " multiplier/shift",
                     "none (max78000)", "an array");
    }
    return require(op.multiplier.size() == 3 && op.shift.size() == 3, f + " multiplier/shift",
                   "3 entries each",
                   fmt::format("{} and {}", op.multiplier.size(), op.shift.size())) &&
           check_multipliers(f, op) &&
           // (x - z) * 2^left_shift must stay an int32 for |x - z| <= 255.
           require(op.left_shift >= 0 && op.left_shift <= 23, f + " left_shift", "in [0, 23]",
                   std::to_string(op.left_shift));
  }

  bool check_concat(const std::string& f, const Op& op, const Tensor& y) {
    if (!check_plain(f, op)) return false;
    int channels = 0;
    for (int in : op.inputs) {
      const Tensor& t = tensor(in);
      if (!require(t.length == y.length, f + " input length",
                   fmt::format("{} (the output's)", y.length), std::to_string(t.length)) ||
          !same_params(f, y, t)) {
        return false;
      }
      channels += t.channels;
    }
    return require(channels == y.channels, f + " channels",
                   fmt::format("the inputs' sum {}", channels), std::to_string(y.channels));
  }

  const Graph& g_;
  std::optional<Problem> problem_;
};

}  // namespace

std::optional<Problem> find_problem(const Graph& graph) { return Checker(graph).run(); }

std::optional<Problem> find_arena_problem(const Graph& g) {
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    if (t.arena_offset % 4 != 0) {
      return Problem{fmt::format("tensor {} arena_offset", i), "a multiple of 4",
                     std::to_string(t.arena_offset)};
    }
    if (static_cast<int64_t>(t.arena_offset) + t.bytes() > g.arena_size) {
      return Problem{fmt::format("tensor {} arena_offset", i),
                     fmt::format("bytes inside the arena of {}", g.arena_size),
                     fmt::format("[{}, {})", t.arena_offset, t.arena_offset + t.bytes())};
    }
  }
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const Tensor& y = g.tensors[static_cast<size_t>(g.ops[i].output)];
    for (int in : g.ops[i].inputs) {
      const Tensor& x = g.tensors[static_cast<size_t>(in)];
      if (x.arena_offset < y.arena_offset + y.bytes() &&
          y.arena_offset < x.arena_offset + x.bytes()) {
        return Problem{fmt::format("op {} ({}) output", i, to_string(g.ops[i].type)),
                       "arena bytes apart from its inputs'", fmt::format("overlaps tensor {}", in)};
      }
    }
  }
  return std::nullopt;
}

}  // namespace physiolite::qgraph
