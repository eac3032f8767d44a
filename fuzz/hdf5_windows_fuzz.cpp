// libFuzzer target: arbitrary bytes as an HDF5 windows file (count_hdf5_windows,
// read_hdf5_windows) and as an HDF5 signal file (read_hdf5_signals, `record write --input x.h5`).
// The readers take a path, so the bytes go through one temporary file per process. Only
// InputError may escape.
//
// This is the product path: each call parses the file in a child process (core/isolated.hpp), so
// libhdf5 1.10's own crashes, multi-minute hangs inside H5Fopen and leaks on mutated files end as
// an InputError here instead of a libFuzzer crash, timeout or leak report. What is fuzzed with
// coverage feedback is therefore the parent's side (process handling, reply framing and
// decoding, error forwarding); libFuzzer's coverage counters do not see the child, so the
// reader's and libhdf5's own branches are only reached by the mutations, not steered towards.
// The tests (tests/data) cover the readers' checks one by one.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "physiolite/core/error.hpp"
#include "physiolite/data/hdf5_signals.hpp"
#include "physiolite/data/hdf5_windows.hpp"
#include "temp_input.hpp"

// Inputs are at most 64 KiB (scripts/fuzz.sh), which libhdf5 parses in milliseconds: a child
// still running after 2 s is one of its hangs. Three calls per input stay inside libFuzzer's
// -timeout of 20 s.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("PHYSIOLITE_HDF5_TIMEOUT", "2", 0);
  return 0;
}

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
