#include "physiolite/io/mat_file.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"

namespace physiolite::io {

namespace {

// Level-5 element types (miXXX) and array classes (mxXXX) of the MAT-file format reference.
enum : uint32_t {
  miINT8 = 1,
  miUINT8 = 2,
  miINT16 = 3,
  miUINT16 = 4,
  miINT32 = 5,
  miUINT32 = 6,
  miSINGLE = 7,
  miDOUBLE = 9,
  miINT64 = 12,
  miUINT64 = 13,
  miMATRIX = 14,
  miCOMPRESSED = 15
};
enum : uint32_t {
  mxDOUBLE = 6,
  mxSINGLE = 7,
  mxINT8 = 8,
  mxUINT8 = 9,
  mxINT16 = 10,
  mxUINT16 = 11,
  mxINT32 = 12,
  mxUINT32 = 13,
  mxINT64 = 14,
  mxUINT64 = 15
};
constexpr size_t kLevel5Header = 128;
// An inflated element larger than this is refused: no variable of the datasets comes near it,
// and a corrupt length must not make us allocate without bound.
constexpr size_t kMaxInflated = size_t{1} << 31;

template <typename T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

bool is_wanted(const std::vector<std::string>& wanted, const std::string& name) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), name) != wanted.end();
}

class Parser {
 public:
  Parser(std::string path, const std::vector<std::string>& wanted)
      : path_(std::move(path)), wanted_(wanted) {}

  [[noreturn]] void fail(int64_t offset, const std::string& field, const std::string& expected,
                         const std::string& found) const {
    throw InputError(InputLocation::at_byte(path_, offset), field, expected, found);
  }

  // Appends `count` values of element type `type` at p to out; false for an unknown type.
  static bool append_numbers(uint32_t type, const uint8_t* p, size_t count,
                             std::vector<double>& out) {
    for (size_t i = 0; i < count; ++i) {
      switch (type) {
        case miINT8:
          out.push_back(load<int8_t>(p + i));
          break;
        case miUINT8:
          out.push_back(load<uint8_t>(p + i));
          break;
        case miINT16:
          out.push_back(load<int16_t>(p + 2 * i));
          break;
        case miUINT16:
          out.push_back(load<uint16_t>(p + 2 * i));
          break;
        case miINT32:
          out.push_back(load<int32_t>(p + 4 * i));
          break;
        case miUINT32:
          out.push_back(load<uint32_t>(p + 4 * i));
          break;
        case miSINGLE:
          out.push_back(load<float>(p + 4 * i));
          break;
        case miDOUBLE:
          out.push_back(load<double>(p + 8 * i));
          break;
        case miINT64:
          out.push_back(static_cast<double>(load<int64_t>(p + 8 * i)));
          break;
        case miUINT64:
          out.push_back(static_cast<double>(load<uint64_t>(p + 8 * i)));
          break;
        default:
          return false;
      }
    }
    return true;
  }

  static size_t element_size(uint32_t type) {
    switch (type) {
      case miINT8:
      case miUINT8:
        return 1;
      case miINT16:
      case miUINT16:
        return 2;
      case miINT32:
      case miUINT32:
      case miSINGLE:
        return 4;
      case miDOUBLE:
      case miINT64:
      case miUINT64:
        return 8;
      default:
        return 0;
    }
  }

  // ---- level 4 ----
  void parse_level4(std::span<const uint8_t> b, MatFile& file) {
    file.level = 4;
    size_t pos = 0;
    while (pos < b.size()) {
      const int64_t at = static_cast<int64_t>(pos);
      if (b.size() - pos < 20) fail(at, "header", "a 20-byte level-4 matrix header", "end of file");
      const int32_t type = load<int32_t>(&b[pos]);
      const int32_t rows = load<int32_t>(&b[pos + 4]);
      const int32_t cols = load<int32_t>(&b[pos + 8]);
      const int32_t imag = load<int32_t>(&b[pos + 12]);
      const int32_t name_len = load<int32_t>(&b[pos + 16]);
      const int m = type / 1000, o = type / 100 % 10, p = type / 10 % 10, t = type % 10;
      if (type < 0 || m != 0 || o != 0 || t != 0 || p > 5) {
        fail(at, "type", "a little-endian numeric level-4 matrix (type 0..50)",
             std::to_string(type));
      }
      if (rows < 0 || cols < 0 || name_len < 1 || name_len > 64 || (imag != 0 && imag != 1)) {
        fail(at, "header", "rows, cols >= 0, a name of 1-64 bytes, imagf 0 or 1",
             fmt::format("{} x {}, name {} bytes, imagf {}", rows, cols, name_len, imag));
      }
      pos += 20;
      if (b.size() - pos < static_cast<size_t>(name_len))
        fail(at, "name", "the name", "end of file");
      std::string name(reinterpret_cast<const char*>(&b[pos]), static_cast<size_t>(name_len));
      if (name.back() != '\0') fail(at + 20, "name", "a NUL-terminated name", name);
      name.pop_back();
      pos += static_cast<size_t>(name_len);
      static constexpr uint32_t kTypes[] = {miDOUBLE, miSINGLE, miINT32,
                                            miINT16,  miUINT16, miUINT8};
      const uint32_t mi = kTypes[p];
      const size_t count = static_cast<size_t>(rows) * static_cast<size_t>(cols);
      const size_t bytes = count * element_size(mi) * (imag ? 2 : 1);
      if (b.size() - pos < bytes) {
        fail(static_cast<int64_t>(pos), name,
             fmt::format("{} bytes of a {} x {} matrix", bytes, rows, cols),
             fmt::format("{} bytes (truncated file)", b.size() - pos));
      }
      if (imag) {
        file.skipped.push_back(name);
      } else if (is_wanted(wanted_, name)) {
        MatArray a{name, rows, cols, {}};
        a.values.reserve(count);
        append_numbers(mi, &b[pos], count, a.values);
        file.arrays.push_back(std::move(a));
      }
      pos += bytes;
    }
  }

