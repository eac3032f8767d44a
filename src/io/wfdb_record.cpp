// Reads a WFDB record: header, then each signal file, deinterleaved per signal, with skew and
// format-8 integration applied. Multi-segment records go through wfdb_segments.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/io/wfdb_signal.hpp"
#include "wfdb_record_detail.hpp"

namespace physiolite::io {

namespace {

// The signals stored together in one signal file, in header order.
struct SignalGroup {
  std::string file_name;
  std::vector<int> signals;
  int64_t frame_size = 0;  // values per frame (64-bit: thousands of signals x 10^6 spf)
};

std::vector<SignalGroup> group_by_file(const WfdbHeader& header) {
  std::vector<SignalGroup> groups;
  for (int s = 0; s < static_cast<int>(header.signals.size()); ++s) {
    const auto& spec = header.signals[static_cast<size_t>(s)];
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const SignalGroup& g) { return g.file_name == spec.file_name; });
    if (it == groups.end()) {
      groups.push_back({spec.file_name, {}, 0});
      it = std::prev(groups.end());
    }
    it->signals.push_back(s);
    it->frame_size += spec.samples_per_frame;
  }
  return groups;
}

// Bytes of the signal file the header's frames (plus the skewed tail) use, from the file's start;
// -1 when the count is not given, overflows, or exceeds kMaxBinaryFileBytes.
int64_t bytes_needed(const WfdbSignalSpec& first, int64_t frame_size, int64_t num_frames,
                     int max_skew) {
  int64_t frames = 0, values = 0;
  if (num_frames < 0 || __builtin_add_overflow(num_frames, int64_t{max_skew}, &frames) ||
      __builtin_mul_overflow(frames, frame_size, &values) ||
      values > std::numeric_limits<int64_t>::max() / 4) {
    return -1;
  }
  int64_t bytes = 0;
  if (__builtin_add_overflow(first.byte_offset, wfdb_bytes_for_values(first.format, values),
                             &bytes)) {
    return -1;
  }
  return bytes <= static_cast<int64_t>(kMaxBinaryFileBytes) ? bytes : -1;
}

void check_group(const WfdbHeader& header, const SignalGroup& group,
                 const std::string& header_path) {
  const auto& first = header.signals[static_cast<size_t>(group.signals.front())];
  for (int s : group.signals) {
    const auto& spec = header.signals[static_cast<size_t>(s)];
    if (!is_supported_wfdb_format(spec.format)) {
      throw InputError(InputLocation::file(header_path), fmt::format("signal {} format", s),
                       fmt::format("a format stored in a file ({})", supported_wfdb_formats()),
                       std::to_string(spec.format));
    }
    // One file has one format and one byte offset; WFDB takes them from its first signal.
    if (spec.format != first.format) {
      throw InputError(
          InputLocation::file(header_path), fmt::format("signal {} format", s),
          fmt::format("format {} like the other signals of {}", first.format, group.file_name),
          std::to_string(spec.format));
    }
  }
}

// 16-bit wrap-around sum, as WFDB stores it (a signed 16-bit value).
int32_t checksum16(const std::vector<int32_t>& samples) {
  uint32_t sum = 0;
  for (int32_t v : samples) sum += static_cast<uint32_t>(v);
  return static_cast<int16_t>(static_cast<uint16_t>(sum & 0xFFFF));
}

void verify_integrity(WfdbRecord& record, const std::string& dat_path, int signal, bool strict) {
  const auto& spec = record.header.signals[static_cast<size_t>(signal)];
  const auto& samples = record.digital[static_cast<size_t>(signal)];
  auto report = [&](const std::string& field, int32_t expected, int32_t found) {
    InputError e(InputLocation::file(dat_path), field,
                 fmt::format("{} as the header says", expected), std::to_string(found));
    if (strict) throw e;
    record.warnings.emplace_back(e.what());
  };
  // In format 8 the initial value is where integration starts, not a stored sample.
  if (spec.format != 8 && spec.initial_value && !samples.empty() &&
      samples.front() != *spec.initial_value) {
    report(fmt::format("signal {} initial value", signal), *spec.initial_value, samples.front());
  }
  if (spec.checksum) {
    int32_t expected = static_cast<int16_t>(static_cast<uint16_t>(*spec.checksum & 0xFFFF));
    int32_t found = checksum16(samples);
    if (found != expected) report(fmt::format("signal {} checksum", signal), expected, found);
  }
}

