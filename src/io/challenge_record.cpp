#include "physiolite/io/challenge_record.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "physiolite/core/error.hpp"
#include "physiolite/io/mat_file.hpp"

namespace physiolite::io {

namespace fs = std::filesystem;

std::vector<fs::path> list_header_files(const fs::path& dir) {
  if (!fs::is_directory(dir)) {
    throw InputError(InputLocation::file(dir.string()), "folder",
                     "a folder of WFDB .hea/.mat record pairs", "no such folder");
  }
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".hea") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> header_dx_codes(const WfdbHeader& header, const fs::path& hea) {
  for (const auto& comment : header.comments) {
    std::string_view c = comment;
    while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
    if (c.substr(0, 3) != "Dx:") continue;
    c.remove_prefix(3);
    std::vector<std::string> codes;
    size_t begin = 0;
    while (begin <= c.size()) {
      size_t end = c.find(',', begin);
      if (end == std::string_view::npos) end = c.size();
      std::string_view token = c.substr(begin, end - begin);
      while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
        token.remove_prefix(1);
      while (!token.empty() &&
             (token.back() == ' ' || token.back() == '\r' || token.back() == '\t'))
        token.remove_suffix(1);
      if (!token.empty()) codes.emplace_back(token);
      begin = end + 1;
    }
    return codes;
  }
  throw InputError(InputLocation::file(hea.string()), "#Dx",
                   "a comment line '#Dx: <SNOMED code>[,<code>...]'", "no #Dx line");
}

ChallengeRecord read_challenge_record(const fs::path& hea, int leads, double fs_hz) {
  fs::path record = hea;
  record.replace_extension();
  ChallengeRecord r;
  r.header = read_wfdb_header(record);
  r.dx = header_dx_codes(r.header, hea);
  if (r.header.fs_hz != fs_hz) {
    throw InputError(InputLocation::at_line(hea.string(), 1), "sampling frequency",
                     fmt::format("{} Hz", fs_hz), fmt::format("{} Hz", r.header.fs_hz));
  }
  if (r.header.signals.empty()) {
    throw InputError(InputLocation::at_line(hea.string(), 1), "signals",
                     fmt::format("{} signal lines", leads), "none");
  }
  const fs::path mat = hea.parent_path() / r.header.signals[0].file_name;
  const MatFile file = read_mat_file(mat, {"val"});
  const MatArray& val = require_mat_array(file, "val", mat);
  if (val.rows < leads) {
    throw InputError(InputLocation::file(mat.string()), "val",
                     fmt::format("a matrix of at least {} leads (rows)", leads),
                     fmt::format("{} x {}", val.rows, val.cols));
  }
  if (r.header.num_samples >= 0 && r.header.num_samples != val.cols) {
    throw InputError(InputLocation::file(mat.string()), "val",
                     fmt::format("{} samples per lead, as {} says", r.header.num_samples,
                                 hea.filename().string()),
                     fmt::format("{}", val.cols));
  }
  r.val.assign(static_cast<size_t>(leads), std::vector<float>(static_cast<size_t>(val.cols)));
  for (int64_t c = 0; c < val.cols; ++c) {
    for (int l = 0; l < leads; ++l)
      r.val[static_cast<size_t>(l)][static_cast<size_t>(c)] = static_cast<float>(val.at(l, c));
  }
  return r;
}

}  // namespace physiolite::io
