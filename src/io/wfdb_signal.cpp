#include "physiolite/io/wfdb_signal.hpp"

#include <limits>

#include "physiolite/core/error.hpp"

namespace physiolite::io {

namespace {

inline int32_t sign_extend(uint32_t value, int bits) {
  const uint32_t mask = bits == 32 ? 0xFFFFFFFFu : (1u << bits) - 1;
  const uint32_t sign = 1u << (bits - 1);
  return static_cast<int32_t>(((value & mask) ^ sign) - sign);
}

inline uint32_t le16(const uint8_t* p) { return p[0] | (static_cast<uint32_t>(p[1]) << 8); }

// Byte-aligned formats: one value per `width` bytes.
template <typename Decode>
void decode_aligned(const uint8_t* p, int64_t n, int width, int32_t* out, Decode decode) {
  for (int64_t i = 0; i < n; ++i, p += width) out[i] = decode(p);
}

// Format 212: two 12-bit two's-complement values in three bytes; the second byte holds the
// high nibbles (low nibble -> first value, high nibble -> second value).
void decode_212(const uint8_t* p, int64_t n, int32_t* out) {
  for (int64_t i = 0; i + 1 < n; i += 2, p += 3) {
    out[i] = sign_extend(p[0] | (static_cast<uint32_t>(p[1] & 0x0F) << 8), 12);
    out[i + 1] = sign_extend(p[2] | (static_cast<uint32_t>(p[1] & 0xF0) << 4), 12);
  }
  if (n % 2 != 0) out[n - 1] = sign_extend(p[0] | (static_cast<uint32_t>(p[1] & 0x0F) << 8), 12);
}

// Format 310: words w0 = bytes 0-1, w1 = bytes 2-3. Value 0 = w0 bits 1-10, value 1 = w1 bits
// 1-10, value 2 = w0 bits 11-15 (low five bits) and w1 bits 11-15 (high five bits).
void decode_310(const uint8_t* p, int64_t n, int32_t* out) {
  for (int64_t i = 0; i < n; i += 3, p += 4) {
    const uint32_t w0 = le16(p);
    out[i] = sign_extend(w0 >> 1, 10);
    if (i + 1 < n) {
      const uint32_t w1 = le16(p + 2);
      out[i + 1] = sign_extend(w1 >> 1, 10);
      if (i + 2 < n) out[i + 2] = sign_extend((w0 >> 11) | ((w1 >> 11) << 5), 10);
    }
  }
}

// Format 311: one little-endian 32-bit word holds values in bits 0-9, 10-19 and 20-29. A
// trailing partial group is 2 bytes (one value) or 3 bytes (two values).
void decode_311(const uint8_t* p, int64_t n, int32_t* out) {
  for (int64_t i = 0; i < n; i += 3, p += 4) {
    const int64_t here = n - i < 3 ? n - i : 3;
    const int bytes = here == 1 ? 2 : here == 2 ? 3 : 4;
    uint32_t word = 0;
    for (int b = 0; b < bytes; ++b) word |= static_cast<uint32_t>(p[b]) << (8 * b);
    for (int64_t k = 0; k < here; ++k) out[i + k] = sign_extend(word >> (10 * k), 10);
  }
}

[[noreturn]] void unsupported() { PL_CHECK(false, "unsupported format reached the codec"); }

}  // namespace

bool is_supported_wfdb_format(int format) {
  switch (format) {
    case 8:
    case 16:
    case 24:
    case 32:
    case 61:
    case 80:
    case 160:
    case 212:
    case 310:
    case 311:
      return true;
    default:
      return false;
  }
}

const char* supported_wfdb_formats() { return "8, 16, 24, 32, 61, 80, 160, 212, 310, 311"; }

int64_t wfdb_values_in_bytes(int format, int64_t num_bytes) {
  switch (format) {
    case 8:
    case 80:
      return num_bytes;
    case 16:
    case 61:
    case 160:
      return num_bytes / 2;
    case 24:
      return num_bytes / 3;
    case 32:
      return num_bytes / 4;
    case 212:
      return num_bytes / 3 * 2 + (num_bytes % 3 >= 2 ? 1 : 0);
    case 310:
      return num_bytes / 4 * 3 + (num_bytes % 4 >= 2 ? 1 : 0);
    case 311:
      return num_bytes / 4 * 3 + (num_bytes % 4 >= 2 ? num_bytes % 4 - 1 : 0);
    default:
      unsupported();
  }
}

int64_t wfdb_bytes_for_values(int format, int64_t num_values) {
  switch (format) {
    case 8:
    case 80:
      return num_values;
    case 16:
    case 61:
    case 160:
      return num_values * 2;
    case 24:
      return num_values * 3;
    case 32:
      return num_values * 4;
    case 212:
      return num_values / 2 * 3 + (num_values % 2 != 0 ? 2 : 0);
    case 310:
    case 311: {
      const int64_t rest = num_values % 3;
      const int64_t tail = rest == 0 ? 0 : rest == 1 ? 2 : (format == 310 ? 4 : 3);
      return num_values / 3 * 4 + tail;
    }
    default:
      unsupported();
  }
}

void decode_wfdb_values(int format, std::span<const uint8_t> bytes, int64_t num_values,
                        std::vector<int32_t>& out) {
  PL_CHECK(wfdb_values_in_bytes(format, static_cast<int64_t>(bytes.size())) >= num_values,
           "caller must check the byte count");
  out.resize(static_cast<size_t>(num_values));
  const uint8_t* p = bytes.data();
  int32_t* o = out.data();
  switch (format) {
    case 8:
      return decode_aligned(p, num_values, 1, o, [](const uint8_t* b) {
        return static_cast<int32_t>(static_cast<int8_t>(b[0]));
      });
    case 80:
      return decode_aligned(p, num_values, 1, o,
                            [](const uint8_t* b) { return static_cast<int32_t>(b[0]) - 128; });
    case 16:
      return decode_aligned(p, num_values, 2, o,
                            [](const uint8_t* b) { return sign_extend(le16(b), 16); });
    case 61:
      return decode_aligned(p, num_values, 2, o, [](const uint8_t* b) {
        return sign_extend((static_cast<uint32_t>(b[0]) << 8) | b[1], 16);
      });
    case 160:
      return decode_aligned(p, num_values, 2, o,
                            [](const uint8_t* b) { return static_cast<int32_t>(le16(b)) - 32768; });
    case 24:
      return decode_aligned(p, num_values, 3, o, [](const uint8_t* b) {
        return sign_extend(le16(b) | (static_cast<uint32_t>(b[2]) << 16), 24);
      });
    case 32:
      return decode_aligned(p, num_values, 4, o, [](const uint8_t* b) {
        return sign_extend(le16(b) | (le16(b + 2) << 16), 32);
      });
    case 212:
      return decode_212(p, num_values, o);
    case 310:
      return decode_310(p, num_values, o);
    case 311:
      return decode_311(p, num_values, o);
    default:
      unsupported();
  }
}

int32_t wfdb_min_value(int format) {
  switch (format) {
    case 8:
    case 80:
      return -128;
    case 16:
    case 61:
    case 160:
      return -32768;
    case 24:
      return -(1 << 23);
    case 32:
      return std::numeric_limits<int32_t>::min();
    case 212:
      return -2048;
    case 310:
    case 311:
      return -512;
    default:
      unsupported();
  }
}

int32_t wfdb_max_value(int format) {
  return format == 32 ? std::numeric_limits<int32_t>::max() : -wfdb_min_value(format) - 1;
}

int32_t wfdb_invalid_sample(int format) {
  if (format == 8 || !is_supported_wfdb_format(format)) {
    return std::numeric_limits<int32_t>::min();
  }
  return wfdb_min_value(format);
}

bool is_writable_wfdb_format(int format) { return format == 16 || format == 212; }

void encode_wfdb_values(int format, std::span<const int32_t> values, std::vector<uint8_t>& out) {
  PL_CHECK(is_writable_wfdb_format(format), "encoder called for a format it does not write");
  const size_t n = values.size();
  size_t at = out.size();
  out.resize(at + static_cast<size_t>(wfdb_bytes_for_values(format, static_cast<int64_t>(n))));
  uint8_t* p = out.data() + at;
  if (format == 16) {
    for (size_t i = 0; i < n; ++i, p += 2) {
      const auto v = static_cast<uint32_t>(values[i]);
      p[0] = static_cast<uint8_t>(v & 0xFF);
      p[1] = static_cast<uint8_t>((v >> 8) & 0xFF);
    }
    return;
  }
  for (size_t i = 0; i < n; i += 2, p += 3) {
    const auto a = static_cast<uint32_t>(values[i]) & 0xFFF;
    const uint32_t b = i + 1 < n ? static_cast<uint32_t>(values[i + 1]) & 0xFFF : 0;
    p[0] = static_cast<uint8_t>(a & 0xFF);
    p[1] = static_cast<uint8_t>((a >> 8) | ((b >> 4) & 0xF0));
    if (i + 1 < n) p[2] = static_cast<uint8_t>(b & 0xFF);
  }
}

}  // namespace physiolite::io
