// libFuzzer target: arbitrary text as an EMG-EPN-612 user JSON file. Only InputError may escape
// the parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "physiolite/core/error.hpp"
#include "physiolite/io/epn612.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto user = physiolite::io::parse_epn612_user(text, "user1.json");
    for (const auto* part : {&user.training, &user.testing}) {
      for (const auto& s : *part) {
        for (const auto& ch : s.emg) {
          if (ch.size() != s.emg[0].size()) __builtin_trap();
        }
      }
    }
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
