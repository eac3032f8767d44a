// PTB-XL's metadata as PhysioNet publishes it (ptb-xl/1.0.x): `ptbxl_database.csv`, one row per
// ECG with its SCP statements as a Python dict string ("{'NORM': 100.0, 'SR': 0.0}") and its
// stratified fold, and `scp_statements.csv`, one row per SCP code (first, unnamed column) with
// `diagnostic` (1.0 for diagnostic statements) and `diagnostic_class` (NORM, MI, STTC, CD, HYP).
// The signals are WFDB records (records500/NNNNN/NNNNN_hr) read with io/wfdb.hpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace physiolite::io {

struct PtbxlRow {
  int64_t ecg_id = 0;
  int strat_fold = 0;
  std::string filename_hr;  // record path relative to the dataset folder, without extension
  std::vector<std::pair<std::string, double>> scp_codes;  // code, likelihood (0-100)
  int64_t line = 0;                                       // in the CSV, for messages
};

struct ScpStatements {
  std::set<std::string> codes;                          // every code of the file
  std::map<std::string, std::string> diagnostic_class;  // rows with diagnostic == 1 only
};

// Rows in file order. InputError naming the file, line and column for a missing column, a bad
// number or an scp_codes field that is not a {'CODE': number, ...} dict.
std::vector<PtbxlRow> read_ptbxl_database(const std::filesystem::path& csv);
ScpStatements read_scp_statements(const std::filesystem::path& csv);

// The scp_codes dict string; `where` ("file:line") only for messages.
std::vector<std::pair<std::string, double>> parse_scp_codes(std::string_view text,
                                                            const std::string& where);

// CSV rows of a whole file, a quoted field may span lines (RFC 4180). Returns the header's
// fields and every later row with its first line number.
struct CsvRows {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;
};
CsvRows read_csv_rows(const std::filesystem::path& csv);
// Index of column `name` in the header; InputError naming the file and column when absent.
size_t require_csv_column(const CsvRows& rows, const std::string& name,
                          const std::filesystem::path& csv);

}  // namespace physiolite::io
