// WFDB header parser. Grammar (WFDB "header(5)"):
//   record line:  name[/nseg] nsig [fs[/counterfreq[(basecounter)]] [nsamp [basetime [basedate]]]]
//   signal line:  file format[xspf][:skew][+offset] [gain[(baseline)][/units] [adcres [adczero
//                 [initval [checksum [blocksize [description]]]]]]]
//   segment line: name nsamp            (multi-segment records, instead of signal lines)
//   comment:      '#' anywhere; blank lines are ignored.
#include <fmt/format.h>
#include <charconv>
#include <cmath>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/io/wfdb_signal.hpp"

namespace physiolite::io {

namespace {

constexpr double kDefaultGain = 200.0;  // WFDB_DEFGAIN

// Format 0 (a null signal: no samples stored) is valid in a header; the others are the decodable
// ones.
bool is_known_format(int format) { return format == 0 || is_supported_wfdb_format(format); }

struct LineCursor {
  std::string_view line;
  size_t pos = 0;

  std::string_view next_token() {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    size_t start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
    return line.substr(start, pos - start);
  }
  std::string_view rest() {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    return line.substr(pos);
  }
};

class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& path) : text_(text), path_(path) {}

  WfdbHeader parse() {
    WfdbHeader header;
    bool have_record_line = false;
    size_t expected_lines = 0;
    while (next_line()) {
      std::string_view line = strip(line_);
      if (line.empty()) continue;
      if (line.front() == '#') {
        header.comments.emplace_back(strip(line.substr(1)));
        continue;
      }
      // Trailing comments after a field line are allowed too.
      if (auto hash = line.find('#'); hash != std::string_view::npos) {
        header.comments.emplace_back(strip(line.substr(hash + 1)));
        line = strip(line.substr(0, hash));
      }
      if (!have_record_line) {
        parse_record_line(line, header);
        have_record_line = true;
        expected_lines = header.num_segments > 0 ? static_cast<size_t>(header.num_segments)
                                                 : static_cast<size_t>(num_signals_);
        continue;
      }
      if (header.num_segments > 0) {
        if (header.segments.size() < expected_lines) parse_segment_line(line, header);
        continue;  // a layout header may be followed by nothing we need
      }
      if (header.signals.size() < expected_lines) {
        header.signals.push_back(parse_signal_line(line));
      }
    }
    if (!have_record_line) {
      error("record line", "a record line 'name nsig [fs [nsamp]]'", "no record line");
    }
    if (header.num_segments > 0 && header.segments.size() != expected_lines) {
      error("number of segments",
            fmt::format("{} segment lines as the record line says", expected_lines),
            fmt::format("{} segment lines", header.segments.size()));
    }
    if (header.num_segments == 0 && header.signals.size() != expected_lines) {
      error("number of signals",
            fmt::format("{} signal lines as the record line says", expected_lines),
            fmt::format("{} signal lines", header.signals.size()));
    }
    return header;
  }

 private:
  bool next_line() {
    if (offset_ >= text_.size()) return false;
    size_t end = text_.find('\n', offset_);
    if (end == std::string_view::npos) end = text_.size();
    line_ = text_.substr(offset_, end - offset_);
    offset_ = end + 1;
    ++line_number_;
    return true;
  }

  static std::string_view strip(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
      s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
      s.remove_suffix(1);
    return s;
  }

  [[noreturn]] void error(const std::string& field, const std::string& expected,
                          std::string_view found) const {
    throw InputError(InputLocation::at_line(path_, line_number_), field, expected,
                     std::string(found));
  }

