// The quantised network as a flat list of integer operators: the in-memory form of the `.plq`
// file (docs/int8_model_format.md), which defines every field and the exact integer semantics.
// Torch-free: the quantiser builds it, plq_file.hpp reads and writes it, the LibTorch integer
// executor (quant/) and the C runtime (runtime/) run it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace physiolite::qgraph {

// Values as stored in the header's `scheme` and every op's `requant` byte.
enum class Scheme : uint8_t { kMax78000 = 1, kTflite = 2 };

std::string_view to_string(Scheme scheme);  // "max78000", "tflite"
// UsageError naming `key` for anything but "max78000" or "tflite".
Scheme parse_scheme(std::string_view text, std::string_view key = "--scheme");

enum class OpType : uint8_t { kConv1d = 1, kAvgPool1d = 2, kAdd = 3, kConcat = 4, kRelu = 5 };

std::string_view to_string(OpType type);  // "CONV1D", ... as the format names them

struct Tensor {
  std::string name;  // for messages only; not stored in the file
  int32_t channels = 0;
  int32_t length = 0;
  float scale = 1.0f;  // real = scale * (q - zero_point)
  int32_t zero_point = 0;
  uint32_t arena_offset = 0;  // set by plan_arena()

  int64_t bytes() const { return static_cast<int64_t>(channels) * length; }
};

struct Op {
  OpType type = OpType::kConv1d;
  std::string name{};  // for messages only
  std::vector<int> inputs{};
  int output = 0;
  int kernel = 1, stride = 1, pad = 0;
  int act_min = -128, act_max = 127;
  bool round_half_up = false;  // POW2 AVGPOOL1D: floor((2s + n) / 2n) instead of floor(s / n)
  bool truncate = false;  // POW2 AVGPOOL1D: s / n truncated toward zero, the MAX78000's 1-D average
  // CONV1D: int8 [C_out][kernel][C_in]; bias int32 [C_out] or empty for none.
  std::vector<int8_t> weights{};
  std::vector<int32_t> bias{};
  // CONV1D: [C_out] each (POW2 uses shift only: r = 7 - output_shift); TFLITE ADD: 3 entries.
  std::vector<int32_t> multiplier{}, shift{};
  std::vector<float> weight_scale{};  // CONV1D [C_out], informative (for exporters)
  int32_t left_shift = 0;             // TFLITE ADD (20)
};

// Per-channel quantisation of the graph input, done on the CPU (see the format's input section).
struct InputChannel {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

struct Graph {
  Scheme scheme = Scheme::kMax78000;
  std::vector<Tensor> tensors;
  std::vector<Op> ops;
  int input = 0;
  int output = 0;
  std::vector<InputChannel> input_channels;  // one per channel of the input tensor
  uint32_t arena_size = 0;                   // set by plan_arena()

  int num_classes() const { return tensors.at(static_cast<size_t>(output)).channels; }
  int64_t weight_bytes() const;  // int8 weights of every conv
  int64_t macs() const;          // conv multiply-accumulates per window
};

// What is wrong with a graph, worded for an InputError: `field` names the op or tensor and its
// field ("op 3 (CONV1D) pad"), `expected` and `found` the rule and the value.
struct Problem {
  std::string field;
  std::string expected;
  std::string found;
};

// Every rule of the format except the arena layout: indices, shapes, scales and zero points
// each operator needs, kernel/stride/pad/clamp/shift ranges, array sizes. nullopt when valid.
std::optional<Problem> find_problem(const Graph& graph);
// The arena layout: every tensor inside [0, arena_size), 4-aligned, an op's output overlapping
// none of its inputs. nullopt when valid.
std::optional<Problem> find_arena_problem(const Graph& graph);

}  // namespace physiolite::qgraph
