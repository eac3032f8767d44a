// libFuzzer target: a whole WFDB record through read_wfdb_record. The input is split as
//   [2 bytes LE: n] [2 bytes LE: m] [n bytes r.hea] [m bytes s.hea] [the rest: r.dat]
// and written to a per-process temporary directory, so a header can be a single-segment record
// over r.dat or a multi-segment one over segment `s` (and gaps `~`). Inputs whose headers name
// other files are skipped. Only InputError / UsageError may escape the reader.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "physiolite/core/error.hpp"
#include "physiolite/io/wfdb.hpp"

namespace {

const std::filesystem::path& work_dir() {
  static const std::filesystem::path dir = [] {
    std::string templ =
        (std::filesystem::temp_directory_path() / "wfdb_record_fuzz.XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) std::abort();
    return std::filesystem::path(templ);
  }();
  return dir;
}

void write(const std::string& name, std::string_view bytes) {
  std::ofstream out(work_dir() / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Whether every file the header names is one this target writes.
bool names_only_our_files(std::string_view text, const char* name) {
  try {
    const physiolite::io::WfdbHeader h = physiolite::io::parse_wfdb_header(text, name);
    for (const auto& s : h.signals) {
      if (s.file_name != "r.dat") return false;
    }
    for (const auto& s : h.segments) {
      if (s.name != "s" && s.name != "~") return false;
    }
    return true;
  } catch (const physiolite::InputError&) {
    return true;  // the reader reports it
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const size_t n = data[0] | (data[1] << 8), m = data[2] | (data[3] << 8);
  if (4 + n + m > size) return 0;
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::string_view header = all.substr(4, n), segment = all.substr(4 + n, m);
  if (!names_only_our_files(header, "r.hea") || !names_only_our_files(segment, "s.hea")) return 0;
  write("r.hea", header);
  write("s.hea", segment);
  write("r.dat", all.substr(4 + n + m));
  try {
    const physiolite::io::WfdbRecord record = physiolite::io::read_wfdb_record(work_dir() / "r");
    for (int s = 0; s < record.num_signals(); ++s) (void)record.physical(s);
  } catch (const physiolite::InputError&) {
  } catch (const physiolite::UsageError&) {
  }
  return 0;
}
