#include "physiolite/data/hdf5_signals.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/hdf5_fixture.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::data {
namespace {

using testing::add_dataset;
using testing::golden;
using testing::TempDir;

// Expects reading `path` to fail naming the file and `field`, with `text` in the message.
void expect_input_error(const std::filesystem::path& path, const std::string& field,
                        const std::string& text) {
  try {
    read_hdf5_signals(path);
    ADD_FAILURE() << "no error for " << path;
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), field) << e.what();
    const std::string what = e.what();
    EXPECT_NE(what.find(path.string()), std::string::npos) << what;
    EXPECT_NE(what.find(text), std::string::npos) << what;
  }
}

// Values from tests/golden/gen_h5_signals.py.
TEST(Hdf5Signals, FloatSamplesNamesUnitsAndRateFromDatasetAttributes) {
  const Hdf5Signals s = read_hdf5_signals(golden("h5py_signals_physical.h5"));
  EXPECT_EQ(s.dataset, "signals");
  EXPECT_EQ(s.names, (std::vector<std::string>{"I", "II"}));
  EXPECT_EQ(s.units, (std::vector<std::string>{"mV", "uV"}));
  EXPECT_EQ(s.fs_hz, 250.0);
  EXPECT_FALSE(s.integer);
  ASSERT_EQ(s.samples.size(), 2u);
  EXPECT_EQ(s.samples[0], (std::vector<double>{0.5, 0.25, -0.125, 1.5}));
  ASSERT_EQ(s.samples[1].size(), 4u);
  EXPECT_EQ(s.samples[1][0], -1.0);
  EXPECT_TRUE(std::isnan(s.samples[1][1]));
  EXPECT_EQ(s.samples[1][2], 2.0);
  EXPECT_EQ(s.samples[1][3], 0.0);
}

TEST(Hdf5Signals, Int16CountsDefaultNamesAndRootRate) {
  const Hdf5Signals s = read_hdf5_signals(golden("h5py_signals_int16.h5"));
  EXPECT_TRUE(s.integer);
  EXPECT_EQ(s.names, (std::vector<std::string>{"ch0", "ch1", "ch2"}));
  EXPECT_TRUE(s.units.empty());
  EXPECT_EQ(s.fs_hz, 360.0);
  ASSERT_EQ(s.samples.size(), 3u);
  EXPECT_EQ(s.samples[0], (std::vector<double>{-2047, 2047, 12}));
  EXPECT_EQ(s.samples[1], (std::vector<double>{0, -1, 13}));
  EXPECT_EQ(s.samples[2], (std::vector<double>{7, 1000, -14}));
}

TEST(Hdf5Signals, OneWindowOfTheWindowsLayout) {
  const Hdf5Signals s = read_hdf5_signals(golden("h5py_signals_one_window.h5"));
  EXPECT_EQ(s.dataset, "data");
  EXPECT_EQ(s.names, (std::vector<std::string>{"EMG1", "EMG2"}));  // fixed-length bytes
  EXPECT_EQ(s.fs_hz, 2000.0);
  ASSERT_EQ(s.samples.size(), 2u);
  EXPECT_EQ(s.samples[0], (std::vector<double>{0.0, 0.5, 1.0}));
  EXPECT_EQ(s.samples[1], (std::vector<double>{-0.25, -0.5, 0.75}));
}

TEST(Hdf5Signals, ExtensionsReadAsHdf5) {
  EXPECT_TRUE(is_hdf5_path("a/b.h5"));
  EXPECT_TRUE(is_hdf5_path("b.HDF5"));
  EXPECT_FALSE(is_hdf5_path("b.csv"));
  EXPECT_FALSE(is_hdf5_path("h5"));
}

// ---- bad input --------------------------------------------------------------------------

