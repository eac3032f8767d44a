#include "physiolite/stream/raw_samples.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

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
  if (!std::getline(in_, line_)) return false;
  ++line_number_;
  ++samples_;
  const std::string_view text = trim(line_);
  float value = 0.0f;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    report(fmt::format("{}:{}: field 'sample': expected a finite number, got '{}'", name_,
                       line_number_, text.substr(0, 40)));
    value = std::numeric_limits<float>::quiet_NaN();
  }
  sample = value;
  return true;
}

}  // namespace physiolite::stream
