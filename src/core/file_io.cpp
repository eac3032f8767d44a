#include "physiolite/core/file_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "physiolite/core/error.hpp"

namespace physiolite {

namespace {

enum class Overflow { kRefuse, kTruncate };

// fstat on the open descriptor, not stat on the name: the file checked is the file read. O_NONBLOCK
// so that opening a FIFO without a writer does not hang before it is refused.
template <typename Buffer>
Buffer read_bounded(const std::filesystem::path& path, uint64_t max_bytes, Overflow overflow) {
  const auto where = InputLocation::file(path.string());
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw InputError(where, "file", "an existing readable file", std::strerror(errno));
  std::unique_ptr<FILE, int (*)(FILE*)> file(::fdopen(fd, "rb"), &std::fclose);
  if (!file) {
    ::close(fd);
    throw InputError(where, "file", "a readable file", std::strerror(errno));
  }
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    throw InputError(where, "file", "a readable file", std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) {
    throw InputError(where, "file", "a regular file",
                     S_ISDIR(info.st_mode)    ? "a directory"
                     : S_ISFIFO(info.st_mode) ? "a FIFO (pipe)"
                     : S_ISCHR(info.st_mode)  ? "a character device"
                     : S_ISBLK(info.st_mode)  ? "a block device"
                                              : "not a regular file");
  }
  const auto size = static_cast<uint64_t>(info.st_size);
  if (size > max_bytes && overflow == Overflow::kRefuse) {
    throw InputError(where, "file size", fmt::format("at most {} bytes", max_bytes),
                     fmt::format("{} bytes", size));
  }
  Buffer buffer;
  buffer.reserve(static_cast<size_t>(std::min(size, max_bytes)));
  char chunk[1 << 16];
  // The file may grow while it is read: never take more than the cap.
  while (buffer.size() < max_bytes) {
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(sizeof chunk, max_bytes - buffer.size()));
    const size_t got = std::fread(chunk, 1, want, file.get());
    if (got == 0) break;
    buffer.insert(buffer.end(), chunk, chunk + got);
  }
  if (std::ferror(file.get())) {
    throw InputError(where, "file", "a readable file", std::strerror(errno));
  }
  if (overflow == Overflow::kRefuse && buffer.size() == max_bytes &&
      std::fgetc(file.get()) != EOF) {
    throw InputError(where, "file size", fmt::format("at most {} bytes", max_bytes),
                     "a file that grew past that while it was read");
  }
  return buffer;
}

}  // namespace

std::vector<uint8_t> read_file_bytes(const std::filesystem::path& path, uint64_t max_bytes) {
  return read_bounded<std::vector<uint8_t>>(path, max_bytes, Overflow::kRefuse);
}

std::string read_text_file(const std::filesystem::path& path, uint64_t max_bytes) {
  return read_bounded<std::string>(path, max_bytes, Overflow::kRefuse);
}

std::vector<uint8_t> read_file_prefix(const std::filesystem::path& path, uint64_t max_bytes) {
  return read_bounded<std::vector<uint8_t>>(path, max_bytes, Overflow::kTruncate);
}

}  // namespace physiolite
