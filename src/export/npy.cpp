#include "physiolite/export/npy.hpp"

#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>

#include "physiolite/core/error.hpp"

namespace physiolite::exporting {

namespace {

// NumPy's own spelling of a shape: "(5,)" for one dimension, "(2, 3)" for more, "()" for none.
std::string shape_text(std::span<const int64_t> shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return fmt::format("({})", fmt::join(shape, ", "));
}

template <typename T>
std::vector<uint8_t> npy(std::span<const T> values, std::span<const int64_t> shape,
                         const char* descr) {
  static_assert(std::endian::native == std::endian::little, "the data is written as it lies");
  const int64_t count =
      std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<int64_t>());
  PL_CHECK(count == static_cast<int64_t>(values.size()), "npy: shape and values disagree");
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
                                   descr, shape_text(shape));
  // Preamble (10 bytes) + header + '\n' is padded to a multiple of 64 (NumPy aligns the data).
  const size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
  header.append(total - 10 - header.size() - 1, ' ');
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  out.push_back(static_cast<uint8_t>(header.size() & 0xff));
  out.push_back(static_cast<uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  const size_t at = out.size();
  out.resize(at + values.size_bytes());
  if (!values.empty()) std::memcpy(out.data() + at, values.data(), values.size_bytes());
  return out;
}

}  // namespace

std::vector<uint8_t> npy_bytes(std::span<const int8_t> values, std::span<const int64_t> shape) {
  return npy(values, shape, "|i1");
}
std::vector<uint8_t> npy_bytes(std::span<const uint8_t> values, std::span<const int64_t> shape) {
  return npy(values, shape, "|u1");
}
std::vector<uint8_t> npy_bytes(std::span<const int32_t> values, std::span<const int64_t> shape) {
  return npy(values, shape, "<i4");
}
std::vector<uint8_t> npy_bytes(std::span<const int64_t> values, std::span<const int64_t> shape) {
  return npy(values, shape, "<i8");
}
std::vector<uint8_t> npy_bytes(std::span<const float> values, std::span<const int64_t> shape) {
  static_assert(std::numeric_limits<float>::is_iec559, "'<f4' is IEEE 754 binary32");
  return npy(values, shape, "<f4");
}

}  // namespace physiolite::exporting
