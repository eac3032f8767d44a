#include "physiolite/stream/raw_samples.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "physiolite/core/error.hpp"

namespace physiolite::stream {

namespace {
std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}
}  // namespace

RawSampleReader::RawSampleReader(std::istream& in, RawFormat format, std::string name,
                                 std::function<void(const std::string&)> on_bad_input)
    : in_(in), format_(format), name_(std::move(name)), on_bad_input_(std::move(on_bad_input)) {}

void RawSampleReader::report(const std::string& message) {
  ++bad_;
  if (on_bad_input_) on_bad_input_(message);
}

bool RawSampleReader::read_line(bool& too_long) {
  // Byte by byte from the stream buffer: never waits for more input than the line's end (a live
  // stream must hand out each sample as soon as its line is complete).
  std::streambuf* buffer = in_.rdbuf();
  line_.clear();
  too_long = false;
  int c = buffer->sbumpc();
  if (c == '\n' && after_cr_) c = buffer->sbumpc();
  after_cr_ = false;
  if (c == std::char_traits<char>::eof()) {
    in_.setstate(std::ios::eofbit);
    return false;
  }
  for (; c != std::char_traits<char>::eof(); c = buffer->sbumpc()) {
    if (c == '\n') break;
    if (c == '\r') {
      after_cr_ = true;
      break;
    }
    if (line_.size() < kMaxRawLineBytes) {
      line_ += static_cast<char>(c);
    } else {
      too_long = true;
    }
  }
  return true;
}

bool RawSampleReader::next(float& sample) {
  if (format_ == RawFormat::kInt16) {
    char bytes[2];
    in_.read(bytes, 2);
    if (in_.gcount() == 1) {
      report(fmt::format("{}: byte {}: field 'sample': expected 2 bytes (int16), got 1", name_,
                         2 * samples_));
    }
    if (in_.gcount() != 2) return false;
    const auto u = static_cast<uint16_t>(static_cast<uint8_t>(bytes[0]) |
                                         (static_cast<uint8_t>(bytes[1]) << 8));
    sample = static_cast<float>(static_cast<int16_t>(u));
    ++samples_;
    return true;
  }
  bool too_long = false;
  if (!read_line(too_long)) return false;
  ++line_number_;
  ++samples_;
  const std::string_view text = trim(line_);
  float value = 0.0f;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (too_long) {
    report(fmt::format("{}:{}: field 'sample': expected a line of at most {} bytes, got '{}...'",
                       name_, line_number_, kMaxRawLineBytes, excerpt(text.substr(0, 40))));
    value = std::numeric_limits<float>::quiet_NaN();
  } else if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
             !std::isfinite(value)) {
    report(fmt::format("{}:{}: field 'sample': expected a finite number, got '{}'", name_,
                       line_number_, excerpt(text.substr(0, 40))));
    value = std::numeric_limits<float>::quiet_NaN();
  }
  sample = value;
  return true;
}

}  // namespace physiolite::stream
