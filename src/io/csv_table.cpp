#include "physiolite/io/csv_table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "physiolite/core/error.hpp"
#include "physiolite/io/text_lines.hpp"

namespace physiolite::io {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Hands the header line's fields to `on_header`, then every later non-empty row, split into
// fields and checked to have as many, to `on_row` with its line number.
template <typename Header, typename Row>
void read_rows(const std::filesystem::path& path, Header on_header, Row on_row) {
  TextLineReader reader(path);
  std::vector<std::string> header, fields;
  auto fail = [&](const std::string& field, const std::string& expected, const std::string& got) {
    throw InputError(InputLocation::at_line(path.string(), reader.line_number()), field, expected,
                     got);
  };
  auto first = reader.next_line();
  if (!first || !split_csv_line(*first, header) || header.empty() ||
      (header.size() == 1 && header[0].empty())) {
    fail("header", "a line naming the columns", first ? std::string(*first) : "an empty file");
  }
  for (auto& h : header) h = std::string(trim(h));
  on_header(header, [&](const std::string& field, const std::string& expected,
                        const std::string& got) { fail(field, expected, got); });
  while (auto line = reader.next_line()) {
    if (trim(*line).empty()) continue;
    if (!split_csv_line(*line, fields)) fail("row", "balanced quotes", std::string(*line));
    if (fields.size() != header.size()) {
      fail("row", fmt::format("{} fields as the header", header.size()),
           fmt::format("{} fields", fields.size()));
    }
    on_row(fields, reader.line_number());
  }
}

double parse_double(std::string_view text, bool* ok) {
  text = trim(text);
  if (text.empty() || text == "nan" || text == "NaN" || text == "NAN") {
    *ok = true;
    return std::numeric_limits<double>::quiet_NaN();
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  *ok = ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(value);
  return value;
}

template <typename T>
bool parse_integer(std::string_view text, T* value) {
  text = trim(text);
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

bool split_csv_line(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return !quoted;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

SignalTable read_signal_csv(const std::filesystem::path& path) {
  SignalTable table;
  size_t skip = 0;
  auto on_header = [&](const std::vector<std::string>& header, auto fail) {
    skip = header[0] == "sample" || header[0] == "time" ? 1 : 0;
    table.names.assign(header.begin() + static_cast<std::ptrdiff_t>(skip), header.end());
    if (table.names.empty()) fail("header", "at least one signal column", header[0]);
    for (const auto& name : table.names) {
      if (name.empty()) fail("header", "a name for every column", "an empty name");
    }
    table.columns.resize(table.names.size());
  };
  int64_t values = 0;
  auto on_row = [&](const std::vector<std::string>& fields, int64_t line) {
    values += static_cast<int64_t>(fields.size() - skip);
    if (values > kMaxCsvSignalValues) {
      throw InputError(InputLocation::at_line(path.string(), line), "rows",
                       fmt::format("at most {} values in all", kMaxCsvSignalValues),
                       "a longer table");
    }
    for (size_t c = skip; c < fields.size(); ++c) {
      bool ok = false;
      const double v = parse_double(fields[c], &ok);
      if (!ok) {
        throw InputError(InputLocation::at_line(path.string(), line),
                         fmt::format("column '{}'", table.names[c - skip]), "a number or nan",
                         fields[c]);
      }
      table.columns[c - skip].push_back(v);
    }
  };
  read_rows(path, on_header, on_row);
  return table;
}

std::vector<Annotation> read_annotation_csv(const std::filesystem::path& path) {
  std::vector<Annotation> out;
  enum Column { kSample, kSymbol, kSubtype, kChan, kNum, kAux, kColumns };
  constexpr const char* kNames[kColumns] = {"sample", "symbol", "subtype", "chan", "num", "aux"};
  int index[kColumns];
  std::fill(std::begin(index), std::end(index), -1);
  auto on_header = [&](const std::vector<std::string>& header, auto fail) {
    for (int c = 0; c < kColumns; ++c) {
      auto it = std::find(header.begin(), header.end(), kNames[c]);
      if (it != header.end()) index[c] = static_cast<int>(it - header.begin());
    }
    if (index[kSample] < 0 || index[kSymbol] < 0) {
      fail("header", "columns 'sample' and 'symbol' (subtype, chan, num, aux optional)",
           fmt::format("{}", fmt::join(header, ",")));
    }
  };
  auto on_row = [&](const std::vector<std::string>& fields, int64_t line) {
    auto fail = [&](int column, const char* expected) {
      throw InputError(InputLocation::at_line(path.string(), line),
                       fmt::format("column '{}'", kNames[column]), expected,
                       fields[static_cast<size_t>(index[column])]);
    };
    auto field = [&](int column) -> const std::string& {
      return fields[static_cast<size_t>(index[column])];
    };
    Annotation a;
    if (!parse_integer(field(kSample), &a.sample) || a.sample < 0) {
      fail(kSample, "a non-negative sample number");
    }
    a.code = annotation_code(trim(field(kSymbol)));
    if (a.code < 1) fail(kSymbol, "an annotation mnemonic (N, V, +, ...)");
    int* targets[] = {&a.subtype, &a.chan, &a.num};
    for (int c = kSubtype; c <= kNum; ++c) {
      if (index[c] >= 0 && !trim(field(c)).empty() &&
          !parse_integer(field(c), targets[c - kSubtype])) {
        fail(c, "an integer");
      }
    }
    if (index[kAux] >= 0) a.aux = field(kAux);
    out.push_back(std::move(a));
  };
  read_rows(path, on_header, on_row);
  return out;
}

}  // namespace physiolite::io
