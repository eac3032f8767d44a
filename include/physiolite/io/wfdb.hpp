// WFDB records: header (.hea), signal files (.dat) and the physical view of a signal.
//
// A record is named by its path without extension, as the WFDB tools take it ("mitdb/100").
// Readers validate everything and throw physiolite::InputError naming the file, the line or byte
// offset, the field and what was expected. After reading, a Record is trusted.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "physiolite/dsp/signal.hpp"

namespace physiolite::io {

// One signal line of a header: `file format[xspf][:skew][+offset] gain(baseline)/units adcres
// adczero initval checksum blocksize description`.
struct WfdbSignalSpec {
  std::string file_name;
  int format = 0;
  int samples_per_frame = 1;
  int skew = 0;
  int64_t byte_offset = 0;
  double adc_gain = 200.0;  // ADC units per physical unit (a gain of 0 in the file means 200)
  bool gain_given = false;
  int baseline = 0;  // digital value of physical zero (defaults to adc_zero)
  std::string units = "mV";
  int adc_resolution = 0;  // bits; 0 = not given
  int adc_zero = 0;
  std::optional<int> initial_value;
  std::optional<int> checksum;  // 16-bit sum of all samples, as stored
  int block_size = 0;
  std::string description;
};

// One line of a multi-segment layout header: a segment record name ("~" = a gap) and its length.
struct WfdbSegment {
  std::string name;
  int64_t num_samples = 0;
};

struct WfdbHeader {
  std::string record_name;
  int num_segments = 0;          // > 0 for a multi-segment layout header
  double fs_hz = 250.0;          // WFDB's default when the header omits it
  double counter_freq_hz = 0.0;  // 0 = not given
  double base_counter = 0.0;
  int64_t num_samples = -1;  // per signal; -1 = not given
  std::string base_time;     // as written, e.g. "13:05:00"
  std::string base_date;     // as written, e.g. "01/01/2000"
  std::vector<WfdbSignalSpec> signals;
  std::vector<WfdbSegment> segments;  // multi-segment records only
  std::vector<std::string> comments;  // text after '#', in file order
};

// Most signals a header may declare; the writer refuses more, so what it writes reads back.
inline constexpr int kMaxWfdbSignals = 4096;

// A baseline is a 32-bit integer in the reader, so the writer takes no more.
inline constexpr int64_t kMinWfdbBaseline = INT32_MIN;
inline constexpr int64_t kMaxWfdbBaseline = INT32_MAX;

// Largest header file read (docs/limits.md): 4096 signal lines and long comments fit easily.
inline constexpr uint64_t kMaxWfdbHeaderBytes = uint64_t{16} << 20;

// Parses header text (a leading UTF-8 byte-order mark is skipped). `path` is only used in error
// messages.
WfdbHeader parse_wfdb_header(std::string_view text, const std::string& path);
WfdbHeader read_wfdb_header(const std::filesystem::path& record);

struct WfdbReadOptions {
  int64_t begin_sample = 0;
  int64_t end_sample = -1;  // exclusive; -1 = to the end
  bool strict = false;      // checksum / initial-value mismatches: error instead of warning
  // Signal files and segments named with an absolute path or a ".." component (outside the
  // record's folder) are refused unless this is set. WFDB's own tools allow them; a header from
  // elsewhere should not make us read an arbitrary file.
  bool allow_outside_paths = false;
};

// InputError naming `header_path` and `field` unless `name` stays inside the record's folder
// (relative, no ".." component) or `allow` is set.
void check_inside_record_folder(const std::string& name, const std::string& header_path,
                                const char* field, bool allow);

struct WfdbRecord {
  WfdbHeader header;
  std::filesystem::path record_path;          // without extension
  int64_t begin_sample = 0;                   // of the stored slice, in samples of the whole record
  std::vector<std::vector<int32_t>> digital;  // [signal][sample], ADC units
  std::vector<std::string> warnings;          // e.g. a checksum mismatch when not strict

  int num_signals() const { return static_cast<int>(header.signals.size()); }
  int64_t num_samples() const {
    return digital.empty() ? 0 : static_cast<int64_t>(digital[0].size());
  }
  // Index of the signal whose description equals `name` ("MLII"), or -1.
  int find_signal(std::string_view name) const;
  // (digital - baseline) / gain, in the header's units; invalid-sample codes become NaN.
  dsp::Signal physical(int signal) const;
};

// Reads the header and every signal file of a record. Verifies sizes, and the checksum and
// initial value when the slice covers the whole record.
WfdbRecord read_wfdb_record(const std::filesystem::path& record,
                            const WfdbReadOptions& options = {});

}  // namespace physiolite::io
