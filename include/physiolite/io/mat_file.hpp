// MATLAB .mat files, the subset the benchmark datasets use: 2-D numeric matrices.
//
// Level 4 (the PhysioNet challenges' `val` files, written by wfdb2mat: a 20-byte header, the name,
// then the matrix column-major) and level 5 / 7 (NinaPro: a 128-byte text header, then tagged
// elements, each matrix possibly zlib-compressed). Numeric classes double, single and the 8- to
// 64-bit integers are read as double; cells, structs, strings, sparse and complex arrays are
// skipped (listed in `skipped`), as scipy.io.loadmat would return them as something other than a
// matrix. Little-endian files only (every file of the datasets is). Our own reader rather than
// libmatio: the subset is ~300 lines over zlib, which the project already links, and it gives
// errors that name the file, the byte offset and the variable; libmatio would be one more package
// for CI.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace physiolite::io {

struct MatArray {
  std::string name;
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> values;  // column-major, as MATLAB stores it: (r, c) at r + c * rows

  double at(int64_t r, int64_t c) const { return values[static_cast<size_t>(r + c * rows)]; }
};

struct MatFile {
  int level = 0;  // 4 or 5
  std::vector<MatArray> arrays;
  std::vector<std::string> skipped;  // variables that are not real numeric matrices

  const MatArray* find(const std::string& name) const;
};

// Parses a whole file held in memory. `wanted` non-empty: only those variables are decoded (the
// others are stepped over, compressed ones without inflating). Throws InputError naming `path`,
// the byte offset and the field for anything truncated or malformed.
MatFile parse_mat(std::span<const uint8_t> bytes, const std::string& path,
                  const std::vector<std::string>& wanted = {});
MatFile read_mat_file(const std::filesystem::path& path,
                      const std::vector<std::string>& wanted = {});

// The variable `name` of a file read with read_mat_file; InputError naming the file and the
// variable when it is absent.
const MatArray& require_mat_array(const MatFile& file, const std::string& name,
                                  const std::filesystem::path& path);

}  // namespace physiolite::io