  // ---- level 5 ----
  struct Tag {
    uint32_t type = 0;
    size_t bytes = 0;
    size_t data = 0;  // offset of the data
    size_t next = 0;  // offset of the next element (padded to 8 unless compressed)
  };

  Tag read_tag(std::span<const uint8_t> b, size_t pos, int64_t base, const std::string& field) {
    if (b.size() - pos < 8)
      fail(base + static_cast<int64_t>(pos), field, "an 8-byte tag", "end of data");
    const uint32_t first = load<uint32_t>(&b[pos]);
    Tag tag;
    if ((first >> 16) != 0) {  // small data element: type and size in one word, data in the next
      tag.type = first & 0xFFFF;
      tag.bytes = first >> 16;
      if (tag.bytes > 4) {
        fail(base + static_cast<int64_t>(pos), field, "a small element of at most 4 bytes",
             std::to_string(tag.bytes));
      }
      tag.data = pos + 4;
      tag.next = pos + 8;
      return tag;
    }
    tag.type = first;
    tag.bytes = load<uint32_t>(&b[pos + 4]);
    tag.data = pos + 8;
    if (b.size() - tag.data < tag.bytes) {
      fail(base + static_cast<int64_t>(pos), field,
           fmt::format("{} bytes of element data", tag.bytes),
           fmt::format("{} bytes (truncated file)", b.size() - tag.data));
    }
    const size_t padded = tag.type == miCOMPRESSED ? tag.bytes : (tag.bytes + 7) / 8 * 8;
    tag.next = std::min(b.size(), tag.data + padded);
    return tag;
  }

