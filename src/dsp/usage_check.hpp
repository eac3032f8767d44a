// Argument checks shared by the dsp sources: each failure is a physiolite::UsageError whose message
// names the function, the argument, what was expected and what was given.
#pragma once

#include <fmt/format.h>

#include <string_view>

#include "physiolite/core/error.hpp"

namespace physiolite::dsp::detail {

[[noreturn]] inline void usage_fail(std::string_view function, std::string_view argument,
                                    std::string_view expected, std::string_view got) {
  throw UsageError(
      fmt::format("{}: argument '{}': expected {}, got {}", function, argument, expected, got));
}

inline void check_positive(std::string_view function, std::string_view argument, double value,
                           std::string_view expected) {
  if (!(value > 0)) usage_fail(function, argument, expected, fmt::format("{}", value));
}

inline void check_rate(std::string_view function, std::string_view argument, double fs_hz) {
  check_positive(function, argument, fs_hz, "a sampling frequency > 0 Hz");
}

// Throws unless 0 < f_hz < fs_hz / 2 (and fs_hz itself is positive).
inline void check_frequency(std::string_view function, std::string_view argument, double f_hz,
                            double fs_hz) {
  check_rate(function, "fs_hz", fs_hz);
  if (!(f_hz > 0 && f_hz < fs_hz / 2)) {
    usage_fail(function, argument,
               fmt::format("a frequency inside (0, fs/2) = (0, {}) Hz", fs_hz / 2),
               fmt::format("{} Hz", f_hz));
  }
}

}  // namespace physiolite::dsp::detail
