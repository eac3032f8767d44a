// libFuzzer target: arbitrary text as PTB-XL's scp_codes field (a Python dict string). Only
// InputError may escape the parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "physiolite/core/error.hpp"
#include "physiolite/io/ptbxl.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    physiolite::io::parse_scp_codes(text, "ptbxl_database.csv:2");
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