  std::vector<uint8_t> inflate_element(std::span<const uint8_t> in, int64_t at) {
    std::vector<uint8_t> out(std::max<size_t>(4096, in.size() * 4));
    z_stream z{};
    if (inflateInit(&z) != Z_OK) fail(at, "miCOMPRESSED", "zlib data", "zlib init failure");
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(in.size());
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      if (z.total_out == out.size()) {
        if (out.size() >= kMaxInflated) break;
        out.resize(std::min(kMaxInflated, out.size() * 2));
      }
      z.next_out = out.data() + z.total_out;
      z.avail_out = static_cast<uInt>(out.size() - z.total_out);
      rc = inflate(&z, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) break;
    }
    const size_t produced = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
      fail(at, "miCOMPRESSED", "a complete zlib stream",
           rc == Z_BUF_ERROR || rc == Z_OK ? "a truncated stream" : "corrupt data");
    }
    out.resize(produced);
    return out;
  }

  // One miMATRIX element's contents b (already sliced), `base` = its offset in the file.
  void parse_matrix(std::span<const uint8_t> b, int64_t base, MatFile& file) {
    Tag flags = read_tag(b, 0, base, "array flags");
    if (flags.type != miUINT32 || flags.bytes != 8) {
      fail(base, "array flags", "an miUINT32 element of 8 bytes",
           fmt::format("type {} of {} bytes", flags.type, flags.bytes));
    }
    const uint32_t word = load<uint32_t>(&b[flags.data]);
    const uint32_t cls = word & 0xFF;
    const bool complex = (word & 0x800) != 0;
    Tag dims = read_tag(b, flags.next, base, "dimensions");
    if (dims.type != miINT32 || dims.bytes < 8 || dims.bytes % 4 != 0) {
      fail(base + static_cast<int64_t>(flags.next), "dimensions",
           "an miINT32 element of at least two dimensions", fmt::format("type {}", dims.type));
    }
    std::vector<int64_t> shape;
    for (size_t i = 0; i < dims.bytes / 4; ++i)
      shape.push_back(load<int32_t>(&b[dims.data + 4 * i]));
    Tag name_tag = read_tag(b, dims.next, base, "array name");
    if (name_tag.type != miINT8) {
      fail(base + static_cast<int64_t>(dims.next), "array name", "an miINT8 element",
           fmt::format("type {}", name_tag.type));
    }
    const std::string name(reinterpret_cast<const char*>(&b[name_tag.data]), name_tag.bytes);
    const bool numeric = cls >= mxDOUBLE && cls <= mxUINT64;
    if (!numeric || complex || shape.size() != 2) {
      file.skipped.push_back(name);
      return;
    }
    if (!is_wanted(wanted_, name)) return;
    if (shape[0] < 0 || shape[1] < 0) {
      fail(base, name, "non-negative dimensions", fmt::format("{} x {}", shape[0], shape[1]));
    }
    Tag real = read_tag(b, name_tag.next, base, name);
    const size_t size = element_size(real.type);
    const size_t count = static_cast<size_t>(shape[0]) * static_cast<size_t>(shape[1]);
    if (size == 0 || real.bytes != count * size) {
      fail(base + static_cast<int64_t>(name_tag.next), name,
           fmt::format("the real part of a {} x {} matrix", shape[0], shape[1]),
           fmt::format("element type {} of {} bytes", real.type, real.bytes));
    }
    MatArray a{name, shape[0], shape[1], {}};
    a.values.reserve(count);
    append_numbers(real.type, &b[real.data], count, a.values);
    file.arrays.push_back(std::move(a));
  }

  void parse_elements(std::span<const uint8_t> b, size_t pos, int64_t base, bool in_compressed,
                      MatFile& file) {
    while (pos < b.size()) {
      if (b.size() - pos < 8 && !in_compressed) {
        // Trailing padding shorter than a tag: allowed only if it is all zeros.
        if (std::all_of(b.begin() + static_cast<std::ptrdiff_t>(pos), b.end(),
                        [](uint8_t x) { return x == 0; }))
          return;
      }
      Tag tag = read_tag(b, pos, base, "element");
      const int64_t at = base + static_cast<int64_t>(pos);
      auto data = b.subspan(tag.data, tag.bytes);
      if (tag.type == miCOMPRESSED) {
        if (in_compressed) fail(at, "element", "no compressed element inside another", "one");
        std::vector<uint8_t> inner = inflate_element(data, at);
        parse_elements(inner, 0, at, true, file);
      } else if (tag.type == miMATRIX) {
        if (tag.bytes > 0) parse_matrix(data, at + 8, file);
      } else {
        fail(at, "element", "miMATRIX (14) or miCOMPRESSED (15)", std::to_string(tag.type));
      }
      pos = tag.next;
    }
  }

  void parse_level5(std::span<const uint8_t> b, MatFile& file) {
    file.level = 5;
    if (b.size() < kLevel5Header) fail(0, "header", "a 128-byte level-5 header", "a shorter file");
    if (b[126] != 'I' || b[127] != 'M') {
      fail(126, "endian indicator", "'IM' (little-endian)",
           std::string(reinterpret_cast<const char*>(&b[126]), 2));
    }
    parse_elements(b, kLevel5Header, 0, false, file);
  }

  MatFile parse(std::span<const uint8_t> b) {
    MatFile file;
    static constexpr char kMagic[] = "MATLAB 5.0 MAT-file";
    if (b.size() >= 19 && std::memcmp(b.data(), kMagic, 19) == 0) {
      parse_level5(b, file);
    } else if (b.size() >= 4 && b[0] < 60 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
      parse_level4(b, file);
    } else {
      fail(0, "header", "a MATLAB level-4 matrix or 'MATLAB 5.0 MAT-file' text",
           b.empty() ? "an empty file" : "other bytes");
    }
    return file;
  }

 private:
  std::string path_;
  const std::vector<std::string>& wanted_;
};

}  // namespace

const MatArray* MatFile::find(const std::string& name) const {
  for (const auto& a : arrays) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

MatFile parse_mat(std::span<const uint8_t> bytes, const std::string& path,
                  const std::vector<std::string>& wanted) {
  return Parser(path, wanted).parse(bytes);
}

MatFile read_mat_file(const std::filesystem::path& path, const std::vector<std::string>& wanted) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  return parse_mat(bytes, path.string(), wanted);
}

const MatArray& require_mat_array(const MatFile& file, const std::string& name,
                                  const std::filesystem::path& path) {
  if (const MatArray* a = file.find(name)) return *a;
  std::string found;
  for (const auto& a : file.arrays) found += (found.empty() ? "" : ", ") + a.name;
  for (const auto& s : file.skipped) found += (found.empty() ? "" : ", ") + s + " (not numeric)";
  throw InputError(InputLocation::file(path.string()), name,
                   fmt::format("a numeric matrix named '{}'", name),
                   found.empty() ? "no variables" : "variables " + found);
}

}  // namespace physiolite::io
