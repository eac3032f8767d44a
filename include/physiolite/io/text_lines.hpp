// Line-by-line reading of a text file that may be gzip-compressed.
//
// zlib's gzopen/gzread read a plain file transparently, so one reader serves `NAME.txt` and
// `NAME.txt.gz`. Lines are cut with memchr on large decompressed blocks rather than with gzgets:
// gzgets cannot report a line's length, so a NUL byte in a damaged file would silently shorten a
// line, and it would also copy every line once more.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct gzFile_s;

namespace physiolite::io {

// Longest line handed out (docs/limits.md): a file without line breaks is refused at this length
// instead of being buffered whole.
inline constexpr size_t kMaxTextLineBytes = size_t{1} << 20;

class TextLineReader {
 public:
  // Throws InputError if the file does not exist or cannot be opened.
  explicit TextLineReader(std::filesystem::path path);
  ~TextLineReader();
  TextLineReader(const TextLineReader&) = delete;
  TextLineReader& operator=(const TextLineReader&) = delete;

  // The next line without its "\n" or "\r\n"; std::nullopt at the end of the file. A last line
  // without a final newline is still returned, a UTF-8 byte-order mark before the first line is
  // skipped. The view stays valid until the next call. Throws InputError naming the line when it
  // is longer than kMaxTextLineBytes.
  // Throws InputError naming the line if zlib reports an error (truncated or corrupt gzip).
  std::optional<std::string_view> next_line();

  // 1-based number of the line last returned (0 before the first call).
  int64_t line_number() const { return line_number_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  bool refill();  // appends one decompressed block to buffer_; false at end of file
  std::string_view without_bom(std::string_view line) const;  // a UTF-8 BOM off line 1

  std::filesystem::path path_;
  gzFile_s* file_ = nullptr;
  std::string buffer_;  // decompressed bytes not yet handed out, starting at begin_
  size_t begin_ = 0;
  bool eof_ = false;
  std::string error_;  // zlib's message, raised once the bytes decoded before it are handed out
  int64_t line_number_ = 0;
};

}  // namespace physiolite::io
