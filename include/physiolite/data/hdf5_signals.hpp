// Continuous signals from an HDF5 file, for writing a WFDB record from arrays a user holds
// (`physiolite record write --input FILE.h5`). Two layouts are read:
//
//   signals   (S samples, C signals)   any float or integer type. Float values are physical
//                                      units with NaN for a missing sample; integers are read as
//                                      the same numbers (physical counts, or ADC units when the
//                                      caller treats them as digital).
//   data      (1, C, T)                the windows layout of hdf5_windows.hpp holding exactly
//                                      one window: C signals of T samples.
//
// `signals` is used when both exist. Optional attributes, looked up on the dataset and then on
// the file's root: `names` (C strings), `units` (C strings), `fs_hz` (one number > 0).
// Every problem is an InputError naming the file and the dataset or attribute: no such dataset,
// wrong rank, no signals, a type that is not a number, +-Inf, a names/units count that is not C,
// or a bad fs_hz. The file is parsed in a child process, like read_hdf5_windows' (a crash or hang
// of libhdf5 is an InputError too; docs/limits.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace physiolite::data {

struct Hdf5Signals {
  std::string dataset;             // "signals" or "data": the one read
  std::vector<std::string> names;  // C entries: the `names` attribute, else "ch0", "ch1", ...
  std::vector<std::string> units;  // the `units` attribute, or empty if absent
  double fs_hz = 0;                // the `fs_hz` attribute, 0 if absent
  bool integer = false;            // the dataset holds an integer type
  std::vector<std::vector<double>> samples;  // [signal][sample]
};

Hdf5Signals read_hdf5_signals(const std::filesystem::path& path);

// True for the extensions read as HDF5: .h5 and .hdf5 (any case).
bool is_hdf5_path(const std::filesystem::path& path);

}  // namespace physiolite::data
