// Error hierarchy shared by every PhysioLite module.
//
// Readers validate outside data once, at the boundary, and throw InputError naming the file, the
// place in it (line or byte offset), the field, what was expected and what was found. Only apps/
// catches; it prints what() to stderr and exits non-zero.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace physiolite {

// Text from outside made safe for a terminal: control characters (C0, DEL and the UTF-8 encoded
// C1 range, which covers ESC and CSI sequences: a WFDB header can carry them) written as \xNN;
// other bytes, such as UTF-8 letters ("µV"), are kept.
std::string escape_controls(std::string_view text);

// Bad input is echoed back only as a short excerpt: escape_controls of at most kExcerptBytes
// bytes (a config can be megabytes long), with the length of what was cut named.
inline constexpr size_t kExcerptBytes = 80;
std::string excerpt(std::string_view text);

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where in an input file a problem sits. Either a 1-based line, a byte offset, or neither.
struct InputLocation {
  std::string path;
  int64_t line = 0;          // 1-based; 0 = not line oriented
  int64_t byte_offset = -1;  // -1 = not given

  static InputLocation at_line(std::string path, int64_t line) {
    return {std::move(path), line, -1};
  }
  static InputLocation at_byte(std::string path, int64_t offset) {
    return {std::move(path), 0, offset};
  }
  static InputLocation file(std::string path) { return {std::move(path), 0, -1}; }

  // "100.hea:2", "100.dat: byte 1950000", or just "100.hea".
  std::string to_string() const;
};

// The user's data is not what it should be.
// what() reads: "<path>:<line>: field '<field>': expected <expected>, got '<found>'", where
// <found> is excerpt(found) (found() keeps the whole text).
class InputError : public Error {
 public:
  InputError(InputLocation where, std::string field, std::string expected, std::string found);

  const InputLocation& where() const { return where_; }
  const std::string& field() const { return field_; }
  const std::string& expected() const { return expected_; }
  const std::string& found() const { return found_; }

 private:
  InputLocation where_;
  std::string field_;
  std::string expected_;
  std::string found_;
};

// The command line or an API argument is wrong (not the data).
class UsageError : public Error {
 public:
  using Error::Error;
};

[[noreturn]] void fail_check(const char* condition, const char* file, int line,
                             const std::string& message);

}  // namespace physiolite

// A broken invariant of our own code (not of the user's data); names our file and line.
#define PL_CHECK(cond, msg)                                                  \
  do {                                                                       \
    if (!(cond)) ::physiolite::fail_check(#cond, __FILE__, __LINE__, (msg)); \
  } while (0)
