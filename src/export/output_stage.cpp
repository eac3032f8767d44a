#include "physiolite/export/output_stage.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

#include "physiolite/core/error.hpp"

namespace physiolite::exporting {

namespace fs = std::filesystem;

OutputStage::OutputStage(fs::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec || !fs::is_directory(dir_) || ::access(dir_.c_str(), W_OK) != 0) {
    throw UsageError(fmt::format("-o {}: cannot create or write the output folder{}", dir_.string(),
                                 ec ? " (" + ec.message() + ")" : ""));
  }
  // Beside DIR, on the same file system, so that commit() renames.
  const fs::path parent = fs::absolute(dir_).lexically_normal().parent_path();
  std::string pattern =
      (parent /
       fmt::format(".{}.export-XXXXXX", fs::absolute(dir_).lexically_normal().filename().string()))
          .string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw UsageError(fmt::format("-o {}: cannot create a temporary folder in {}", dir_.string(),
                                 parent.string()));
  }
  temp_ = pattern;
}

OutputStage::~OutputStage() {
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

fs::path OutputStage::write(const std::string& file_name, const std::vector<uint8_t>& bytes) {
  std::ofstream out(staged(file_name), std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw Error(fmt::format("cannot write {}", staged(file_name).string()));
  return dir_ / file_name;
}

fs::path OutputStage::write(const std::string& file_name, const std::string& text) {
  return write(file_name, std::vector<uint8_t>(text.begin(), text.end()));
}

std::vector<fs::path> OutputStage::commit() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(temp_)) files.push_back(entry.path().filename());
  std::sort(files.begin(), files.end());
  std::vector<fs::path> out;
  for (const auto& name : files) {
    std::error_code ec;
    fs::rename(temp_ / name, dir_ / name, ec);
    if (ec) {
      throw Error(
          fmt::format("cannot move {} into {}: {}", name.string(), dir_.string(), ec.message()));
    }
    out.push_back(dir_ / name);
  }
  return out;
}

void check_file_stem(const std::string& name) {
  const bool ok =
      !name.empty() && name.front() != '.' && name.front() != '-' &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
  if (!ok) {
    throw UsageError(fmt::format(
        "--name '{}': expected a file stem of letters, digits, '-', '_' and '.'", name));
  }
}

}  // namespace physiolite::exporting
