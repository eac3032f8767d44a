// Write-then-rename, so that a failed or interrupted write never leaves a half-written output.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>

namespace physiolite {

// Owns a temporary file next to `final_path`. commit() renames it into place; destruction without
// commit() deletes it. For writers that need a path (HDF5), use temp_path().
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::filesystem::path& temp_path() const { return temp_path_; }
  const std::filesystem::path& final_path() const { return final_path_; }
  void commit();

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  bool committed_ = false;
};

// Streams `write` into a temporary file and renames it to `path` once `write` returned and the
// stream is flushed without error. Throws physiolite::Error on I/O failure.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write);

}  // namespace physiolite
