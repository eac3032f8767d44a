// Text output that goes to a stream as it comes (flushed per piece, so a pipe or a terminal sees
// each line at once) or, when a file is named, is buffered and written atomically by finish():
// an interrupted run leaves no half-written file. What `detect` and `stream` print beats with.
#pragma once

#include <cstdio>
#include <string>

namespace physiolite {

class LineSink {
 public:
  // `output` empty: to `stream` (stdout by default); else the file finish() writes.
  explicit LineSink(std::string output, std::FILE* stream = stdout);
  void add(const std::string& text);
  // Writes the file (nothing to do for a stream). Throws physiolite::Error on I/O failure.
  void finish();
  bool to_file() const { return !output_.empty(); }

 private:
  std::string output_;
  std::FILE* stream_;
  std::string buffer_;
};

}  // namespace physiolite
