// The .npy writer against NumPy: sizes and headers as NumPy 1.24's np.save writes the same arrays
// (/usr/bin/python3 -c "import numpy as np, io; b = io.BytesIO(); np.save(b, A); ...").
#include <gtest/gtest.h>

#include <string>

#include "physiolite/export/npy.hpp"

namespace physiolite::testing {
namespace {

using exporting::npy_bytes;

TEST(Npy, Int8MatrixHeaderAndData) {
  const std::vector<int8_t> v{1, -2, 3, -4, 5, -128};
  const std::vector<int64_t> shape{2, 3};
  const auto b = npy_bytes(std::span<const int8_t>(v), shape);
  // Preamble: magic, version 1.0, header length (little-endian u16).
  const std::vector<uint8_t> magic{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  ASSERT_EQ(std::vector<uint8_t>(b.begin(), b.begin() + 8), magic);
  const size_t header_len = b[8] | (b[9] << 8);
  // NumPy 1.24's np.save of the same array: 134 bytes, header length 118 (10 + 118 = 128: the
  // data starts 64-byte aligned), the dict padded with spaces and ended by '\n'.
  EXPECT_EQ(header_len, 118u);
  const std::string header(b.begin() + 10, b.begin() + 10 + static_cast<long>(header_len));
  EXPECT_EQ(header.substr(0, 59), "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }");
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(header.find_first_not_of(' ', 59), header.size() - 1);
  ASSERT_EQ(b.size(), 134u);
  EXPECT_EQ(static_cast<int8_t>(b[128]), 1);
  EXPECT_EQ(static_cast<int8_t>(b[133]), -128);
}

TEST(Npy, Int64VectorAndInt32) {
  const std::vector<int64_t> v{-1, 258};
  const std::vector<int64_t> shape{2};
  const auto b = npy_bytes(std::span<const int64_t>(v), shape);
  // np.save: 144 bytes, header length 118.
  const std::string header(b.begin() + 10, b.begin() + 128);
  EXPECT_EQ(header.substr(0, 57), "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }");
  ASSERT_EQ(b.size(), 144u);
  EXPECT_EQ(b[128], 0xFF);  // -1, all ones
  EXPECT_EQ(b[135], 0xFF);
  EXPECT_EQ(b[136], 0x02);  // 258 = 0x0102 little-endian
  EXPECT_EQ(b[137], 0x01);
  const std::vector<int32_t> w{7};
  const std::vector<int64_t> s1{1, 1};
  const auto c = npy_bytes(std::span<const int32_t>(w), s1);
  EXPECT_EQ(std::string(c.begin() + 10, c.begin() + 20), "{'descr': ");
  EXPECT_NE(std::string(c.begin(), c.end()).find("'<i4'"), std::string::npos);
  EXPECT_NE(std::string(c.begin(), c.end()).find("(1, 1)"), std::string::npos);
  EXPECT_EQ(c.size(), 132u);  // np.save: 132 bytes
}

}  // namespace
}  // namespace physiolite::testing
