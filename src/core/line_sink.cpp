#include "physiolite/core/line_sink.hpp"

#include <ostream>

#include "physiolite/core/atomic_file.hpp"

namespace physiolite {

LineSink::LineSink(std::string output, std::FILE* stream)
    : output_(std::move(output)), stream_(stream) {}

void LineSink::add(const std::string& text) {
  if (to_file()) {
    buffer_ += text;
    return;
  }
  std::fputs(text.c_str(), stream_);
  std::fflush(stream_);
}

void LineSink::finish() {
  if (to_file()) write_file_atomically(output_, [&](std::ostream& out) { out << buffer_; });
}

}  // namespace physiolite
