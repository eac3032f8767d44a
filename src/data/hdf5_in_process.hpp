// The HDF5 readers themselves (internal header). They call libhdf5 on outside files, which can
// crash, hang or leak on forged ones, so the public read_hdf5_windows, count_hdf5_windows and
// read_hdf5_signals run them only inside an isolated child process (hdf5_isolated.cpp); nothing
// else should call them.
#pragma once

#include <cstdint>
#include <filesystem>

#include "physiolite/data/hdf5_signals.hpp"
#include "physiolite/data/hdf5_windows.hpp"

namespace physiolite::data::detail {

int64_t count_hdf5_windows_in_process(const std::filesystem::path& path);
WindowSet read_hdf5_windows_in_process(const std::filesystem::path& path,
                                       const Hdf5ReadOptions& options);
Hdf5Signals read_hdf5_signals_in_process(const std::filesystem::path& path);

}  // namespace physiolite::data::detail
