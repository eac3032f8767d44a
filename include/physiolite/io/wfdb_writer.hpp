// Writing WFDB records (header + one signal file in format 16 or 212) and MIT-format annotation
// files. Everything goes through temporary files that are renamed into place only when complete,
// so a failed write leaves no partial output. What these write, read_wfdb_record and
// read_annotations read back with the same digital values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "physiolite/io/annotation.hpp"
#include "physiolite/io/wfdb.hpp"

namespace physiolite::io {

// Header text for `header` (record line, one line per signal, then '#' comment lines).
std::string format_wfdb_header(const WfdbHeader& header);

// Writes `<record>.hea` and `<record>.dat`. `header` supplies fs, base time/date, comments and
// each signal's format (all the same: 16 or 212), samples per frame, gain, baseline, units, ADC
// resolution and zero, and description; the writer sets the record name, sample count, file
// name, initial value and checksum, and clears skew, byte offset and block size.
// `digital[s]` holds num_samples * samples_per_frame values of signal s, each within the
// format's range. Throws UsageError for inconsistent arguments (naming signal and sample) and
// physiolite::Error on I/O failure.
void write_wfdb_record(const std::filesystem::path& record, WfdbHeader header,
                       const std::vector<std::vector<int32_t>>& digital);
// The same with `<record>.<annotator>` (MIT format) too, unless `annotator` is empty: the three
// files are complete in temporaries before any is renamed into place, so a failure in any of
// them (bad annotation, full disk) replaces none of the record's existing files.
void write_wfdb_record(const std::filesystem::path& record, WfdbHeader header,
                       const std::vector<std::vector<int32_t>>& digital, std::string_view annotator,
                       std::span<const Annotation> annotations);

// round(physical * gain + baseline); NaN becomes the format's invalid-sample code. Throws
// InputError (location `source`, field `signal '<name>' sample <i>`) for a value that does not
// fit the format; the invalid code itself is reserved for NaN.
std::vector<int32_t> physical_to_digital(std::span<const double> physical,
                                         const WfdbSignalSpec& spec, const std::string& source);

// MIT-format bytes for annotations sorted by sample: SKIP before intervals over 1023 samples,
// SUB when subtype != 0, CHN / NUM when they change, AUX when aux is not empty (<= 255 bytes),
// then the zero terminator. Throws UsageError for unsorted samples or out-of-range fields.
std::vector<uint8_t> encode_annotations(std::span<const Annotation> annotations);
// Writes `<record>.<annotator>`.
void write_annotations(const std::filesystem::path& record, std::string_view annotator,
                       std::span<const Annotation> annotations);

}  // namespace physiolite::io
