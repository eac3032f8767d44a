#include "physiolite/core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace physiolite {

std::string InputLocation::to_string() const {
  if (line > 0) return fmt::format("{}:{}", path, line);
  if (byte_offset >= 0) return fmt::format("{}: byte {}", path, byte_offset);
  return path;
}

std::string escape_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool c1 = byte == 0xc2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9f;
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else if (c1) {
      out += fmt::format("\\xc2\\x{:02x}", static_cast<unsigned char>(text[++i]));
    } else {
      out += static_cast<char>(byte);
    }
  }
  return out;
}

std::string excerpt(std::string_view text) {
  const size_t shown = std::min(text.size(), kExcerptBytes);
  std::string out = escape_controls(text.substr(0, shown));
  if (shown < text.size()) out += fmt::format("... ({} bytes in all)", text.size());
  return out;
}

static std::string format_input_error(const InputLocation& where, const std::string& field,
                                      const std::string& expected, const std::string& found) {
  return fmt::format("{}: field '{}': expected {}, got '{}'", where.to_string(), field, expected,
                     excerpt(found));
}

InputError::InputError(InputLocation where, std::string field, std::string expected,
                       std::string found)
    : Error(format_input_error(where, field, expected, found)),
      where_(std::move(where)),
      field_(std::move(field)),
      expected_(std::move(expected)),
      found_(std::move(found)) {}

void fail_check(const char* condition, const char* file, int line, const std::string& message) {
  throw Error(fmt::format("internal error at {}:{}: check '{}' failed: {}", file, line, condition,
                          message));
}

}  // namespace physiolite
