// libFuzzer target: arbitrary bytes as an HDF5 windows file (read_hdf5_windows) and as an HDF5
// signal file (read_hdf5_signals, `record write --input x.h5`). The readers take a path, so the
// bytes go through one temporary file per process. Only InputError may escape.
#include <cstddef>
#include <cstdint>

#include "physiolite/core/error.hpp"
#include "physiolite/data/hdf5_signals.hpp"
#include "physiolite/data/hdf5_windows.hpp"
#include "temp_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path* path = write_temp_input(data, size, ".h5");
  if (path == nullptr) return 0;
  try {
    (void)physiolite::data::count_hdf5_windows(*path);
    (void)physiolite::data::read_hdf5_windows(*path);
  } catch (const physiolite::InputError&) {
  }
  try {
    (void)physiolite::data::read_hdf5_signals(*path);
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
