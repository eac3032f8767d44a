// JSON read from outside (a config file, a run's config.json, a checkpoint's metadata, a --set
// value), parsed with bounds: nlohmann's DOM recurses once per nesting level when it is copied,
// compared, printed or destroyed, so ~70k nested '[' overflow the stack. The nesting depth is
// checked on the raw text before the parser builds anything.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace physiolite {

// Deepest nesting of arrays/objects accepted. PhysioLite's own files nest at most 4 levels.
inline constexpr int kMaxJsonDepth = 64;

// Parses `text`; throws InputError(`where` at the byte offset, `field`, ...) when it nests deeper
// than kMaxJsonDepth or is not valid JSON. The message quotes at most a short excerpt of the text.
nlohmann::json parse_json_text(std::string_view text, const std::string& where,
                               const std::string& field);

// The same bounds, for text that may or may not be JSON (a --set value such as `64` or `mitbih`):
// std::nullopt when it is not valid JSON; UsageError naming `key` when it nests too deep.
std::optional<nlohmann::json> try_parse_json_value(std::string_view text, std::string_view key);

}  // namespace physiolite