// Copies one signal's values out of the file's frames, `skew` frames later than its samples,
// integrating first differences for format 8. Samples past the file's end become invalid.
void extract_signal(const std::vector<int32_t>& values, int64_t file_frames, int64_t frame_size,
                    int64_t column, const WfdbSignalSpec& spec, int64_t num_frames,
                    std::vector<int32_t>& dst) {
  const int spf = spec.samples_per_frame;
  dst.assign(static_cast<size_t>(num_frames * spf), wfdb_invalid_sample(spec.format));
  const int64_t stored = std::clamp<int64_t>(file_frames - spec.skew, 0, num_frames);
  for (int64_t f = 0; f < stored; ++f) {
    const int32_t* src = values.data() + (f + spec.skew) * frame_size + column;
    std::copy(src, src + spf, dst.data() + f * spf);
  }
  if (spec.format == 8) {
    // Integration runs over the file from its first frame, so skipped (skewed) frames count too.
    int64_t level = spec.initial_value.value_or(spec.adc_zero);
    for (int64_t f = 0; f < std::min<int64_t>(spec.skew, file_frames); ++f) {
      for (int k = 0; k < spf; ++k)
        level += values[static_cast<size_t>(f * frame_size + column + k)];
    }
    for (int64_t i = 0; i < stored * spf; ++i) {
      level += dst[static_cast<size_t>(i)];
      dst[static_cast<size_t>(i)] = static_cast<int32_t>(level);
    }
  }
}

WfdbRecord read_single_segment(const std::filesystem::path& record, WfdbHeader header,
                               const WfdbReadOptions& options) {
  std::filesystem::path header_path = record;
  header_path += ".hea";
  WfdbRecord out;
  out.record_path = record;
  out.header = std::move(header);
  const auto groups = group_by_file(out.header);
  for (const auto& group : groups) check_group(out.header, group, header_path.string());

  out.digital.resize(out.header.signals.size());
  int64_t num_frames = out.header.num_samples;
  std::vector<int32_t> values;
  for (const auto& group : groups) {
    const auto& first = out.header.signals[static_cast<size_t>(group.signals.front())];
    int max_skew = 0;
    for (int s : group.signals) {
      max_skew = std::max(max_skew, out.header.signals[static_cast<size_t>(s)].skew);
    }
    check_inside_record_folder(group.file_name, header_path.string(), "signal file name",
                               options.allow_outside_paths);
    std::filesystem::path dat_path = record.parent_path() / group.file_name;
    // Read only what the header's sample count uses (a file may be far longer, or endless);
    // without a count, the whole file up to the binary cap.
    const int64_t needed = bytes_needed(first, group.frame_size, num_frames, max_skew);
    std::vector<uint8_t> bytes = needed >= 0
                                     ? read_file_prefix(dat_path, static_cast<uint64_t>(needed))
                                     : read_file_bytes(dat_path);
    const int64_t offset = first.byte_offset;
    const int64_t available_bytes =
        std::max<int64_t>(0, static_cast<int64_t>(bytes.size()) - offset);
    const int64_t available_frames =
        wfdb_values_in_bytes(first.format, available_bytes) / group.frame_size;
    if (num_frames < 0) num_frames = std::max<int64_t>(0, available_frames - max_skew);
    if (available_frames < num_frames) {
      // A forged sample count can overflow the byte count; then the message omits it.
      int64_t needed_values = 0;
      const bool countable =
          !__builtin_mul_overflow(num_frames, group.frame_size, &needed_values) &&
          needed_values <= std::numeric_limits<int64_t>::max() / 4;
      throw InputError(
          InputLocation::at_byte(dat_path.string(), static_cast<int64_t>(bytes.size())), "samples",
          fmt::format("{} samples per signal ({}from offset {}) as {} says", num_frames,
                      countable ? fmt::format("{} bytes ",
                                              wfdb_bytes_for_values(first.format, needed_values))
                                : "",
                      offset, header_path.filename().string()),
          fmt::format("a file that ends after {} samples", available_frames));
    }
    // Skewed signals reach up to max_skew frames further, as far as the file has them.
    const int64_t file_frames = std::min(available_frames, num_frames + max_skew);
    decode_wfdb_values(first.format,
                       std::span<const uint8_t>(bytes).subspan(
                           static_cast<size_t>(std::min<int64_t>(offset, std::ssize(bytes)))),
                       file_frames * group.frame_size, values);
    int64_t column = 0;
    for (int s : group.signals) {
      const auto& spec = out.header.signals[static_cast<size_t>(s)];
      extract_signal(values, file_frames, group.frame_size, column, spec, num_frames,
                     out.digital[static_cast<size_t>(s)]);
      column += spec.samples_per_frame;
      verify_integrity(out, dat_path.string(), s, options.strict);
    }
  }
  if (num_frames < 0) num_frames = 0;  // a record without signals

  const int64_t end = detail::check_sample_range(record, options, num_frames);
  if (options.begin_sample != 0 || end != num_frames) {
    for (size_t s = 0; s < out.digital.size(); ++s) {
      const int spf = out.header.signals[s].samples_per_frame;
      auto& d = out.digital[s];
      d = std::vector<int32_t>(d.begin() + options.begin_sample * spf, d.begin() + end * spf);
    }
  }
  out.begin_sample = options.begin_sample;
  return out;
}

}  // namespace

