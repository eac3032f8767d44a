// libFuzzer target: arbitrary bytes as the text of a UCI EMG gesture file, then the uniform grid
// of whatever parsed. Only InputError may escape the parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "physiolite/core/error.hpp"
#include "physiolite/io/uci_emg.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto recording = physiolite::io::parse_uci_emg(text, "01/1_raw_data_fuzz.txt");
    for (double grid_hz : {200.0, 1000.0}) physiolite::io::to_uniform_grid(recording, grid_hz);
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
