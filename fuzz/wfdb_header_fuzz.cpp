// libFuzzer target: arbitrary bytes as WFDB header text. Only InputError may escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "physiolite/core/error.hpp"
#include "physiolite/io/wfdb.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    physiolite::io::parse_wfdb_header(text, "fuzz.hea");
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
