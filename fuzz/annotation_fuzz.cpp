// libFuzzer target: arbitrary bytes as an MIT-format annotation file. Only InputError may escape.
#include <cstddef>
#include <cstdint>
#include <span>

#include "physiolite/core/error.hpp"
#include "physiolite/io/annotation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    physiolite::io::parse_annotations(std::span<const uint8_t>(data, size), "fuzz.atr");
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
