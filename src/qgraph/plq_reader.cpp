#include <fmt/format.h>

#include <cstring>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "plrt_model.h"

namespace physiolite::qgraph {

namespace {

constexpr uint32_t kNone = 0xFFFFFFFFu;

// Little-endian reads of a file the runtime's verifier accepted: every offset, count and array
// was checked there, so nothing here restates a rule of the format.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  template <typename T>
  T get(size_t offset) const {
    T v;
    std::memcpy(&v, bytes_.data() + offset, sizeof(T));
    return v;
  }

  // `count` elements of T of a data-section array, or none for an unused one (0xFFFFFFFF).
  template <typename T>
  std::vector<T> array(uint32_t data_offset, size_t field_offset, uint64_t count) const {
    const auto offset = get<uint32_t>(field_offset);
    if (offset == kNone) return {};
    std::vector<T> out(count);
    std::memcpy(out.data(), bytes_.data() + data_offset + offset, count * sizeof(T));
    return out;
  }

 private:
  std::span<const uint8_t> bytes_;
};

// The one verifier of the format is the C runtime's (runtime/src/verify.c, docs/int8_runtime.md
// "What plrt_model_init checks"); its reason names the op or tensor and the field.
void verify_with_runtime(std::span<const uint8_t> bytes, const std::string& origin) {
  // plrt_model_init needs a 4-byte aligned buffer; a span into any buffer may not be.
  std::vector<uint32_t> aligned((bytes.size() + 3) / 4);
  if (!bytes.empty()) std::memcpy(aligned.data(), bytes.data(), bytes.size());
  plrt_model model;
  plrt_error error;
  // The host cap, not the chips' 512 KiB: the host runs and exports models of any chip.
  if (plrt_model_init_ex(&model, aligned.data(), bytes.size(), PLRT_MAX_ARENA_HOST, &error) !=
      PLRT_OK) {
    throw InputError(InputLocation::file(origin), "model",
                     // The reason is our verifier's own bounded text (not the file's bytes):
                     // kept whole, where `found` would be cut to a short excerpt.
                     fmt::format("a .plq file the runtime's verifier accepts "
                                 "(docs/int8_model_format.md); it says: {}",
                                 error.reason),
                     "a refused file");
  }
}

}  // namespace

Graph parse_plq(std::span<const uint8_t> bytes, const std::string& origin) {
  verify_with_runtime(bytes, origin);
  const Reader r(bytes);
  Graph g;
  g.scheme = static_cast<Scheme>(r.get<uint8_t>(6));
  const auto n_tensors = r.get<uint32_t>(16), n_ops = r.get<uint32_t>(20);
  const auto tensors_offset = r.get<uint32_t>(24), ops_offset = r.get<uint32_t>(28);
  const auto data_offset = r.get<uint32_t>(32);
  g.arena_size = r.get<uint32_t>(40);
  g.input = static_cast<int>(r.get<uint32_t>(44));
  g.output = static_cast<int>(r.get<uint32_t>(48));
  const auto input_params_offset = r.get<uint32_t>(52);
  for (uint32_t i = 0; i < n_tensors; ++i) {
    const size_t at = tensors_offset + 24ull * i;
    Tensor t;
    t.name = fmt::format("tensor {}", i);
    t.channels = static_cast<int32_t>(r.get<uint32_t>(at));
    t.length = static_cast<int32_t>(r.get<uint32_t>(at + 4));
    t.arena_offset = r.get<uint32_t>(at + 8);
    t.scale = r.get<float>(at + 12);
    t.zero_point = r.get<int32_t>(at + 16);
    g.tensors.push_back(std::move(t));
  }
  for (int c = 0; c < g.tensors[static_cast<size_t>(g.input)].channels; ++c) {
    const size_t at = input_params_offset + 8ull * static_cast<uint64_t>(c);
    g.input_channels.push_back({r.get<float>(at), r.get<int32_t>(at + 4)});
  }
  for (uint32_t i = 0; i < n_ops; ++i) {
    const size_t at = ops_offset + 64ull * i;
    Op op;
    op.type = static_cast<OpType>(r.get<uint8_t>(at));
    op.name = fmt::format("op {} ({})", i, to_string(op.type));
    op.round_half_up = r.get<uint8_t>(at + 3) == 1;  // POW2 AVGPOOL1D flags bit 0
    op.truncate = r.get<uint8_t>(at + 3) == 2;       // bit 1 (format version 2)
    const auto n_in = r.get<uint8_t>(at + 2);
    for (uint32_t k = 0; k < n_in; ++k) {
      op.inputs.push_back(static_cast<int>(r.get<uint32_t>(at + 4 + 4 * k)));
    }
    op.output = static_cast<int>(r.get<uint32_t>(at + 20));
    op.kernel = r.get<uint16_t>(at + 24);
    op.stride = r.get<uint16_t>(at + 26);
    op.pad = r.get<uint16_t>(at + 28);
    op.act_min = r.get<int16_t>(at + 30);
    op.act_max = r.get<int16_t>(at + 32);
    op.left_shift = r.get<int32_t>(at + 56);
    const Tensor& x = g.tensors[static_cast<size_t>(op.inputs[0])];
    const Tensor& y = g.tensors[static_cast<size_t>(op.output)];
    // Per-channel arrays have the output's channels; a TFLITE ADD's 3 (two inputs, output).
    const uint64_t c_out = op.type == OpType::kConv1d ? static_cast<uint64_t>(y.channels) : 3;
    op.weights = r.array<int8_t>(data_offset, at + 36,
                                 static_cast<uint64_t>(y.channels) * op.kernel * x.channels);
    op.bias = r.array<int32_t>(data_offset, at + 40, c_out);
    op.multiplier = r.array<int32_t>(data_offset, at + 44, c_out);
    op.shift = r.array<int32_t>(data_offset, at + 48, c_out);
    op.weight_scale = r.array<float>(data_offset, at + 52, c_out);
    g.ops.push_back(std::move(op));
  }
  // The in-memory graph's own invariants (what the writer checks before it writes): a file the
  // runtime accepts and this refuses would be a disagreement between the two sides.
  for (auto check : {find_problem, find_arena_problem}) {
    if (auto p = check(g)) {
      throw InputError(InputLocation::file(origin), p->field, p->expected, p->found);
    }
  }
  return g;
}

Graph read_plq(const std::filesystem::path& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path, kMaxPlqFileBytes);
  return parse_plq(bytes, path.string());
}

}  // namespace physiolite::qgraph
