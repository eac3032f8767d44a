// HDF5 files whose declared shape is huge: a chunked dataset with no chunk written stores nothing,
// so a few-KB file can declare 2^30 values. The readers refuse it by name before allocating.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <functional>
#include <string>
#include <vector>

#include "common/hdf5_fixture.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/hdf5_signals.hpp"
#include "physiolite/data/hdf5_windows.hpp"

namespace physiolite::data {
namespace {

using testing::message_of;

// An empty chunked dataset of shape `dims` (nothing stored, reads give the fill value 0).
void add_declared_dataset(const std::filesystem::path& path, const char* name, hid_t type,
                          std::vector<hsize_t> dims) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hid_t file = std::filesystem::exists(path)
                   ? H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)
                   : H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
  std::vector<hsize_t> chunk(dims.size(), 1);
  H5Pset_chunk(plist, static_cast<int>(chunk.size()), chunk.data());
  hid_t set = H5Dcreate2(file, name, type, space, H5P_DEFAULT, plist, H5P_DEFAULT);
  ASSERT_GE(set, 0);
  H5Dclose(set);
  H5Pclose(plist);
  H5Sclose(space);
  H5Fclose(file);
}

TEST(Hdf5Limits, AHugeDeclaredWindowsShapeIsRefusedBeforeAllocating) {
  testing::TempDir dir;
  const auto path = dir / "huge.h5";
  // 2^20 windows x 16 channels x 64 samples = 2^30 values (4 GiB as float32), in a tiny file.
  add_declared_dataset(path, "data", H5T_IEEE_F32LE, {hsize_t{1} << 20, 16, 64});
  add_declared_dataset(path, "label", H5T_STD_I64LE, {hsize_t{1} << 20});
  EXPECT_LT(std::filesystem::file_size(path), 100000u);
  EXPECT_EQ(count_hdf5_windows(path), int64_t{1} << 20);
  const std::string what = message_of<InputError>([&] { read_hdf5_windows(path); });
  EXPECT_NE(what.find("expected at most 268435456 values per read"), std::string::npos) << what;
  EXPECT_NE(what.find("1073741824 values"), std::string::npos) << what;
  // A slice within the cap still reads.
  Hdf5ReadOptions first_rows;
  first_rows.end_row = 4;
  const WindowSet part = read_hdf5_windows(path, first_rows);
  EXPECT_EQ(part.n, 4);
}

TEST(Hdf5Limits, AHugeDeclaredSignalsShapeIsRefusedBeforeAllocating) {
  testing::TempDir dir;
  const auto path = dir / "huge_signals.h5";
  add_declared_dataset(path, "signals", H5T_IEEE_F64LE, {hsize_t{1} << 28, 2});
  const std::string what = message_of<InputError>([&] { read_hdf5_signals(path); });
  EXPECT_NE(what.find("expected at most 268435456 values"), std::string::npos) << what;
}

}  // namespace
}  // namespace physiolite::data
