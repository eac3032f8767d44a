#include "physiolite/io/wfdb_signal.hpp"

#include "physiolite/core/error.hpp"

namespace physiolite::io {

namespace {
inline int32_t sign_extend(uint32_t value, int bits) {
  uint32_t sign = 1u << (bits - 1);
  return static_cast<int32_t>((value ^ sign) - sign);
}

// Format 212: two 12-bit two's-complement values in three bytes; the second byte holds the
// high nibbles (low nibble -> first value, high nibble -> second value).
void decode_212(std::span<const uint8_t> bytes, int64_t num_values, int32_t* out) {
  int64_t pairs = num_values / 2;
  const uint8_t* p = bytes.data();
  for (int64_t i = 0; i < pairs; ++i, p += 3) {
    out[2 * i] = sign_extend(p[0] | (static_cast<uint32_t>(p[1] & 0x0F) << 8), 12);
    out[2 * i + 1] = sign_extend(p[2] | (static_cast<uint32_t>(p[1] & 0xF0) << 4), 12);
  }
  if (num_values % 2 != 0) {
    out[num_values - 1] = sign_extend(p[0] | (static_cast<uint32_t>(p[1] & 0x0F) << 8), 12);
  }
}

void decode_16(std::span<const uint8_t> bytes, int64_t num_values, int32_t* out) {
  const uint8_t* p = bytes.data();
  for (int64_t i = 0; i < num_values; ++i, p += 2) {
    out[i] = static_cast<int16_t>(static_cast<uint16_t>(p[0] | (p[1] << 8)));
  }
}
}  // namespace

bool is_supported_wfdb_format(int format) { return format == 16 || format == 212; }

const char* supported_wfdb_formats() { return "16, 212"; }

int64_t wfdb_values_in_bytes(int format, int64_t num_bytes) {
  switch (format) {
    case 16:
      return num_bytes / 2;
    case 212:
      return num_bytes / 3 * 2 + (num_bytes % 3 >= 2 ? 1 : 0);
    default:
      PL_CHECK(false, "unsupported format reached the decoder");
  }
}

int64_t wfdb_bytes_for_values(int format, int64_t num_values) {
  switch (format) {
    case 16:
      return num_values * 2;
    case 212:
      return num_values / 2 * 3 + (num_values % 2 != 0 ? 2 : 0);
    default:
      PL_CHECK(false, "unsupported format reached the decoder");
  }
}

void decode_wfdb_values(int format, std::span<const uint8_t> bytes, int64_t num_values,
                        std::vector<int32_t>& out) {
  PL_CHECK(wfdb_values_in_bytes(format, static_cast<int64_t>(bytes.size())) >= num_values,
           "caller must check the byte count");
  out.resize(static_cast<size_t>(num_values));
  switch (format) {
    case 16:
      decode_16(bytes, num_values, out.data());
      break;
    case 212:
      decode_212(bytes, num_values, out.data());
      break;
    default:
      PL_CHECK(false, "unsupported format reached the decoder");
  }
}

int32_t wfdb_invalid_sample(int format) {
  switch (format) {
    case 212:
      return -2048;
    default:
      return -32768;
  }
}

}  // namespace physiolite::io
