#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>

#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/qgraph/plq_file.hpp"

namespace physiolite::qgraph {

static_assert(std::endian::native == std::endian::little, "the .plq writer assumes little-endian");

uint32_t crc32_ieee(std::span<const uint8_t> bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed large buffers in pieces.
  for (size_t done = 0; done < bytes.size();) {
    const size_t n = std::min<size_t>(bytes.size() - done, size_t{1} << 30);
    crc = crc32(crc, bytes.data() + done, static_cast<uInt>(n));
    done += n;
  }
  return static_cast<uint32_t>(crc);
}

namespace {

constexpr uint32_t kNone = 0xFFFFFFFFu;

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<uint8_t>& out) : out_(out) {}
  template <typename T>
  void put(size_t offset, T value) {
    std::memcpy(out_.data() + offset, &value, sizeof(T));
  }

 private:
  std::vector<uint8_t>& out_;
};

// The data section: arrays appended 4-aligned, offsets relative to its start.
class DataSection {
 public:
  template <typename T>
  uint32_t add(const std::vector<T>& values) {
    if (values.empty()) return kNone;
    const auto offset = static_cast<uint32_t>(bytes_.size());
    bytes_.resize(bytes_.size() + values.size() * sizeof(T));
    std::memcpy(bytes_.data() + offset, values.data(), values.size() * sizeof(T));
    bytes_.resize((bytes_.size() + 3) / 4 * 4, 0);
    return offset;
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

}  // namespace

std::vector<uint8_t> serialize_plq(const Graph& g) {
  if (auto p = find_problem(g)) {
    fail_check(
        "find_problem(graph)", __FILE__, __LINE__,
        fmt::format("serialize_plq: {}: expected {}, got {}", p->field, p->expected, p->found));
  }
  if (auto p = find_arena_problem(g)) {
    fail_check("find_arena_problem(graph)", __FILE__, __LINE__,
               fmt::format("serialize_plq: {}: expected {}, got {} (plan_arena first)", p->field,
                           p->expected, p->found));
  }
  const uint32_t tensors_offset = kPlqHeaderBytes;
  const auto ops_offset = static_cast<uint32_t>(tensors_offset + 24 * g.tensors.size());
  const auto input_params_offset = static_cast<uint32_t>(ops_offset + 64 * g.ops.size());
  const auto data_offset = static_cast<uint32_t>(input_params_offset + 8 * g.input_channels.size());

  DataSection data;
  struct Arrays {
    uint32_t weights, bias, multiplier, shift, weight_scale;
  };
  std::vector<Arrays> arrays;
  for (const Op& op : g.ops) {
    Arrays a{};
    a.weights = data.add(op.weights);
    a.bias = data.add(op.bias);
    a.multiplier = data.add(op.multiplier);
    a.shift = data.add(op.shift);
    a.weight_scale = data.add(op.weight_scale);
    arrays.push_back(a);
  }
  const size_t file_size = data_offset + data.bytes().size();
  PL_CHECK(file_size <= 0xFFFFFFFFu, "serialize_plq: the model exceeds 4 GiB");
  std::vector<uint8_t> out(file_size, 0);
  ByteWriter w(out);
  std::memcpy(out.data(), "PLQM", 4);
  const bool truncates =
      std::any_of(g.ops.begin(), g.ops.end(), [](const Op& op) { return op.truncate; });
  w.put<uint16_t>(4, truncates ? kPlqVersion : uint16_t{1});
  w.put<uint8_t>(6, static_cast<uint8_t>(g.scheme));
  w.put<uint32_t>(8, static_cast<uint32_t>(file_size));
  w.put<uint32_t>(16, static_cast<uint32_t>(g.tensors.size()));
  w.put<uint32_t>(20, static_cast<uint32_t>(g.ops.size()));
  w.put<uint32_t>(24, tensors_offset);
  w.put<uint32_t>(28, ops_offset);
  w.put<uint32_t>(32, data_offset);
  w.put<uint32_t>(36, static_cast<uint32_t>(data.bytes().size()));
  w.put<uint32_t>(40, g.arena_size);
  w.put<uint32_t>(44, static_cast<uint32_t>(g.input));
  w.put<uint32_t>(48, static_cast<uint32_t>(g.output));
  w.put<uint32_t>(52, input_params_offset);
  w.put<uint32_t>(56, static_cast<uint32_t>(g.num_classes()));

  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    const size_t at = tensors_offset + 24 * i;
    w.put<uint32_t>(at, static_cast<uint32_t>(t.channels));
    w.put<uint32_t>(at + 4, static_cast<uint32_t>(t.length));
    w.put<uint32_t>(at + 8, t.arena_offset);
    w.put<float>(at + 12, t.scale);
    w.put<int32_t>(at + 16, t.zero_point);
  }
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const Op& op = g.ops[i];
    const Arrays& a = arrays[i];
    const size_t at = ops_offset + 64 * i;
    w.put<uint8_t>(at, static_cast<uint8_t>(op.type));
    w.put<uint8_t>(at + 1, static_cast<uint8_t>(g.scheme));
    w.put<uint8_t>(at + 2, static_cast<uint8_t>(op.inputs.size()));
    w.put<uint8_t>(at + 3, op.round_half_up ? 1 : op.truncate ? 2 : 0);
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      w.put<uint32_t>(at + 4 + 4 * k, static_cast<uint32_t>(op.inputs[k]));
    }
    w.put<uint32_t>(at + 20, static_cast<uint32_t>(op.output));
    w.put<uint16_t>(at + 24, static_cast<uint16_t>(op.kernel));
    w.put<uint16_t>(at + 26, static_cast<uint16_t>(op.stride));
    w.put<uint16_t>(at + 28, static_cast<uint16_t>(op.pad));
    w.put<int16_t>(at + 30, static_cast<int16_t>(op.act_min));
    w.put<int16_t>(at + 32, static_cast<int16_t>(op.act_max));
    w.put<uint32_t>(at + 36, a.weights);
    w.put<uint32_t>(at + 40, a.bias);
    w.put<uint32_t>(at + 44, a.multiplier);
    w.put<uint32_t>(at + 48, a.shift);
    w.put<uint32_t>(at + 52, a.weight_scale);
    w.put<int32_t>(at + 56, op.left_shift);
  }
  for (size_t c = 0; c < g.input_channels.size(); ++c) {
    w.put<float>(input_params_offset + 8 * c, g.input_channels[c].scale);
    w.put<int32_t>(input_params_offset + 8 * c + 4, g.input_channels[c].zero_point);
  }
  // A graph without weights (pools only) has an empty data section: no memcpy from null.
  if (!data.bytes().empty()) {
    std::memcpy(out.data() + data_offset, data.bytes().data(), data.bytes().size());
  }
  w.put<uint32_t>(12, crc32_ieee(std::span<const uint8_t>(out).subspan(16)));
  return out;
}

void write_plq(const Graph& graph, const std::filesystem::path& path) {
  const std::vector<uint8_t> bytes = serialize_plq(graph);
  write_file_atomically(path, [&](std::ostream& out) {
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  });
}

}  // namespace physiolite::qgraph
