#include "physiolite/core/json_text.hpp"

#include <fmt/format.h>

#include "physiolite/core/error.hpp"

namespace physiolite {

namespace {

// Byte offset of the first bracket that opens level kMaxJsonDepth + 1, or npos. Brackets inside
// strings do not count; the parser finds any other syntax error afterwards.
size_t too_deep_at(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

std::string depth_expected() {
  return fmt::format("JSON nested at most {} levels deep", kMaxJsonDepth);
}

}  // namespace

nlohmann::json parse_json_text(std::string_view text, const std::string& where,
                               const std::string& field) {
  if (const size_t at = too_deep_at(text); at != std::string_view::npos) {
    throw InputError(InputLocation::at_byte(where, static_cast<int64_t>(at)), field,
                     depth_expected(), std::string(text.substr(at)));
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based and points past the offending character.
    const size_t at = std::min(text.size(), e.byte > 0 ? e.byte - 1 : 0);
    throw InputError(InputLocation::at_byte(where, static_cast<int64_t>(at)), field,
                     "a JSON document", std::string(text.substr(at)));
  } catch (const nlohmann::json::out_of_range&) {
    // A number too large for a double (e.g. 1E400): nlohmann reports it as out_of_range 406,
    // without a byte offset.
    throw InputError(InputLocation::file(where), field, "JSON numbers that fit a double",
                     std::string(text));
  }
}

std::optional<nlohmann::json> try_parse_json_value(std::string_view text, std::string_view key) {
  if (too_deep_at(text) != std::string_view::npos) {
    throw UsageError(
        fmt::format("{}: expected {}, got '{}'", key, depth_expected(), excerpt(text)));
  }
  nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

}  // namespace physiolite
