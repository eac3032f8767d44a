// libFuzzer target: the first byte picks a signal format and the rest is signal-file bytes.
// Decodes as many values as the bytes hold, checks the size functions agree, and for the
// writable formats re-encodes in-range values and expects the same values back.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "physiolite/io/wfdb_signal.hpp"

namespace {
constexpr std::array<int, 10> kFormats = {8, 16, 24, 32, 61, 80, 160, 212, 310, 311};
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  using namespace physiolite::io;
  const int format = kFormats[data[0] % kFormats.size()];
  std::span<const uint8_t> bytes(data + 1, size - 1);
  const int64_t n = wfdb_values_in_bytes(format, static_cast<int64_t>(bytes.size()));
  if (wfdb_bytes_for_values(format, n) > static_cast<int64_t>(bytes.size())) std::abort();
  std::vector<int32_t> values;
  decode_wfdb_values(format, bytes, n, values);
  for (int32_t v : values) {
    if (v < wfdb_min_value(format) || v > wfdb_max_value(format)) std::abort();
  }
  if (is_writable_wfdb_format(format)) {
    std::vector<uint8_t> again;
    encode_wfdb_values(format, values, again);
    std::vector<int32_t> back;
    decode_wfdb_values(format, again, n, back);
    if (back != values) std::abort();
  }
  return 0;
}
