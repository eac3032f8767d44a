#include "physiolite/core/atomic_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <system_error>

#include "physiolite/core/error.hpp"

namespace physiolite {

namespace {
std::filesystem::path make_temp_name(const std::filesystem::path& final_path) {
  static std::atomic<unsigned> counter{0};
  auto name = fmt::format(".{}.tmp-{}-{}", final_path.filename().string(), ::getpid(), counter++);
  return final_path.parent_path() / name;
}
}  // namespace

AtomicFile::AtomicFile(std::filesystem::path final_path)
    : final_path_(std::move(final_path)), temp_path_(make_temp_name(final_path_)) {}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
  }
}

void AtomicFile::commit() {
  std::error_code ec;
  std::filesystem::rename(temp_path_, final_path_, ec);
  if (ec) {
    throw Error(fmt::format("cannot move {} into place as {}: {}", temp_path_.string(),
                            final_path_.string(), ec.message()));
  }
  committed_ = true;
}

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write) {
  AtomicFile file(path);
  {
    std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
    if (!out) throw Error(fmt::format("cannot create {}", file.temp_path().string()));
    write(out);
    out.flush();
    if (!out) throw Error(fmt::format("write failed for {}", path.string()));
  }
  file.commit();
}

}  // namespace physiolite
