#include "physiolite/core/file_io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "physiolite/core/error.hpp"

namespace physiolite {

namespace {
template <typename Buffer>
Buffer read_whole(const std::filesystem::path& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    throw InputError(InputLocation::file(path.string()), "file", "an existing readable file",
                     std::strerror(errno));
  }
  Buffer buffer;
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (!ec) buffer.reserve(size);
  char chunk[1 << 16];
  size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file.get())) > 0) {
    buffer.insert(buffer.end(), chunk, chunk + got);
  }
  if (std::ferror(file.get())) {
    throw InputError(InputLocation::file(path.string()), "file", "a readable file",
                     std::strerror(errno));
  }
  return buffer;
}
}  // namespace

std::vector<uint8_t> read_file_bytes(const std::filesystem::path& path) {
  return read_whole<std::vector<uint8_t>>(path);
}

std::string read_text_file(const std::filesystem::path& path) {
  return read_whole<std::string>(path);
}

}  // namespace physiolite
