// libFuzzer target: arbitrary bytes as an HDF5 windows file (read_hdf5_windows) and as an HDF5
// signal file (read_hdf5_signals, `record write --input x.h5`). The readers take a path, so the
// bytes go through one temporary file per process. Only InputError may escape.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "physiolite/core/error.hpp"
#include "physiolite/data/hdf5_signals.hpp"
#include "physiolite/data/hdf5_windows.hpp"

namespace {
const std::filesystem::path& temp_file() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("physiolite_hdf5_fuzz_" + std::to_string(getpid()) + ".h5");
  return path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& path = temp_file();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    (void)physiolite::data::count_hdf5_windows(path);
    (void)physiolite::data::read_hdf5_windows(path);
  } catch (const physiolite::InputError&) {
  }
  try {
    (void)physiolite::data::read_hdf5_signals(path);
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
