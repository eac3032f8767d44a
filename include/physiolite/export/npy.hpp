// NumPy's .npy format, version 1.0, for the arrays the exports hand to the vendors' tools
// (izer's --sample-input, Vela/TFLite test inputs and the expected outputs): a 10-byte preamble
// (magic "\x93NUMPY", version 1.0, header length), a Python dict literal
// {'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), } padded with spaces to a multiple of
// 64 bytes and ended by '\n', then the C-order little-endian data. Torch-free.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace physiolite::exporting {

// The file's bytes; the element count must equal the product of `shape` (PL_CHECK).
std::vector<uint8_t> npy_bytes(std::span<const int8_t> values, std::span<const int64_t> shape);
std::vector<uint8_t> npy_bytes(std::span<const uint8_t> values, std::span<const int64_t> shape);
std::vector<uint8_t> npy_bytes(std::span<const int32_t> values, std::span<const int64_t> shape);
std::vector<uint8_t> npy_bytes(std::span<const int64_t> values, std::span<const int64_t> shape);
std::vector<uint8_t> npy_bytes(std::span<const float> values, std::span<const int64_t> shape);

}  // namespace physiolite::exporting
