#include <fmt/format.h>

#include <cstring>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "plrt_model.h"

namespace physiolite::qgraph {

namespace {

constexpr uint32_t kNone = 0xFFFFFFFFu;

// Bounds-checked little-endian reads; every refusal names the file, the byte offset and the field.
class Reader {
 public:
  Reader(std::span<const uint8_t> bytes, std::string origin)
      : bytes_(bytes), origin_(std::move(origin)) {}

  [[noreturn]] void fail(int64_t offset, const std::string& field, const std::string& expected,
                         const std::string& found) const {
    throw InputError(InputLocation::at_byte(origin_, offset), field, expected, found);
  }

  template <typename T>
  T get(size_t offset) const {
    T v;
    std::memcpy(&v, bytes_.data() + offset, sizeof(T));
    return v;
  }

  size_t size() const { return bytes_.size(); }
  std::span<const uint8_t> bytes() const { return bytes_; }

  // A table or array [offset, offset + size) that must lie inside `limit` bytes from `base`.
  void require_inside(uint64_t base, uint64_t offset, uint64_t size, uint64_t limit,
                      size_t field_offset, const std::string& field, const std::string& where,
                      uint64_t alignment) const {
    if (offset % alignment != 0) {
      fail(static_cast<int64_t>(field_offset), field, fmt::format("a multiple of {}", alignment),
           std::to_string(offset));
    }
    if (offset > limit || size > limit - offset) {
      fail(static_cast<int64_t>(field_offset), field,
           fmt::format("[{}, {}) inside {} of {} bytes", offset, offset + size, where, limit),
           std::to_string(base + offset));
    }
  }