TEST(Hdf5SignalsBadInput, NoSignalsDataset) {
  TempDir dir;
  const double x = 1;
  add_dataset(dir / "f.h5", "x", H5T_IEEE_F64LE, {1}, H5T_NATIVE_DOUBLE, &x);
  expect_input_error(dir / "f.h5", "signals", "neither dataset");
  expect_input_error(dir / "none.h5", "file", "no such file");
}

TEST(Hdf5SignalsBadInput, WrongRank) {
  TempDir dir;
  const double v[3] = {1, 2, 3};
  add_dataset(dir / "f.h5", "signals", H5T_IEEE_F64LE, {3}, H5T_NATIVE_DOUBLE, v);
  expect_input_error(dir / "f.h5", "signals", "rank 2 (samples, signals)");
  add_dataset(dir / "w.h5", "data", H5T_IEEE_F64LE, {3, 1, 1}, H5T_NATIVE_DOUBLE, v);
  expect_input_error(dir / "w.h5", "data", "exactly one window");
  add_dataset(dir / "e.h5", "signals", H5T_IEEE_F64LE, {3, 0}, H5T_NATIVE_DOUBLE, v);
  expect_input_error(dir / "e.h5", "signals", "at least 1 signal");
}

TEST(Hdf5SignalsBadInput, InfinityNamesTheSignalAndSample) {
  TempDir dir;
  const double v[4] = {1, 2, std::numeric_limits<double>::infinity(), 4};
  add_dataset(dir / "f.h5", "signals", H5T_IEEE_F64LE, {2, 2}, H5T_NATIVE_DOUBLE, v);
  expect_input_error(dir / "f.h5", "signals", "Inf at signal 0, sample 1");
}

TEST(Hdf5SignalsBadInput, StringsAreNotSamples) {
  TempDir dir;
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, 2);
  add_dataset(dir / "f.h5", "signals", type, {1, 2}, type, "abcd");
  H5Tclose(type);
  expect_input_error(dir / "f.h5", "signals", "float or integer values");
}

// Adds a string attribute `name` with `values` to the dataset `dataset` of `path`.
void add_names(const std::filesystem::path& path, const char* dataset, const char* name,
               std::vector<const char*> values) {
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t set = H5Dopen2(file, dataset, H5P_DEFAULT);
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  hsize_t n = values.size();
  hid_t space = H5Screate_simple(1, &n, nullptr);
  hid_t attr = H5Acreate2(set, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(H5Awrite(attr, type, values.data()), 0);
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(set);
  H5Fclose(file);
}

TEST(Hdf5SignalsBadInput, NamesOrUnitsCountIsNotTheSignalCount) {
  TempDir dir;
  const double v[4] = {1, 2, 3, 4};
  add_dataset(dir / "f.h5", "signals", H5T_IEEE_F64LE, {2, 2}, H5T_NATIVE_DOUBLE, v);
  add_names(dir / "f.h5", "signals", "names", {"a", "b", "c"});
  expect_input_error(dir / "f.h5", "signals.names", "2 strings, one per signal");
  add_dataset(dir / "g.h5", "signals", H5T_IEEE_F64LE, {2, 2}, H5T_NATIVE_DOUBLE, v);
  add_names(dir / "g.h5", "signals", "units", {"mV"});
  expect_input_error(dir / "g.h5", "signals.units", "2 strings, one per signal");
}

TEST(Hdf5SignalsBadInput, RateNotPositive) {
  TempDir dir;
  const double v[2] = {1, 2};
  add_dataset(dir / "f.h5", "signals", H5T_IEEE_F64LE, {2, 1}, H5T_NATIVE_DOUBLE, v);
  hid_t file = H5Fopen((dir / "f.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t attr = H5Acreate2(file, "fs_hz", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  const double zero = 0;
  H5Awrite(attr, H5T_NATIVE_DOUBLE, &zero);
  H5Aclose(attr);
  H5Sclose(space);
  H5Fclose(file);
  expect_input_error(dir / "f.h5", "fs_hz", "one finite number > 0");
}

}  // namespace
}  // namespace physiolite::data
