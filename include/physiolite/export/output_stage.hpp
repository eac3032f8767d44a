// Atomic output of an export: every file is written into a temporary folder beside DIR
// (DIR/../.DIR.export-XXXXXX), and commit() renames them into DIR at the end, so that an export
// that fails half-way leaves DIR as it was. The destructor removes the temporary folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace physiolite::exporting {

class OutputStage {
 public:
  // Creates DIR (and its parents) and the temporary folder; UsageError naming DIR when either
  // cannot be created or written (checked before any work is done).
  explicit OutputStage(std::filesystem::path dir);
  ~OutputStage();
  OutputStage(const OutputStage&) = delete;
  OutputStage& operator=(const OutputStage&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  // Path of `file_name` inside the temporary folder.
  std::filesystem::path staged(const std::string& file_name) const { return temp_ / file_name; }
  // Writes `bytes` to the temporary folder; returns the final path (DIR/file_name).
  std::filesystem::path write(const std::string& file_name, const std::vector<uint8_t>& bytes);
  std::filesystem::path write(const std::string& file_name, const std::string& text);
  // Renames every file of the temporary folder into DIR (same file system: each rename is
  // atomic); returns the final paths, sorted.
  std::vector<std::filesystem::path> commit();

 private:
  std::filesystem::path dir_;
  std::filesystem::path temp_;
};

// A file stem usable as a file name: letters, digits, '-', '_', '.' (not leading); UsageError
// naming --name otherwise.
void check_file_stem(const std::string& name);

}  // namespace physiolite::exporting
