// WindowSet <-> HDF5, in the layout the reference's data-prep scripts write and its trainer reads,
// so that users can bring PTB-XL / CPSC / Chapman / NinaPro windows they prepared with h5py.
//
// Datasets (N windows, C channels, T samples):
//   data            (N, C, T)  float32 or float64 (read as float32); every value finite
//   label           (N)        single-label: any integer type, or float holding whole numbers, >= 0
//                   (N, K)     multi-hot: integer, boolean (h5py's enum) or float, every value 0 or
//                   1
//   side            (N, S)     optional, float; attribute `names` (S strings, optional)
//   source          (N)        optional, variable-length or fixed-length strings
//   begin_sample    (N)        optional, any integer type
//   teacher_logits  (N, K)     optional, float16, float32 or float64 (read as float32), finite
// Root attributes (optional): `fs_hz` (a number), `class_names` (strings; K of them when
// multi-hot).
//
// The writer stores data and side as float32, label and begin_sample as int64, strings as
// variable-length UTF-8, and teacher_logits as float32; it writes through a temporary file that is
// renamed into place, so a failed write leaves nothing. Readers report every problem as an
// InputError naming the file, the dataset or attribute, what was expected and what was found; the
// HDF5 library's own error printing is switched off. Every read runs in a child process with a
// deadline (PHYSIOLITE_HDF5_TIMEOUT, docs/limits.md), so a file on which libhdf5 crashes or hangs
// is an InputError too.
#pragma once

#include <cstdint>
#include <filesystem>

#include "physiolite/data/window_set.hpp"

namespace physiolite::data {

struct Hdf5ReadOptions {
  // Rows [begin_row, end_row) are read with hyperslab selections, so a slice of a large file
  // costs only its own size. end_row = -1 means to the end.
  int64_t begin_row = 0;
  int64_t end_row = -1;
  // If set, `teacher_logits` is read from this file (the reference's dump_logits.py writes it
  // separately) instead of the windows file; its row count must equal the windows file's N.
  std::filesystem::path teacher_logits_file;
};

// N (rows of `data`) without reading the windows. Throws InputError like read_hdf5_windows.
int64_t count_hdf5_windows(const std::filesystem::path& path);

// Throws InputError for a missing or non-HDF5 file and for any dataset or attribute that does not
// match the layout above; UsageError for a row range outside [0, N].
WindowSet read_hdf5_windows(const std::filesystem::path& path, const Hdf5ReadOptions& options = {});

// Throws physiolite::Error if HDF5 cannot create or write the file (nothing is left behind).
void write_hdf5_windows(const std::filesystem::path& path, const WindowSet& windows);

}  // namespace physiolite::data
