#include "physiolite/io/wfdb_text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "physiolite/core/error.hpp"
#include "physiolite/io/csv_table.hpp"
#include "physiolite/io/wfdb_signal.hpp"

namespace physiolite::io {

namespace {

// Collects output in a large buffer and hands it to stdio in big writes.
class Sink {
 public:
  explicit Sink(std::FILE* out) : out_(out) {}
  ~Sink() { flush(); }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  fmt::memory_buffer& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() > (1 << 20)) flush();
  }
  void flush() {
    if (buffer_.size() != 0 &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size()) {
      throw Error("cannot write the output (disk full or closed pipe?)");
    }
    buffer_.clear();
  }

 private:
  std::FILE* out_;
  fmt::memory_buffer buffer_;
};

std::string column_name(const WfdbRecord& record, int signal) {
  // Header text is never echoed raw: a description with terminal escape sequences in it is
  // written with its control characters as \xNN (core/error.hpp), as `record info` prints it.
  const auto& d = record.header.signals[static_cast<size_t>(signal)].description;
  return d.empty() ? fmt::format("signal{}", signal) : escape_controls(d);
}

}  // namespace

int64_t parse_sample_position(std::string_view text, double fs_hz, std::string_view flag) {
  auto bad = [&]() -> int64_t {
    throw UsageError(fmt::format("{} '{}': expected a sample number or hh:mm:ss.sss", flag, text));
  };
  if (text.find(':') == std::string_view::npos) {
    int64_t sample = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), sample);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || sample < 0) bad();
    return sample;
  }
  // Up to three fields; only the last (seconds) may have decimals; fields after the first < 60.
  double seconds = 0;
  size_t start = 0;
  for (int field = 0;; ++field) {
    const size_t colon = text.find(':', start);
    const bool last = colon == std::string_view::npos;
    std::string_view part = text.substr(start, last ? colon : colon - start);
    double value = 0;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (field > 2 || part.empty() || ec != std::errc() || ptr != part.data() + part.size() ||
        value < 0 || (!last && part.find('.') != std::string_view::npos) ||
        (field > 0 && value >= 60)) {
      bad();
    }
    seconds = seconds * 60 + value;
    if (last) break;
    start = colon + 1;
  }
  return static_cast<int64_t>(std::llround(seconds * fs_hz));
}

std::string format_elapsed(double seconds) {
  const auto ms = static_cast<int64_t>(std::llround(seconds * 1000));
  return fmt::format("{:02}:{:02}:{:02}.{:03}", ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60,
                     ms % 1000);
}

void write_samples_csv(const WfdbRecord& record, std::span<const int> signals, bool digital,
                       std::FILE* out) {
  Sink sink(out);
  auto& buf = sink.buffer();
  fmt::format_to(std::back_inserter(buf), "sample");
  for (int s : signals)
    fmt::format_to(std::back_inserter(buf), ",{}", csv_field(column_name(record, s)));
  buf.push_back('\n');
  struct Column {
    const int32_t* data;
    int spf;
    int32_t invalid;
    double baseline, gain;
  };
  std::vector<Column> columns;
  for (int s : signals) {
    const auto& spec = record.header.signals[static_cast<size_t>(s)];
    columns.push_back({record.digital[static_cast<size_t>(s)].data(), spec.samples_per_frame,
                       wfdb_invalid_sample(spec.format), static_cast<double>(spec.baseline),
                       spec.adc_gain});
  }
  const int64_t frames =
      record.num_samples() /
      (record.num_signals() > 0 ? record.header.signals[0].samples_per_frame : 1);
  for (int64_t f = 0; f < frames; ++f) {
    fmt::format_to(std::back_inserter(buf), "{}", record.begin_sample + f);
    for (const auto& c : columns) {
      const int32_t* v = c.data + f * c.spf;
      if (c.spf == 1 && digital) {
        fmt::format_to(std::back_inserter(buf), ",{}", v[0]);
        continue;
      }
      if (c.spf == 1) {
        if (v[0] == c.invalid) {
          fmt::format_to(std::back_inserter(buf), ",nan");
        } else {
          fmt::format_to(std::back_inserter(buf), ",{}", (v[0] - c.baseline) / c.gain);
        }
        continue;
      }
      double sum = 0;
      int valid = 0;
      for (int k = 0; k < c.spf; ++k) {
        if (v[k] != c.invalid) sum += v[k], ++valid;
      }
      if (valid == 0) {
        if (digital) {
          fmt::format_to(std::back_inserter(buf), ",{}", c.invalid);
        } else {
          fmt::format_to(std::back_inserter(buf), ",nan");
        }
      } else if (digital) {
        fmt::format_to(std::back_inserter(buf), ",{}", std::llround(sum / valid));
      } else {
        fmt::format_to(std::back_inserter(buf), ",{}", (sum / valid - c.baseline) / c.gain);
      }
    }
    buf.push_back('\n');
    sink.maybe_flush();
  }
}

void write_annotations_csv(std::span<const Annotation> annotations, double fs_hz, std::FILE* out) {
  Sink sink(out);
  auto& buf = sink.buffer();
  fmt::format_to(std::back_inserter(buf), "sample,time,symbol,subtype,chan,num,aux\n");
  for (const auto& a : annotations) {
    fmt::format_to(std::back_inserter(buf), "{},{:.3f},{},{},{},{},{}\n", a.sample,
                   static_cast<double>(a.sample) / fs_hz, csv_field(a.symbol()), a.subtype, a.chan,
                   a.num, csv_field(a.aux));
    sink.maybe_flush();
  }
}

}  // namespace physiolite::io
