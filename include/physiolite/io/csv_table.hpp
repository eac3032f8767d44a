// CSV in and out for `physiolite record`: signals as columns, annotations as rows.
// Fields are separated by commas; a field may be quoted ("a,b", "" for a quote), as RFC 4180.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "physiolite/io/annotation.hpp"

namespace physiolite::io {

// Splits one CSV line into fields. Returns false for an unterminated quote.
bool split_csv_line(std::string_view line, std::vector<std::string>& fields);
// The field as written to CSV: quoted when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view text);

// Signals held as columns: a header line naming each column, then one row per sample. A first
// column named `sample` or `time` is an index and is dropped. Empty fields and "nan" are NaN.
struct SignalTable {
  std::vector<std::string> names;
  std::vector<std::vector<double>> columns;  // [signal][sample]
};
// Most values a signal CSV may hold (docs/limits.md): 2^27 (1 GiB as doubles), e.g. 12 leads of
// a 24-hour recording at 500 Hz. A gzip-compressed file may expand far beyond its own size.
inline constexpr int64_t kMaxCsvSignalValues = int64_t{1} << 27;

// Throws InputError naming the file, line and column for a ragged row or a non-number, and the
// line where the table passes kMaxCsvSignalValues.
SignalTable read_signal_csv(const std::filesystem::path& path);

// Rows in the columns `record annotations` prints: sample and symbol are required; subtype, chan,
// num and aux are optional (0 / empty); other columns (time) are ignored.
std::vector<Annotation> read_annotation_csv(const std::filesystem::path& path);

}  // namespace physiolite::io
