// How metrics print: NaN (undefined, e.g. AUROC of a class without positives) becomes JSON null
// or a placeholder, everything else four decimals.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace physiolite::eval {

inline nlohmann::json json_number(double value) {
  return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value);
}

inline std::string fixed4(double value, std::string_view undefined = "-") {
  return std::isnan(value) ? std::string(undefined) : fmt::format("{:.4f}", value);
}

}  // namespace physiolite::eval