  template <typename T>
  T parse_number(std::string_view token, const std::string& field, const std::string& expected) {
    T value{};
    auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec != std::errc() || ptr != token.data() + token.size()) error(field, expected, token);
    if constexpr (std::is_floating_point_v<T>) {
      if (!std::isfinite(value)) error(field, expected, token);
    }
    return value;
  }

  void parse_record_line(std::string_view line, WfdbHeader& header) {
    LineCursor cursor{line};
    std::string_view name = cursor.next_token();
    if (auto slash = name.find('/'); slash != std::string_view::npos) {
      header.num_segments = parse_number<int>(name.substr(slash + 1), "number of segments",
                                              "a positive integer after '/'");
      if (header.num_segments < 1 || header.num_segments > 1'000'000) {
        error("number of segments", "a positive integer", name.substr(slash + 1));
      }
      name = name.substr(0, slash);
    }
    header.record_name = std::string(name);
    std::string_view nsig = cursor.next_token();
    if (nsig.empty()) error("number of signals", "a number after the record name", "nothing");
    int num_signals = parse_number<int>(nsig, "number of signals", "a non-negative integer");
    if (num_signals < 0 || num_signals > kMaxWfdbSignals) {
      error("number of signals", fmt::format("0 to {}", kMaxWfdbSignals), nsig);
    }
    num_signals_ = num_signals;
    header.signals.reserve(static_cast<size_t>(num_signals));

    std::string_view freq = cursor.next_token();
    if (!freq.empty()) parse_frequency(freq, header);
    std::string_view nsamp = cursor.next_token();
    if (!nsamp.empty()) {
      header.num_samples =
          parse_number<int64_t>(nsamp, "number of samples", "a non-negative integer");
      if (header.num_samples < 0) error("number of samples", "a non-negative integer", nsamp);
    }
    header.base_time = std::string(cursor.next_token());
    header.base_date = std::string(cursor.next_token());
  }

  // fs[/counterfreq[(basecounter)]]
  void parse_frequency(std::string_view token, WfdbHeader& header) {
    std::string_view fs = token;
    if (auto slash = token.find('/'); slash != std::string_view::npos) {
      fs = token.substr(0, slash);
      std::string_view counter = token.substr(slash + 1);
      if (auto paren = counter.find('('); paren != std::string_view::npos) {
        if (counter.back() != ')')
          error("base counter", "'(value)' after the counter frequency", counter);
        header.base_counter = parse_number<double>(
            counter.substr(paren + 1, counter.size() - paren - 2), "base counter", "a number");
        counter = counter.substr(0, paren);
      }
      header.counter_freq_hz =
          parse_number<double>(counter, "counter frequency", "a positive number");
    }
    header.fs_hz = parse_number<double>(fs, "sampling frequency", "a positive number of Hz");
    if (header.fs_hz <= 0) error("sampling frequency", "a positive number of Hz", fs);
  }

  void parse_segment_line(std::string_view line, WfdbHeader& header) {
    LineCursor cursor{line};
    WfdbSegment segment;
    segment.name = std::string(cursor.next_token());
    std::string_view length = cursor.next_token();
    segment.num_samples = parse_number<int64_t>(length, "segment length", "a non-negative integer");
    if (segment.num_samples < 0) error("segment length", "a non-negative integer", length);
    header.segments.push_back(std::move(segment));
  }

  // format[xspf][:skew][+offset]
  void parse_format(std::string_view token, WfdbSignalSpec& spec) {
    size_t end = token.find_first_of("x:+");
    constexpr const char* kKnownFormats =
        "a WFDB signal format (0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311)";
    spec.format = parse_number<int>(token.substr(0, end), "format", kKnownFormats);
    if (!is_known_format(spec.format)) error("format", kKnownFormats, token.substr(0, end));
    while (end != std::string_view::npos) {
      char tag = token[end];
      size_t next = token.find_first_of("x:+", end + 1);
      std::string_view value =
          token.substr(end + 1, next == std::string_view::npos ? next : next - end - 1);
      if (tag == 'x') {
        spec.samples_per_frame =
            parse_number<int>(value, "samples per frame", "a positive integer after 'x'");
        if (spec.samples_per_frame < 1 || spec.samples_per_frame > 1'000'000) {
          error("samples per frame", "a positive integer after 'x'", value);
        }
      } else if (tag == ':') {
        spec.skew = parse_number<int>(value, "skew", "a non-negative integer after ':'");
        if (spec.skew < 0) error("skew", "a non-negative integer after ':'", value);
      } else {
        spec.byte_offset =
            parse_number<int64_t>(value, "byte offset", "a non-negative integer after '+'");
        if (spec.byte_offset < 0) error("byte offset", "a non-negative integer after '+'", value);
      }
      end = next;
    }
  }

  // gain[(baseline)][/units]
  void parse_gain(std::string_view token, WfdbSignalSpec& spec) {
    std::string_view gain = token;
    if (auto slash = token.find('/'); slash != std::string_view::npos) {
      spec.units = std::string(token.substr(slash + 1));
      gain = token.substr(0, slash);
    }
    if (auto paren = gain.find('('); paren != std::string_view::npos) {
      if (gain.back() != ')') error("baseline", "'(integer)' after the gain", gain);
      spec.baseline = parse_number<int>(gain.substr(paren + 1, gain.size() - paren - 2), "baseline",
                                        "an integer in parentheses");
      baseline_given_ = true;
      gain = gain.substr(0, paren);
    }
    spec.adc_gain = parse_number<double>(gain, "gain", "a number (ADC units per physical unit)");
    if (spec.adc_gain < 0) error("gain", "a non-negative number", gain);
    spec.gain_given = spec.adc_gain != 0;
    if (spec.adc_gain == 0) spec.adc_gain = kDefaultGain;
  }

  WfdbSignalSpec parse_signal_line(std::string_view line) {
    LineCursor cursor{line};
    WfdbSignalSpec spec;
    spec.file_name = std::string(cursor.next_token());
    std::string_view format = cursor.next_token();
    if (format.empty()) error("format", "a format code after the file name", "nothing");
    parse_format(format, spec);
    baseline_given_ = false;
    bool adc_zero_given = false;
    if (auto gain = cursor.next_token(); !gain.empty()) {
      parse_gain(gain, spec);
      if (auto v = cursor.next_token(); !v.empty()) {
        spec.adc_resolution = parse_number<int>(v, "ADC resolution", "an integer number of bits");
        if (spec.adc_resolution < 0 || spec.adc_resolution > 32)
          error("ADC resolution", "0 to 32 bits", v);
      }
      if (auto v = cursor.next_token(); !v.empty()) {
        spec.adc_zero = parse_number<int>(v, "ADC zero", "an integer");
        adc_zero_given = true;
      }
      if (auto v = cursor.next_token(); !v.empty()) {
        spec.initial_value = parse_number<int>(v, "initial value", "an integer");
      }
      if (auto v = cursor.next_token(); !v.empty()) {
        spec.checksum = parse_number<int>(v, "checksum", "an integer");
      }
      if (auto v = cursor.next_token(); !v.empty()) {
        spec.block_size = parse_number<int>(v, "block size", "a non-negative integer");
        if (spec.block_size < 0) error("block size", "a non-negative integer", v);
      }
      spec.description = std::string(cursor.rest());
    }
    if (!baseline_given_) spec.baseline = adc_zero_given ? spec.adc_zero : 0;
    return spec;
  }

  std::string_view text_;
  const std::string& path_;
  size_t offset_ = 0;
  int64_t line_number_ = 0;
  std::string_view line_;
  bool baseline_given_ = false;
  int num_signals_ = 0;
};

}  // namespace

WfdbHeader parse_wfdb_header(std::string_view text, const std::string& path) {
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);  // UTF-8 BOM (Windows editors)
  return HeaderParser(text, path).parse();
}

WfdbHeader read_wfdb_header(const std::filesystem::path& record) {
  std::filesystem::path path = record;
  path += ".hea";
  return parse_wfdb_header(read_text_file(path, kMaxWfdbHeaderBytes), path.string());
}

}  // namespace physiolite::io
