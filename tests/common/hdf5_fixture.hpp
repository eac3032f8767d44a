// Writing HDF5 test fixtures with the raw C API, so that bad files are made independently of the
// readers and writers under test. Header-only: only the tests that link HDF5 include it.
#pragma once

#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/error_message.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::testing {

// A fixture frozen under tests/golden/ by its gen_*.py generator.
inline std::filesystem::path golden(const char* name) {
  return std::filesystem::path(PHYSIOLITE_TEST_SOURCE_DIR) / "golden" / name;
}

// Adds one dataset to `path` (created if absent) holding `values` (read as `mem_type`); without
// values it is only declared: chunked, nothing stored (reads give the fill value 0), so a huge
// declared shape costs no disk.
inline void add_dataset(const std::filesystem::path& path, const char* name, hid_t file_type,
                        std::vector<hsize_t> dims, hid_t mem_type = H5I_INVALID_HID,
                        const void* values = nullptr) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hid_t file = std::filesystem::exists(path)
                   ? H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)
                   : H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
  if (values == nullptr) {
    std::vector<hsize_t> chunk(dims.size(), 1);
    H5Pset_chunk(plist, static_cast<int>(chunk.size()), chunk.data());
  }
  hid_t set = H5Dcreate2(file, name, file_type, space, H5P_DEFAULT, plist, H5P_DEFAULT);
  ASSERT_GE(set, 0);
  if (values != nullptr) {
    ASSERT_GE(H5Dwrite(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), 0);
  }
  H5Dclose(set);
  H5Pclose(plist);
  H5Sclose(space);
  H5Fclose(file);
}

}  // namespace physiolite::testing
