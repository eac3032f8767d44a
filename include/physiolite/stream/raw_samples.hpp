// Raw sample streams for `physiolite detect -`: one number per line (text) or little-endian
// int16 (binary). Bad lines never stop a live stream: they become NaN samples (which the QRS
// detector treats as invalid) and are reported through a callback. Lines end in "\n", "\r\n" or a
// lone "\r" (serial devices often send CR only); a line is kept up to kMaxRawLineBytes, so input
// without any line break takes bounded memory (the rest of such a line is skipped, and the line
// reported).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>

namespace physiolite::stream {

enum class RawFormat { kText, kInt16 };

inline constexpr size_t kMaxRawLineBytes = 256;

class RawSampleReader {
 public:
  // `name` is used in messages ("stdin"). `on_bad_input` receives one message per bad line
  // ("stdin:3: field 'sample': expected a finite number, got 'abc'").
  RawSampleReader(std::istream& in, RawFormat format, std::string name,
                  std::function<void(const std::string&)> on_bad_input);

  // The next sample; false at the end of the input.
  bool next(float& sample);

  int64_t samples_read() const { return samples_; }
  int64_t bad_inputs() const { return bad_; }

 private:
  void report(const std::string& message);
  // The next line into line_ (at most kMaxRawLineBytes of it); false at the end of the input.
  bool read_line(bool& too_long);

  std::istream& in_;
  RawFormat format_;
  std::string name_;
  std::function<void(const std::string&)> on_bad_input_;
  std::string line_;
  bool after_cr_ = false;  // the last line ended in '\r': a '\n' right after it belongs to it
  int64_t line_number_ = 0;
  int64_t samples_ = 0;
  int64_t bad_ = 0;
};

}  // namespace physiolite::stream
