#include "physiolite/core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace physiolite {

std::string InputLocation::to_string() const {
  if (line > 0) return fmt::format("{}:{}", path, line);
  if (byte_offset >= 0) return fmt::format("{}: byte {}", path, byte_offset);
  return path;
}

std::string excerpt(std::string_view text) {
  std::string out;
  const size_t shown = std::min(text.size(), kExcerptBytes);
  for (size_t i = 0; i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      out += static_cast<char>(byte);
    } else {
      out += fmt::format("\\x{:02x}", byte);
    }
  }
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