void check_inside_record_folder(const std::string& name, const std::string& header_path,
                                const char* field, bool allow) {
  if (allow) return;
  const std::filesystem::path p(name);
  bool climbs = p.is_absolute() || p.has_root_name() || p.has_root_directory();
  for (const auto& part : p) climbs = climbs || part == "..";
  if (climbs) {
    throw InputError(InputLocation::file(header_path), field,
                     "a name inside the record's folder (no absolute path, no '..'; "
                     "--allow-outside-paths reads it anyway)",
                     name);
  }
}

namespace detail {

int64_t check_sample_range(const std::filesystem::path& record, const WfdbReadOptions& options,
                           int64_t num_samples) {
  const int64_t end = options.end_sample < 0 ? num_samples : options.end_sample;
  if (options.begin_sample < 0 || options.begin_sample > num_samples ||
      end < options.begin_sample || end > num_samples) {
    throw UsageError(fmt::format("{}: sample range [{}, {}) is outside the record's {} samples",
                                 record.string(), options.begin_sample, end, num_samples));
  }
  return end;
}

}  // namespace detail

int WfdbRecord::find_signal(std::string_view name) const {
  for (int s = 0; s < num_signals(); ++s) {
    if (header.signals[static_cast<size_t>(s)].description == name) return s;
  }
  return -1;
}

dsp::Signal WfdbRecord::physical(int signal) const {
  PL_CHECK(signal >= 0 && signal < num_signals(), "signal index out of range");
  const auto& spec = header.signals[static_cast<size_t>(signal)];
  const auto& samples = digital[static_cast<size_t>(signal)];
  dsp::Signal out;
  out.fs_hz = header.fs_hz * spec.samples_per_frame;
  out.units = spec.units;
  out.name = spec.description;
  out.samples.resize(samples.size());
  const int32_t invalid = wfdb_invalid_sample(spec.format);
  for (size_t i = 0; i < samples.size(); ++i) {
    out.samples[i] = samples[i] == invalid ? std::numeric_limits<double>::quiet_NaN()
                                           : (samples[i] - spec.baseline) / spec.adc_gain;
  }
  return out;
}

WfdbRecord read_wfdb_record(const std::filesystem::path& record, const WfdbReadOptions& options) {
  WfdbHeader header = read_wfdb_header(record);
  if (header.num_segments > 0) {
    return detail::read_multi_segment_record(record, std::move(header), options);
  }
  return read_single_segment(record, std::move(header), options);
}

}  // namespace physiolite::io
