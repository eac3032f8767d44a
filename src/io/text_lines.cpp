#include "physiolite/io/text_lines.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <system_error>

#include "physiolite/core/error.hpp"

namespace physiolite::io {

namespace {
// zlib's input buffer and our decompressed block: large, so that a 4 MB file takes a few calls.
constexpr unsigned kZlibBufferBytes = 1u << 20;
constexpr size_t kBlockBytes = 1u << 20;
}  // namespace

TextLineReader::TextLineReader(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path_, ec)) {
    throw InputError(InputLocation::file(path_.string()), "file", "an existing text file",
                     std::filesystem::exists(path_, ec) ? "not a regular file" : "no such file");
  }
  file_ = gzopen(path_.c_str(), "rb");
  if (file_ == nullptr) {
    throw InputError(InputLocation::file(path_.string()), "file", "a readable file",
                     std::strerror(errno));
  }
  gzbuffer(file_, kZlibBufferBytes);
}

TextLineReader::~TextLineReader() {
  if (file_ != nullptr) gzclose(file_);
}

bool TextLineReader::refill() {
  if (!error_.empty()) {
    throw InputError(InputLocation::at_line(path_.string(), line_number_ + 1), "gzip stream",
                     "a complete, valid gzip stream", error_);
  }
  if (eof_) return false;
  // Drop what was handed out already, then append one block.
  buffer_.erase(0, begin_);
  begin_ = 0;
  size_t old_size = buffer_.size();
  buffer_.resize(old_size + kBlockBytes);
  int n = gzread(file_, buffer_.data() + old_size, static_cast<unsigned>(kBlockBytes));
  buffer_.resize(old_size + static_cast<size_t>(std::max(n, 0)));
  // A truncated stream is not an error return: gzread hands out what it could decompress and
  // records Z_BUF_ERROR ("unexpected end of file"), so the error state is checked every time. The
  // lines decoded before the error are still handed out, so that the error names the line where
  // the stream breaks off.
  int code = Z_OK;
  const char* message = gzerror(file_, &code);
  if (n < 0 || code != Z_OK) {
    error_ = (message != nullptr && *message != '\0') ? message : "read error";
    // zlib prefixes the path it was opened with; the InputError names the file already.
    std::string prefix = path_.string() + ": ";
    if (error_.starts_with(prefix)) error_.erase(0, prefix.size());
    if (n <= 0) return refill();
    return true;
  }
  if (n == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

std::optional<std::string_view> TextLineReader::next_line() {
  size_t scanned = begin_;
  for (;;) {
    const char* start = buffer_.data() + scanned;
    const void* newline = std::memchr(start, '\n', buffer_.size() - scanned);
    if (newline != nullptr) {
      size_t end = static_cast<size_t>(static_cast<const char*>(newline) - buffer_.data());
      std::string_view line(buffer_.data() + begin_, end - begin_);
      begin_ = end + 1;
      ++line_number_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return without_bom(line);
    }
    size_t scanned_from_begin = buffer_.size() - begin_;
    if (scanned_from_begin > kMaxTextLineBytes) {
      throw InputError(InputLocation::at_line(path_.string(), line_number_ + 1), "line",
                       fmt::format("a line of at most {} bytes", kMaxTextLineBytes),
                       fmt::format("no line break in {} bytes", scanned_from_begin));
    }
    if (!refill()) break;
    scanned = scanned_from_begin;  // refill moved the unread bytes to the front
  }
  if (begin_ == buffer_.size()) return std::nullopt;
  // Last line without a final newline.
  std::string_view line(buffer_.data() + begin_, buffer_.size() - begin_);
  begin_ = buffer_.size();
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return without_bom(line);
}

std::string_view TextLineReader::without_bom(std::string_view line) const {
  if (line_number_ == 1 && line.starts_with("\xef\xbb\xbf")) line.remove_prefix(3);
  return line;
}

}  // namespace physiolite::io
