// What an error says: the tests that check a message (file, field, expected, found) get it from
// one helper instead of each writing its own try/catch.
#pragma once

#include <exception>
#include <string>

namespace physiolite::testing {

// The message of the exception of type E (default: any std::exception) that `f` throws, or
// "(nothing thrown)". An exception of another type propagates, failing the test.
template <class E = std::exception, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

}  // namespace physiolite::testing
