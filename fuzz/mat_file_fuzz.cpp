// libFuzzer target: arbitrary bytes as a MATLAB level-4 or level-5 file (compressed elements
// included). Only InputError may escape the parser.
#include <cstddef>
#include <cstdint>
#include <span>

#include "physiolite/core/error.hpp"
#include "physiolite/io/mat_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto file = physiolite::io::parse_mat(std::span<const uint8_t>(data, size), "fuzz.mat");
    for (const auto& a : file.arrays) {
      if (a.values.size() != static_cast<size_t>(a.rows * a.cols)) __builtin_trap();
    }
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
