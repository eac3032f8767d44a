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

TEST(Hdf5Limits, AHugeDeclaredWindowsShapeIsRefusedBeforeAllocating) {
  testing::TempDir dir;
  const auto path = dir / "huge.h5";
  // 2^20 windows x 16 channels x 64 samples = 2^30 values (4 GiB as float32), in a tiny file.
  testing::add_dataset(path, "data", H5T_IEEE_F32LE, {hsize_t{1} << 20, 16, 64});
  testing::add_dataset(path, "label", H5T_STD_I64LE, {hsize_t{1} << 20});
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
  testing::add_dataset(path, "signals", H5T_IEEE_F64LE, {hsize_t{1} << 28, 2});
  const std::string what = message_of<InputError>([&] { read_hdf5_signals(path); });
  EXPECT_NE(what.find("expected at most 268435456 values"), std::string::npos) << what;
}

}  // namespace
}  // namespace physiolite::data
