// Helpers for the dsp tests: element-wise comparison with a frozen sequence that reports the first
// index that is off (instead of hundreds of failures), and a check that a call throws UsageError
// naming what was expected.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <functional>
#include <span>
#include <string>

#include "physiolite/core/error.hpp"

namespace physiolite::dsp::test_util {

inline ::testing::AssertionResult all_near(std::span<const double> actual,
                                           std::span<const double> expected, double tolerance) {
  if (actual.size() != expected.size()) {
    return ::testing::AssertionFailure()
           << "length " << actual.size() << ", expected " << expected.size();
  }
  std::size_t bad = 0, first = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (!(std::abs(actual[i] - expected[i]) <= tolerance)) {
      if (bad++ == 0) first = i;
    }
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << bad << " of " << actual.size() << " values off by more than " << tolerance
         << "; first at [" << first << "]: " << actual[first] << " vs " << expected[first];
}

inline void expect_usage_error(const std::function<void()>& call, const std::string& needle) {
  try {
    call();
    ADD_FAILURE() << "no UsageError; expected one mentioning '" << needle << "'";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace physiolite::dsp::test_util
