// WFDB record writer: one interleaved signal file (format 16 or 212) and its header.
#include "physiolite/io/wfdb_writer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <optional>

#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/io/wfdb_signal.hpp"

namespace physiolite::io {

namespace {

// Same definition as the reader's check: the 16-bit wrap-around sum, as a signed value.
int checksum16(const std::vector<int32_t>& samples) {
  uint32_t sum = 0;
  for (int32_t v : samples) sum += static_cast<uint32_t>(v);
  return static_cast<int16_t>(static_cast<uint16_t>(sum & 0xFFFF));
}

std::string format_record_line(const WfdbHeader& h) {
  std::string line = fmt::format("{} {} {}", h.record_name, h.signals.size(), h.fs_hz);
  if (h.counter_freq_hz > 0) {
    line += fmt::format("/{}", h.counter_freq_hz);
    if (h.base_counter != 0) line += fmt::format("({})", h.base_counter);
  }
  line += fmt::format(" {}", h.num_samples);
  if (!h.base_time.empty()) {
    line += " " + h.base_time;
    if (!h.base_date.empty()) line += " " + h.base_date;
  }
  return line;
}

std::string format_signal_line(const WfdbSignalSpec& s) {
  std::string format = std::to_string(s.format);
  if (s.samples_per_frame != 1) format += fmt::format("x{}", s.samples_per_frame);
  if (s.skew != 0) format += fmt::format(":{}", s.skew);
  if (s.byte_offset != 0) format += fmt::format("+{}", s.byte_offset);
  std::string line = fmt::format("{} {} {}({})/{} {} {} {} {} {}", s.file_name, format, s.adc_gain,
                                 s.baseline, s.units, s.adc_resolution, s.adc_zero,
                                 s.initial_value.value_or(0), s.checksum.value_or(0), s.block_size);
  if (!s.description.empty()) line += " " + s.description;
  return line;
}

void write_stream(AtomicFile& file, const void* data, size_t size) {
  std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
  if (!out) throw Error(fmt::format("cannot create {}", file.temp_path().string()));
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.flush();
  if (!out) throw Error(fmt::format("write failed for {}", file.final_path().string()));
}

std::filesystem::path annotation_path(const std::filesystem::path& record,
                                      std::string_view annotator) {
  if (annotator.empty() || annotator.find_first_of("/ \t") != std::string_view::npos) {
    throw UsageError(
        fmt::format("annotator '{}': expected a file extension such as atr", excerpt(annotator)));
  }
  std::filesystem::path path = record;
  path += ".";
  path += annotator;
  return path;
}

void validate(const WfdbHeader& header, const std::vector<std::vector<int32_t>>& digital) {
  // The reader's limit, so that what is written can be read back.
  if (header.signals.size() > static_cast<size_t>(kMaxWfdbSignals)) {
    throw UsageError(
        fmt::format("write_wfdb_record: {} signals, the format's readers take at most {}",
                    header.signals.size(), kMaxWfdbSignals));
  }
  if (digital.size() != header.signals.size()) {
    throw UsageError(fmt::format("write_wfdb_record: {} signal specs but {} sample arrays",
                                 header.signals.size(), digital.size()));
  }
  if (!(header.fs_hz > 0)) throw UsageError("write_wfdb_record: fs_hz must be positive");
  int64_t frames = -1;
  for (size_t s = 0; s < digital.size(); ++s) {
    const auto& spec = header.signals[s];
    if (!is_writable_wfdb_format(spec.format)) {
      throw UsageError(
          fmt::format("signal {}: format {} cannot be written (16 or 212)", s, spec.format));
    }
    if (spec.format != header.signals.front().format) {
      throw UsageError("write_wfdb_record: every signal of one file needs the same format");
    }
    if (spec.samples_per_frame < 1 || digital[s].size() % spec.samples_per_frame != 0) {
      throw UsageError(fmt::format("signal {}: {} samples is not a whole number of frames", s,
                                   digital[s].size()));
    }
    const auto n = static_cast<int64_t>(digital[s].size()) / spec.samples_per_frame;
    if (frames >= 0 && n != frames) {
      throw UsageError(fmt::format("signal {} has {} frames, signal 0 has {}", s, n, frames));
    }
    frames = n;
    if (!(spec.adc_gain > 0) || !std::isfinite(spec.adc_gain)) {
      throw UsageError(fmt::format("signal {}: gain must be a positive number", s));
    }
    if (spec.units.empty() || spec.units.find_first_of(" \t\n#") != std::string::npos ||
        spec.description.find_first_of("\n#") != std::string::npos) {
      throw UsageError(fmt::format("signal {}: units must be one word, description one line", s));
    }
    const int32_t lo = wfdb_min_value(spec.format), hi = wfdb_max_value(spec.format);
    for (size_t i = 0; i < digital[s].size(); ++i) {
      if (digital[s][i] < lo || digital[s][i] > hi) {
        throw UsageError(fmt::format("signal {} sample {}: {} is outside format {}'s [{}, {}]", s,
                                     i, digital[s][i], spec.format, lo, hi));
      }
    }
  }
}

}  // namespace

std::string format_wfdb_header(const WfdbHeader& header) {
  std::string text = format_record_line(header) + "\n";
  for (const auto& s : header.signals) text += format_signal_line(s) + "\n";
  for (const auto& c : header.comments) text += "# " + c + "\n";
  return text;
}

void write_wfdb_record(const std::filesystem::path& record, WfdbHeader header,
                       const std::vector<std::vector<int32_t>>& digital) {
  write_wfdb_record(record, std::move(header), digital, "", {});
}

void write_wfdb_record(const std::filesystem::path& record, WfdbHeader header,
                       const std::vector<std::vector<int32_t>>& digital, std::string_view annotator,
                       std::span<const Annotation> annotations) {
  validate(header, digital);
  const std::string stem = record.filename().string();
  if (stem.empty() || stem.find_first_of(" \t/") != std::string::npos) {
    throw UsageError(
        fmt::format("'{}' is not a record name (a path without extension)", record.string()));
  }
  header.record_name = stem;
  header.num_segments = 0;
  header.segments.clear();
  const int64_t frames = digital.empty() ? 0
                                         : static_cast<int64_t>(digital[0].size()) /
                                               header.signals[0].samples_per_frame;
  header.num_samples = frames;
  int frame_size = 0;
  for (size_t s = 0; s < digital.size(); ++s) {
    auto& spec = header.signals[s];
    spec.file_name = stem + ".dat";
    spec.skew = 0;
    spec.byte_offset = 0;
    spec.block_size = 0;
    spec.initial_value = digital[s].empty() ? 0 : digital[s].front();
    spec.checksum = checksum16(digital[s]);
    if (spec.adc_resolution == 0) spec.adc_resolution = spec.format == 16 ? 16 : 12;
    frame_size += spec.samples_per_frame;
  }

  // Interleave frames: each frame holds samples_per_frame values of every signal in turn.
  std::vector<int32_t> flat(static_cast<size_t>(frames * frame_size));
  size_t at = 0;
  for (int64_t f = 0; f < frames; ++f) {
    for (size_t s = 0; s < digital.size(); ++s) {
      const int spf = header.signals[s].samples_per_frame;
      for (int k = 0; k < spf; ++k) flat[at++] = digital[s][static_cast<size_t>(f * spf + k)];
    }
  }
  std::vector<uint8_t> bytes;
  if (!digital.empty()) encode_wfdb_values(header.signals[0].format, flat, bytes);

  std::filesystem::path hea_path = record, dat_path = record;
  hea_path += ".hea";
  dat_path += ".dat";
  const std::string text = format_wfdb_header(header);
  // Every file is complete in its temporary before the first rename, so a failure while encoding
  // or writing replaces none of them.
  std::optional<AtomicFile> atr;
  if (!annotator.empty()) {
    const std::vector<uint8_t> atr_bytes = encode_annotations(annotations);
    atr.emplace(annotation_path(record, annotator));
    write_stream(*atr, atr_bytes.data(), atr_bytes.size());
  }
  AtomicFile dat(dat_path), hea(hea_path);
  write_stream(dat, bytes.data(), bytes.size());
  write_stream(hea, text.data(), text.size());
  if (atr) atr->commit();
  dat.commit();  // the header last: a record is only visible once its signals are in place
  hea.commit();
}

std::vector<int32_t> physical_to_digital(std::span<const double> physical,
                                         const WfdbSignalSpec& spec, const std::string& source) {
  const int32_t invalid = wfdb_invalid_sample(spec.format);
  const double lo = wfdb_min_value(spec.format) + 1.0, hi = wfdb_max_value(spec.format);
  std::vector<int32_t> out(physical.size());
  for (size_t i = 0; i < physical.size(); ++i) {
    const double x = physical[i];
    if (std::isnan(x)) {
      out[i] = invalid;
      continue;
    }
    const double d = std::round(x * spec.adc_gain + spec.baseline);
    if (!(d >= lo && d <= hi)) {
      throw InputError(InputLocation::file(source),
                       fmt::format("signal '{}' sample {}", spec.description, i),
                       fmt::format("a value that fits format {} with gain {} and baseline {} "
                                   "(digital {} to {})",
                                   spec.format, spec.adc_gain, spec.baseline, lo, hi),
                       fmt::format("{}", x));
    }
    out[i] = static_cast<int32_t>(d);
  }
  return out;
}

}  // namespace physiolite::io
