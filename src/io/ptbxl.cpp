#include "physiolite/io/ptbxl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <system_error>

#include "physiolite/core/error.hpp"
#include "physiolite/io/csv_table.hpp"
#include "physiolite/io/text_lines.hpp"

namespace physiolite::io {

namespace {

std::string quote(std::string_view text) {
  constexpr size_t kMax = 60;
  return text.size() <= kMax ? std::string(text) : std::string(text.substr(0, kMax)) + "…";
}

bool parse_double(std::string_view s, double& v) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

CsvRows read_csv_rows(const std::filesystem::path& csv) {
  TextLineReader reader(csv);
  CsvRows out;
  std::string pending;
  int64_t first_line = 0;
  std::vector<std::string> fields;
  while (auto line = reader.next_line()) {
    if (pending.empty()) {
      first_line = reader.line_number();
      pending.assign(*line);
    } else {
      pending += '\n';
      pending += *line;
    }
    if (!split_csv_line(pending, fields)) continue;  // a quoted field goes on
    if (out.header.empty()) {
      out.header = fields;
    } else if (!(fields.size() == 1 && fields[0].empty())) {
      if (fields.size() != out.header.size()) {
        throw InputError(
            InputLocation::at_line(csv.string(), first_line), "row",
            fmt::format("{} comma-separated fields as in the header", out.header.size()),
            fmt::format("{} fields", fields.size()));
      }
      out.rows.push_back(fields);
      out.lines.push_back(first_line);
    }
    pending.clear();
  }
  if (!pending.empty()) {
    throw InputError(InputLocation::at_line(csv.string(), first_line), "row", "a closing quote",
                     "end of file inside a quoted field");
  }
  if (out.header.empty()) {
    throw InputError(InputLocation::file(csv.string()), "header", "a header line of column names",
                     "an empty file");
  }
  return out;
}

size_t require_csv_column(const CsvRows& rows, const std::string& name,
                          const std::filesystem::path& csv) {
  for (size_t i = 0; i < rows.header.size(); ++i) {
    if (rows.header[i] == name) return i;
  }
  throw InputError(InputLocation::at_line(csv.string(), 1), name,
                   fmt::format("a column named '{}'", name), "no such column in the header");
}

std::vector<std::pair<std::string, double>> parse_scp_codes(std::string_view text,
                                                            const std::string& where) {
  auto fail = [&](const std::string& what) -> void {
    throw InputError(InputLocation::file(where), "scp_codes",
                     fmt::format("a dict like {{'NORM': 100.0, 'SR': 0.0}} ({})", what),
                     quote(text));
  };
  std::vector<std::pair<std::string, double>> out;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  skip_space();
  if (i >= text.size() || text[i] != '{') fail("no opening brace");
  ++i;
  skip_space();
  if (i < text.size() && text[i] == '}') return out;
  while (true) {
    skip_space();
    if (i >= text.size() || (text[i] != '\'' && text[i] != '"')) fail("a quoted code");
    const char q = text[i++];
    const size_t close = text.find(q, i);
    if (close == std::string_view::npos || close == i) fail("a non-empty quoted code");
    std::string code(text.substr(i, close - i));
    i = close + 1;
    skip_space();
    if (i >= text.size() || text[i] != ':') fail("':' after the code");
    ++i;
    const size_t end = text.find_first_of(",}", i);
    if (end == std::string_view::npos) fail("a closing brace");
    double likelihood = 0;
    if (!parse_double(text.substr(i, end - i), likelihood)) fail("a number after " + code);
    // A repeated key keeps its first place and takes the last value, as a Python dict does.
    auto same =
        std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == code; });
    if (same != out.end()) {
      same->second = likelihood;
    } else {
      out.emplace_back(std::move(code), likelihood);
    }
    i = end + 1;
    if (text[end] == '}') break;
  }
  skip_space();
  if (i != text.size()) fail("nothing after the closing brace");
  return out;
}

std::vector<PtbxlRow> read_ptbxl_database(const std::filesystem::path& csv) {
  const CsvRows rows = read_csv_rows(csv);
  const size_t id_col = require_csv_column(rows, "ecg_id", csv);
  const size_t scp_col = require_csv_column(rows, "scp_codes", csv);
  const size_t fold_col = require_csv_column(rows, "strat_fold", csv);
  const size_t file_col = require_csv_column(rows, "filename_hr", csv);
  std::vector<PtbxlRow> out;
  out.reserve(rows.rows.size());
  for (size_t r = 0; r < rows.rows.size(); ++r) {
    const auto& f = rows.rows[r];
    const int64_t line = rows.lines[r];
    const std::string where = fmt::format("{}:{}", csv.string(), line);
    PtbxlRow row;
    row.line = line;
    double id = 0, fold = 0;
    if (!parse_double(f[id_col], id) || id != static_cast<int64_t>(id)) {
      throw InputError(InputLocation::at_line(csv.string(), line), "ecg_id", "an integer",
                       quote(f[id_col]));
    }
    // pandas writes the fold as an integer; a float column ("3.0") is accepted as well.
    if (!parse_double(f[fold_col], fold) || fold != static_cast<int>(fold) || fold < 1 ||
        fold > 10) {
      throw InputError(InputLocation::at_line(csv.string(), line), "strat_fold",
                       "an integer from 1 to 10", quote(f[fold_col]));
    }
    if (f[file_col].empty()) {
      throw InputError(InputLocation::at_line(csv.string(), line), "filename_hr",
                       "a record path like records500/00000/00001_hr", "an empty field");
    }
    row.ecg_id = static_cast<int64_t>(id);
    row.strat_fold = static_cast<int>(fold);
    row.filename_hr = f[file_col];
    row.scp_codes = parse_scp_codes(f[scp_col], where);
    out.push_back(std::move(row));
  }
  return out;
}

ScpStatements read_scp_statements(const std::filesystem::path& csv) {
  const CsvRows rows = read_csv_rows(csv);
  const size_t diag_col = require_csv_column(rows, "diagnostic", csv);
  const size_t class_col = require_csv_column(rows, "diagnostic_class", csv);
  ScpStatements out;
  for (size_t r = 0; r < rows.rows.size(); ++r) {
    const auto& f = rows.rows[r];
    // The code is the first, unnamed column (pandas' index).
    if (f[0].empty()) {
      throw InputError(InputLocation::at_line(csv.string(), rows.lines[r]), "code (column 1)",
                       "an SCP code", "an empty field");
    }
    out.codes.insert(f[0]);
    double diagnostic = 0;
    if (!f[diag_col].empty() && !parse_double(f[diag_col], diagnostic)) {
      throw InputError(InputLocation::at_line(csv.string(), rows.lines[r]), "diagnostic",
                       "1.0 or an empty field", quote(f[diag_col]));
    }
    if (diagnostic == 1.0) out.diagnostic_class[f[0]] = f[class_col];
  }
  return out;
}

}  // namespace physiolite::io