 private:
  std::span<const uint8_t> bytes_;
  std::string origin_;
};

struct Header {
  uint32_t n_tensors, n_ops, tensors_offset, ops_offset, data_offset, data_size, arena_size, input,
      output, input_params_offset, num_classes;
  uint8_t scheme;
};

Header read_header(const Reader& r) {
  if (r.size() < kPlqHeaderBytes) {
    r.fail(0, "file_size", fmt::format(">= {} bytes (the header)", kPlqHeaderBytes),
           fmt::format("{} bytes (truncated)", r.size()));
  }
  if (std::memcmp(r.bytes().data(), "PLQM", 4) != 0) {
    r.fail(0, "magic", "'PLQM' (a PhysioLite int8 model)",
           fmt::format("{:02x} {:02x} {:02x} {:02x}", r.get<uint8_t>(0), r.get<uint8_t>(1),
                       r.get<uint8_t>(2), r.get<uint8_t>(3)));
  }
  const auto version = r.get<uint16_t>(4);
  if (version < 1 || version > kPlqVersion) {
    r.fail(4, "version", fmt::format("1 to {}", kPlqVersion), std::to_string(version));
  }
  Header h{};
  h.scheme = r.get<uint8_t>(6);
  if (h.scheme != 1 && h.scheme != 2) {
    r.fail(6, "scheme", "1 (max78000) or 2 (tflite)", std::to_string(h.scheme));
  }
  const auto file_size = r.get<uint32_t>(8);
  if (file_size != r.size()) {
    r.fail(8, "file_size", fmt::format("{} (the file's size)", r.size()),
           fmt::format("{} (truncated or padded file)", file_size));
  }
  const auto crc = r.get<uint32_t>(12);
  const uint32_t actual = crc32_ieee(r.bytes().subspan(16));
  if (crc != actual) {
    r.fail(12, "crc32", fmt::format("{:08x} (CRC-32 of bytes [16, {}))", actual, r.size()),
           fmt::format("{:08x} (corrupt file)", crc));
  }
  if (r.get<uint8_t>(7) != 0 || r.get<uint32_t>(60) != 0) {
    r.fail(r.get<uint8_t>(7) != 0 ? 7 : 60, "reserved", "0", "non-zero");
  }
  h.n_tensors = r.get<uint32_t>(16);
  h.n_ops = r.get<uint32_t>(20);
  h.tensors_offset = r.get<uint32_t>(24);
  h.ops_offset = r.get<uint32_t>(28);
  h.data_offset = r.get<uint32_t>(32);
  h.data_size = r.get<uint32_t>(36);
  h.arena_size = r.get<uint32_t>(40);
  h.input = r.get<uint32_t>(44);
  h.output = r.get<uint32_t>(48);
  h.input_params_offset = r.get<uint32_t>(52);
  h.num_classes = r.get<uint32_t>(56);
  // The host cap of the C runtime (plrt_model.h): nothing here allocates more than that per tensor.
  if (h.arena_size > PLRT_MAX_ARENA_HOST) {
    r.fail(40, "arena_size", fmt::format("at most {} bytes (the host cap)", PLRT_MAX_ARENA_HOST),
           std::to_string(h.arena_size));
  }
  if (h.n_tensors == 0) r.fail(16, "n_tensors", ">= 1", "0");
  if (h.n_ops == 0) r.fail(20, "n_ops", ">= 1", "0");
  if (h.input >= h.n_tensors) {
    r.fail(44, "input_tensor", fmt::format("< {}", h.n_tensors), std::to_string(h.input));
  }
  if (h.output >= h.n_tensors) {
    r.fail(48, "output_tensor", fmt::format("< {}", h.n_tensors), std::to_string(h.output));
  }
  const uint64_t body = r.size() - kPlqHeaderBytes;
  auto inside = [&](uint32_t offset, uint64_t size, size_t field, const char* name) {
    if (offset < kPlqHeaderBytes) {
      r.fail(static_cast<int64_t>(field), name, "past the 64-byte header", std::to_string(offset));
    }
    r.require_inside(kPlqHeaderBytes, offset - kPlqHeaderBytes, size, body, field, name,
                     "the file after the header", 4);
  };
  inside(h.tensors_offset, 24ull * h.n_tensors, 24, "tensors_offset");
  inside(h.ops_offset, 64ull * h.n_ops, 28, "ops_offset");
  inside(h.data_offset, h.data_size, 32, "data_offset");
  return h;
}

std::vector<Tensor> read_tensors(const Reader& r, const Header& h) {
  std::vector<Tensor> tensors(h.n_tensors);
  for (uint32_t i = 0; i < h.n_tensors; ++i) {
    const size_t at = h.tensors_offset + 24ull * i;
    Tensor& t = tensors[i];
    const auto c = r.get<uint32_t>(at);
    const auto l = r.get<uint32_t>(at + 4);
    const std::string f = fmt::format("tensor {}", i);
    if (c == 0 || l == 0 || c > (1u << 24) || l > (1u << 24)) {
      r.fail(static_cast<int64_t>(at), f + " shape", "channels and length in [1, 2^24]",
             fmt::format("{} x {}", c, l));
    }
    if (uint64_t{c} * l > PLRT_MAX_ARENA_HOST) {
      r.fail(static_cast<int64_t>(at), f + " shape",
             fmt::format("at most {} elements (the host cap)", PLRT_MAX_ARENA_HOST),
             fmt::format("{} x {}", c, l));
    }
    if (r.get<uint32_t>(at + 20) != 0)
      r.fail(static_cast<int64_t>(at + 20), f + " reserved", "0", "non-zero");
    t.name = f;
    t.channels = static_cast<int32_t>(c);
    t.length = static_cast<int32_t>(l);
    t.arena_offset = r.get<uint32_t>(at + 8);
    t.scale = r.get<float>(at + 12);
    t.zero_point = r.get<int32_t>(at + 16);
  }
  return tensors;
}

enum class Need { kRequired, kOptional, kUnused };

Need need(bool used) { return used ? Need::kRequired : Need::kUnused; }

// One data-section array of an op: `count` elements of T at a data-section offset, or kNone.
template <typename T>
std::vector<T> read_array(const Reader& r, const Header& h, size_t field_offset,
                          const std::string& field, Need need, uint64_t count) {
  const auto offset = r.get<uint32_t>(field_offset);
  if (need == Need::kUnused && offset != kNone) {
    r.fail(static_cast<int64_t>(field_offset), field, "0xFFFFFFFF (unused by this op)",
           std::to_string(offset));
  }
  if (need == Need::kRequired && offset == kNone) {
    r.fail(static_cast<int64_t>(field_offset), field, "a data-section offset", "none");
  }
  if (offset == kNone) return {};
  r.require_inside(h.data_offset, offset, count * sizeof(T), h.data_size, field_offset, field,
                   "the data section", sizeof(T));
  std::vector<T> out(count);
  std::memcpy(out.data(), r.bytes().data() + h.data_offset + offset, count * sizeof(T));
  return out;
}

Op read_op(const Reader& r, const Header& h, const std::vector<Tensor>& tensors, uint32_t i) {
  const size_t at = h.ops_offset + 64ull * i;
  Op op;
  const auto type = r.get<uint8_t>(at);
  const std::string f0 = fmt::format("op {}", i);
  if (type < 1 || type > 5) {
    r.fail(static_cast<int64_t>(at), f0 + " type", "1..5 (CONV1D, AVGPOOL1D, ADD, CONCAT, RELU)",
           std::to_string(type));
  }
  op.type = static_cast<OpType>(type);
  const std::string f = fmt::format("op {} ({})", i, to_string(op.type));
  op.name = f;
  if (r.get<uint8_t>(at + 1) != h.scheme) {
    r.fail(static_cast<int64_t>(at + 1), f + " requant",
           fmt::format("{} (the header's scheme)", h.scheme),
           std::to_string(r.get<uint8_t>(at + 1)));
  }
  const auto n_in = r.get<uint8_t>(at + 2);
  if (n_in < 1 || n_in > 4) {
    r.fail(static_cast<int64_t>(at + 2), f + " n_inputs", "1..4", std::to_string(n_in));
  }
  const auto flags = r.get<uint8_t>(at + 3);
  if (flags > 2)
    r.fail(static_cast<int64_t>(at + 3), f + " flags", "0, 1 or 2", std::to_string(flags));
  op.round_half_up = flags == 1;
  op.truncate = flags == 2;
  for (uint32_t k = 0; k < 4; ++k) {
    const auto in = r.get<uint32_t>(at + 4 + 4 * k);
    if (k >= n_in) {
      if (in != 0)
        r.fail(static_cast<int64_t>(at + 4 + 4 * k), f + " inputs", "0 (unused)",
               std::to_string(in));
      continue;
    }
    if (in >= h.n_tensors) {
      r.fail(static_cast<int64_t>(at + 4 + 4 * k), f + " inputs", fmt::format("< {}", h.n_tensors),
             std::to_string(in));
    }
    op.inputs.push_back(static_cast<int>(in));
  }
  const auto out = r.get<uint32_t>(at + 20);
  if (out >= h.n_tensors) {
    r.fail(static_cast<int64_t>(at + 20), f + " output", fmt::format("< {}", h.n_tensors),
           std::to_string(out));
  }
  op.output = static_cast<int>(out);
  op.kernel = r.get<uint16_t>(at + 24);
  op.stride = r.get<uint16_t>(at + 26);
  op.pad = r.get<uint16_t>(at + 28);
  op.act_min = r.get<int16_t>(at + 30);
  op.act_max = r.get<int16_t>(at + 32);
  op.left_shift = r.get<int32_t>(at + 56);
  if (r.get<uint16_t>(at + 34) != 0 || r.get<uint32_t>(at + 60) != 0) {
    r.fail(static_cast<int64_t>(r.get<uint16_t>(at + 34) != 0 ? at + 34 : at + 60), f + " reserved",
           "0", "non-zero");
  }
  const bool conv = op.type == OpType::kConv1d;
  const bool tflite_add = op.type == OpType::kAdd && h.scheme == 2;
  const Tensor& x = tensors[static_cast<size_t>(op.inputs[0])];
  const Tensor& y = tensors[out];
  const uint64_t c_out = conv ? static_cast<uint64_t>(y.channels) : 3;
  op.weights = read_array<int8_t>(r, h, at + 36, f + " weights", need(conv),
                                  static_cast<uint64_t>(y.channels) * op.kernel * x.channels);
  op.bias = read_array<int32_t>(r, h, at + 40, f + " bias", conv ? Need::kOptional : Need::kUnused,
                                c_out);
  op.multiplier = read_array<int32_t>(r, h, at + 44, f + " multiplier",
                                      need((conv && h.scheme == 2) || tflite_add), c_out);
  op.shift = read_array<int32_t>(r, h, at + 48, f + " shift", need(conv || tflite_add), c_out);
  op.weight_scale = read_array<float>(r, h, at + 52, f + " weight_scale", need(conv), c_out);
  return op;
}

}  // namespace

Graph parse_plq(std::span<const uint8_t> bytes, const std::string& origin) {
  const Reader r(bytes, origin);
  const Header h = read_header(r);
  Graph g;
  g.scheme = static_cast<Scheme>(h.scheme);
  g.tensors = read_tensors(r, h);
  g.input = static_cast<int>(h.input);
  g.output = static_cast<int>(h.output);
  g.arena_size = h.arena_size;
  const Tensor& in = g.tensors[h.input];
  if (h.input_params_offset < kPlqHeaderBytes) {
    r.fail(52, "input_params_offset", "past the 64-byte header",
           std::to_string(h.input_params_offset));
  }
  r.require_inside(kPlqHeaderBytes, h.input_params_offset - kPlqHeaderBytes,
                   8ull * static_cast<uint64_t>(in.channels), r.size() - kPlqHeaderBytes, 52,
                   "input_params_offset", "the file after the header", 4);
  for (int c = 0; c < in.channels; ++c) {
    const size_t at = h.input_params_offset + 8ull * static_cast<uint64_t>(c);
    g.input_channels.push_back({r.get<float>(at), r.get<int32_t>(at + 4)});
  }
  if (h.num_classes != static_cast<uint32_t>(g.tensors[h.output].channels)) {
    r.fail(56, "num_classes",
           fmt::format("{} (the output tensor's channels)", g.tensors[h.output].channels),
           std::to_string(h.num_classes));
  }
  for (uint32_t i = 0; i < h.n_ops; ++i) g.ops.push_back(read_op(r, h, g.tensors, i));
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
