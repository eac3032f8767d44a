#include "physiolite/data/hdf5_windows.hpp"

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

// `data` of shape `dims`, float32 zeros.
void add_zero_data(const std::filesystem::path& path, std::vector<hsize_t> dims) {
  size_t count = 1;
  for (hsize_t d : dims) count *= d;
  std::vector<float> zeros(count, 0.0f);
  add_dataset(path, "data", H5T_IEEE_F32LE, std::move(dims), H5T_NATIVE_FLOAT, zeros.data());
}

// data (n, 1, 2) = 0..2n-1 and label (n) = 0; `data_override` replaces the data values.
void add_basic(const std::filesystem::path& path, hsize_t n,
               std::vector<float> data_override = {}) {
  std::vector<float> data(n * 2);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i);
  if (!data_override.empty()) data = data_override;
  std::vector<int64_t> label(n, 0);
  add_dataset(path, "data", H5T_IEEE_F32LE, {n, 1, 2}, H5T_NATIVE_FLOAT, data.data());
  add_dataset(path, "label", H5T_STD_I64LE, {n}, H5T_NATIVE_INT64, label.data());
}

// Expects reading `path` to fail naming the file and `field`, with `text` in the message.
void expect_read_error(const std::filesystem::path& path, const std::string& field,
                       const std::string& text, const Hdf5ReadOptions& options = {}) {
  try {
    read_hdf5_windows(path, options);
    FAIL() << "no error for " << field;
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), field) << e.what();
    std::string what = e.what();
    EXPECT_NE(what.find(path.string()), std::string::npos) << what;
    EXPECT_NE(what.find(text), std::string::npos) << what;
  }
}

WindowSet sample_windows() {
  WindowSet w;
  w.n = 5;
  w.c = 2;
  w.t = 3;
  for (int i = 0; i < 30; ++i) w.data.push_back(0.5f * static_cast<float>(i) - 3.0f);
  w.num_label_columns = 3;
  w.labels = {1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0};
  w.class_names = {"AF", "RBBB", "PVC"};
  w.side_dim = 2;
  w.side = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f};
  w.side_names = {"rr_prev", "rr_next"};
  w.source = {"A0001", "A0001", "A0002", "A0003", "A0003"};
  w.begin_sample = {0, 1024, 0, 0, 1024};
  w.fs_hz = 500.0;
  w.teacher_logits_dim = 3;
  for (int i = 0; i < 15; ++i) w.teacher_logits.push_back(static_cast<float>(i) * 0.25f);
  return w;
}

void expect_same(const WindowSet& a, const WindowSet& b) {
  EXPECT_EQ(a.n, b.n);
  EXPECT_EQ(a.c, b.c);
  EXPECT_EQ(a.t, b.t);
  EXPECT_EQ(a.data, b.data);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.num_label_columns, b.num_label_columns);
  EXPECT_EQ(a.class_names, b.class_names);
  EXPECT_EQ(a.side, b.side);
  EXPECT_EQ(a.side_dim, b.side_dim);
  EXPECT_EQ(a.side_names, b.side_names);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.begin_sample, b.begin_sample);
  EXPECT_EQ(a.fs_hz, b.fs_hz);
  EXPECT_EQ(a.teacher_logits, b.teacher_logits);
  EXPECT_EQ(a.teacher_logits_dim, b.teacher_logits_dim);
}

// --- files written by h5py (tests/golden/gen_h5.py) --------------------------------------------

TEST(Hdf5WindowsH5py, SingleLabelFloat64DataUint8LabelsFloat16Logits) {
  WindowSet w = read_hdf5_windows(golden("h5py_windows_single.h5"));
  ASSERT_EQ(w.n, 3);
  ASSERT_EQ(w.c, 2);
  ASSERT_EQ(w.t, 4);
  ASSERT_EQ(w.data.size(), 24u);
  for (int i = 0; i < 3; ++i) {
    for (int c = 0; c < 2; ++c) {
      for (int t = 0; t < 4; ++t) {
        if (i == 2 && c == 1 && t == 3) continue;
        EXPECT_EQ(w.data[(i * 2 + c) * 4 + t], 100.0f * i + 10.0f * c + t + 0.25f);
      }
    }
  }
  EXPECT_EQ(static_cast<double>(w.data[23]), 0.3333333432674408);  // numpy float32(1/3)
  EXPECT_FALSE(w.multi_label());
  EXPECT_EQ(w.labels, (std::vector<int64_t>{2, 0, 7}));
  EXPECT_EQ(w.side_dim, 2);
  EXPECT_EQ(w.side, (std::vector<float>{0.5f, -1.5f, 1.0f, 2.0f, -0.25f, 8.0f}));
  EXPECT_EQ(w.side_names, (std::vector<std::string>{"rr_prev", "rr_next"}));
  EXPECT_EQ(w.source, (std::vector<std::string>{"100", "101", "sujet-\xc3\xbc"}));
  EXPECT_EQ(w.begin_sample, (std::vector<int64_t>{0, 360, 720}));
  EXPECT_EQ(w.fs_hz, 360.0);
  EXPECT_EQ(w.class_names, (std::vector<std::string>{"N", "S", "V", "F", "Q", "a", "b", "c"}));
  ASSERT_EQ(w.teacher_logits_dim, 5);
  // float16 values as numpy gives them: float(np.float16(0.1)) etc.
  const std::vector<float> logits = {0.0999755859375f,
                                     -2.5f,
                                     3.0f,
                                     65504.0f,
                                     -0.00010001659393310547f,
                                     1,
                                     2,
                                     4,
                                     8,
                                     16,
                                     0,
                                     -1,
                                     0.5f,
                                     0.25f,
                                     -0.125f};
  EXPECT_EQ(w.teacher_logits, logits);
}

TEST(Hdf5WindowsH5py, MultiHotFloatLabelsFixedStringsSeparateLogitsFile) {
  Hdf5ReadOptions options;
  options.teacher_logits_file = golden("h5py_teacher_logits.h5");
  WindowSet w = read_hdf5_windows(golden("h5py_windows_multihot.h5"), options);
  ASSERT_EQ(w.n, 4);
  EXPECT_EQ(w.c, 1);
  EXPECT_EQ(w.t, 3);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(w.data[i], static_cast<float>(i) / 8.0f);
  EXPECT_EQ(w.num_label_columns, 3);
  EXPECT_EQ(w.labels, (std::vector<int64_t>{1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(w.source, (std::vector<std::string>{"a", "bb", "ccc", "ddddd"}));
  EXPECT_EQ(w.class_names, (std::vector<std::string>{"SB", "AFIB", "GSVT"}));
  EXPECT_EQ(w.fs_hz, 500.0);  // written as an int64 attribute
  EXPECT_TRUE(w.side.empty());
  EXPECT_TRUE(w.begin_sample.empty());
  EXPECT_EQ(w.teacher_logits_dim, 3);
  EXPECT_EQ(w.teacher_logits, (std::vector<float>{0.5f, -0.5f, 1.5f, 2.0f, -3.0f, 0.75f, -1.0f,
                                                  0.0f, 1.0f, 0.125f, 4.0f, -8.0f}));
}

TEST(Hdf5WindowsH5py, BoolLabelsAndUint16BeginSample) {
  WindowSet w = read_hdf5_windows(golden("h5py_windows_bool.h5"));
  EXPECT_EQ(w.n, 2);
  EXPECT_EQ(w.data, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(w.num_label_columns, 2);
  EXPECT_EQ(w.labels, (std::vector<int64_t>{1, 0, 1, 1}));
  EXPECT_EQ(w.begin_sample, (std::vector<int64_t>{7, 9}));
  EXPECT_EQ(w.fs_hz, 0.0);
  EXPECT_EQ(w.teacher_logits_dim, 0);
}

TEST(Hdf5WindowsH5py, RowRangeOfAFile) {
  EXPECT_EQ(count_hdf5_windows(golden("h5py_windows_single.h5")), 3);
  Hdf5ReadOptions options;
  options.begin_row = 1;
  options.end_row = 3;
  WindowSet w = read_hdf5_windows(golden("h5py_windows_single.h5"), options);
  ASSERT_EQ(w.n, 2);
  EXPECT_EQ(w.data[0], 100.25f);  // window 1, channel 0, sample 0
  EXPECT_EQ(w.labels, (std::vector<int64_t>{0, 7}));
  EXPECT_EQ(w.source, (std::vector<std::string>{"101", "sujet-\xc3\xbc"}));
  EXPECT_EQ(w.begin_sample, (std::vector<int64_t>{360, 720}));
  EXPECT_EQ(w.side, (std::vector<float>{1.0f, 2.0f, -0.25f, 8.0f}));
  EXPECT_EQ(w.teacher_logits.size(), 10u);
  EXPECT_EQ(w.teacher_logits[0], 1.0f);
}

// --- our writer ------------------------------------------------------------------------------

TEST(Hdf5WindowsWrite, RoundTripAndRanges) {
  TempDir dir;
  WindowSet w = sample_windows();
  write_hdf5_windows(dir / "w.h5", w);
  EXPECT_EQ(dir.file_count(), 1u);  // no temporary left behind
  expect_same(read_hdf5_windows(dir / "w.h5"), w);

  Hdf5ReadOptions options;
  options.begin_row = 2;
  options.end_row = 4;
  WindowSet part = read_hdf5_windows(dir / "w.h5", options);
  ASSERT_EQ(part.n, 2);
  EXPECT_EQ(part.data, std::vector<float>(w.data.begin() + 12, w.data.begin() + 24));
  EXPECT_EQ(part.labels, std::vector<int64_t>(w.labels.begin() + 6, w.labels.begin() + 12));
  EXPECT_EQ(part.source, (std::vector<std::string>{"A0002", "A0003"}));
  EXPECT_EQ(part.side, std::vector<float>(w.side.begin() + 4, w.side.begin() + 8));
  EXPECT_EQ(part.teacher_logits,
            std::vector<float>(w.teacher_logits.begin() + 6, w.teacher_logits.begin() + 12));

  options.begin_row = 5;
  options.end_row = -1;
  EXPECT_EQ(read_hdf5_windows(dir / "w.h5", options).n, 0);
  options.begin_row = 4;
  options.end_row = 6;
  EXPECT_THROW(read_hdf5_windows(dir / "w.h5", options), UsageError);
}

TEST(Hdf5WindowsWrite, SingleLabelMinimalAndEmpty) {
  TempDir dir;
  WindowSet w;
  w.n = 2;
  w.c = 1;
  w.t = 2;
  w.data = {1, 2, 3, 4};
  w.labels = {4, 0};
  write_hdf5_windows(dir / "w.h5", w);
  expect_same(read_hdf5_windows(dir / "w.h5"), w);

  WindowSet empty;
  empty.c = 12;
  empty.t = 2048;
  write_hdf5_windows(dir / "empty.h5", empty);
  expect_same(read_hdf5_windows(dir / "empty.h5"), empty);
}

// The file's layout, checked with the raw C API: what the reference's h5py loader would see.
TEST(Hdf5WindowsWrite, LayoutIsFloat32DataAndInt64Labels) {
  TempDir dir;
  write_hdf5_windows(dir / "w.h5", sample_windows());
  hid_t file = H5Fopen((dir / "w.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  auto check = [&](const char* name, hid_t expected_type, std::vector<hsize_t> expected_dims) {
    hid_t set = H5Dopen2(file, name, H5P_DEFAULT);
    ASSERT_GE(set, 0) << name;
    hid_t type = H5Dget_type(set);
    EXPECT_GT(H5Tequal(type, expected_type), 0) << name;
    hid_t space = H5Dget_space(set);
    std::vector<hsize_t> dims(static_cast<size_t>(H5Sget_simple_extent_ndims(space)));
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    EXPECT_EQ(dims, expected_dims) << name;
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(set);
  };
  check("data", H5T_IEEE_F32LE, {5, 2, 3});
  check("label", H5T_STD_I64LE, {5, 3});
  check("side", H5T_IEEE_F32LE, {5, 2});
  check("begin_sample", H5T_STD_I64LE, {5});
  check("teacher_logits", H5T_IEEE_F32LE, {5, 3});
  double fs = 0;
  hid_t attr = H5Aopen(file, "fs_hz", H5P_DEFAULT);
  H5Aread(attr, H5T_NATIVE_DOUBLE, &fs);
  H5Aclose(attr);
  EXPECT_EQ(fs, 500.0);
  H5Fclose(file);
}

TEST(Hdf5WindowsWrite, FailedWriteLeavesNothing) {
  TempDir dir;
  // The final name is an existing directory: HDF5 writes the temporary, the rename fails.
  std::filesystem::create_directories(dir / "taken.h5" / "inside");
  EXPECT_THROW(write_hdf5_windows(dir / "taken.h5", sample_windows()), Error);
  EXPECT_EQ(dir.file_count(), 1u);
  // A missing folder: HDF5 cannot create the temporary.
  EXPECT_THROW(write_hdf5_windows(dir / "no/such/dir/w.h5", sample_windows()), Error);
  EXPECT_EQ(dir.file_count(), 1u);
  // An inconsistent WindowSet is refused before anything is created.
  WindowSet bad = sample_windows();
  bad.labels.pop_back();
  EXPECT_THROW(write_hdf5_windows(dir / "bad.h5", bad), Error);
  EXPECT_EQ(dir.file_count(), 1u);
}

// --- bad input -------------------------------------------------------------------------------

TEST(Hdf5WindowsBadInput, MissingFile) {
  TempDir dir;
  expect_read_error(dir / "none.h5", "file", "no such file");
  try {
    count_hdf5_windows(dir / "none.h5");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "file");
  }
}

TEST(Hdf5WindowsBadInput, NotAnHdf5File) {
  TempDir dir;
  testing::write_text(dir / "text.h5", "time\tchannel1\n1\t0\n");
  // HDF5's default is to print its error stack; restore it (test helpers turn it off) so that
  // only the reader's own silencing keeps stderr clean.
  H5Eset_auto2(H5E_DEFAULT, reinterpret_cast<H5E_auto2_t>(H5Eprint2), stderr);
  ::testing::internal::CaptureStderr();
  expect_read_error(dir / "text.h5", "file", "not an HDF5 file");
  // A cut HDF5 file: HDF5's own diagnosis is passed on.
  std::filesystem::copy_file(golden("h5py_windows_single.h5"), dir / "cut.h5");
  std::filesystem::resize_file(dir / "cut.h5", 3000);
  expect_read_error(dir / "cut.h5", "file", "expected a readable HDF5 file, got 'truncated file");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");  // HDF5's own error stack is silenced
}

TEST(Hdf5WindowsBadInput, MissingDataOrLabel) {
  TempDir dir;
  std::vector<int64_t> label = {0, 1};
  add_dataset(dir / "nodata.h5", "label", H5T_STD_I64LE, {2}, H5T_NATIVE_INT64, label.data());
  expect_read_error(dir / "nodata.h5", "data",
                    "expected a dataset named 'data', got 'no such dataset'");
  add_zero_data(dir / "nolabel.h5", {2, 1, 2});
  expect_read_error(dir / "nolabel.h5", "label", "no such dataset");
}

TEST(Hdf5WindowsBadInput, WrongRank) {
  TempDir dir;
  add_zero_data(dir / "a.h5", {2, 2});
  expect_read_error(dir / "a.h5", "data",
                    "expected rank 3 (N windows, C channels, T samples), got 'shape (2, 2)'");
  std::vector<int64_t> label(4, 0);
  add_zero_data(dir / "b.h5", {2, 1, 2});
  add_dataset(dir / "b.h5", "label", H5T_STD_I64LE, {2, 1, 2}, H5T_NATIVE_INT64, label.data());
  expect_read_error(dir / "b.h5", "label", "got 'shape (2, 1, 2)'");
}

TEST(Hdf5WindowsBadInput, EmptyChannelOrLabelAxis) {
  TempDir dir;
  add_zero_data(dir / "a.h5", {2, 0, 4});
  expect_read_error(dir / "a.h5", "data", "expected at least 1 channel and 1 sample per window");
  add_zero_data(dir / "b.h5", {2, 1, 4});
  add_dataset(dir / "b.h5", "label", H5T_STD_I64LE, {2, 0}, H5T_NATIVE_INT64, nullptr);
  expect_read_error(dir / "b.h5", "label", "got 'shape (2, 0)'");
}

// A chunked dataset may claim any shape without storing it; one whose size overflows is refused
// before anything is allocated.
TEST(Hdf5WindowsBadInput, ShapeTooLargeForMemory) {
  TempDir dir;
  auto path = dir / "huge.h5";
  hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hsize_t dims[3] = {1, hsize_t{1} << 40, hsize_t{1} << 40};
  hsize_t chunk[3] = {1, 1, 16};
  hid_t space = H5Screate_simple(3, dims, nullptr);
  hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(plist, 3, chunk);
  hid_t set = H5Dcreate2(file, "data", H5T_IEEE_F32LE, space, H5P_DEFAULT, plist, H5P_DEFAULT);
  if (set < 0) GTEST_SKIP() << "this HDF5 refuses the shape itself";
  H5Dclose(set);
  H5Pclose(plist);
  H5Sclose(space);
  H5Fclose(file);
  int64_t label = 0;
  add_dataset(path, "label", H5T_STD_I64LE, {1}, H5T_NATIVE_INT64, &label);
  expect_read_error(path, "data", "expected a shape whose size fits in memory");
}

TEST(Hdf5WindowsBadInput, LabelCountIsNotN) {
  TempDir dir;
  std::vector<int32_t> label = {0, 1};
  add_zero_data(dir / "a.h5", {3, 1, 2});
  add_dataset(dir / "a.h5", "label", H5T_STD_I32LE, {2}, H5T_NATIVE_INT32, label.data());
  expect_read_error(dir / "a.h5", "label",
                    "expected 3 rows, one per window of 'data', got '2 rows'");
}

TEST(Hdf5WindowsBadInput, NanOrInfInData) {
  TempDir dir;
  // data (3, 1, 2): window 2, channel 0, sample 1 holds NaN.
  add_basic(dir / "nan.h5", 3, {0, 1, 2, 3, 4, std::numeric_limits<float>::quiet_NaN()});
  expect_read_error(dir / "nan.h5", "data", "got 'NaN at window 2, channel 0, sample 1'");
  // A float64 value too large for float32 becomes Inf; channel 1 of window 0 here.
  std::vector<double> data = {0, 0, 1e300, 0};
  std::vector<int64_t> label = {0};
  add_dataset(dir / "inf.h5", "data", H5T_IEEE_F64LE, {1, 2, 2}, H5T_NATIVE_DOUBLE, data.data());
  add_dataset(dir / "inf.h5", "label", H5T_STD_I64LE, {1}, H5T_NATIVE_INT64, label.data());
  expect_read_error(dir / "inf.h5", "data", "Inf at window 0, channel 1, sample 0");
}

TEST(Hdf5WindowsBadInput, MultiHotValuesOtherThan01) {
  TempDir dir;
  std::vector<int8_t> label = {0, 1, 2, 0};
  add_zero_data(dir / "a.h5", {2, 1, 2});
  add_dataset(dir / "a.h5", "label", H5T_STD_I8LE, {2, 2}, H5T_NATIVE_INT8, label.data());
  expect_read_error(dir / "a.h5", "label",
                    "expected multi-hot values 0 or 1, got '2 at window 1, column 0'");
  std::vector<float> soft = {0, 1, 1, 0.5f};
  add_zero_data(dir / "b.h5", {2, 1, 2});
  add_dataset(dir / "b.h5", "label", H5T_IEEE_F32LE, {2, 2}, H5T_NATIVE_FLOAT, soft.data());
  expect_read_error(dir / "b.h5", "label", "got '0.5 at window 1, column 1'");
}

TEST(Hdf5WindowsBadInput, SingleLabelNotAClassIndex) {
  TempDir dir;
  std::vector<double> fractional = {1.0, 1.5};
  add_zero_data(dir / "a.h5", {2, 1, 2});
  add_dataset(dir / "a.h5", "label", H5T_IEEE_F64LE, {2}, H5T_NATIVE_DOUBLE, fractional.data());
  expect_read_error(dir / "a.h5", "label",
                    "expected whole-number class indices, got '1.5 at window 1'");
  std::vector<int16_t> negative = {3, -1};
  add_zero_data(dir / "b.h5", {2, 1, 2});
  add_dataset(dir / "b.h5", "label", H5T_STD_I16LE, {2}, H5T_NATIVE_INT16, negative.data());
  expect_read_error(dir / "b.h5", "label", "got '-1 at window 1'");
}

TEST(Hdf5WindowsBadInput, IntegerData) {
  TempDir dir;
  std::vector<int16_t> data(4, 0);
  std::vector<int64_t> label = {0, 0};
  add_dataset(dir / "a.h5", "data", H5T_STD_I16LE, {2, 1, 2}, H5T_NATIVE_INT16, data.data());
  add_dataset(dir / "a.h5", "label", H5T_STD_I64LE, {2}, H5T_NATIVE_INT64, label.data());
  expect_read_error(dir / "a.h5", "data", "expected float32 or float64 values, got 'integer'");
}

TEST(Hdf5WindowsBadInput, TeacherLogitsRowsAreNotN) {
  TempDir dir;
  add_basic(dir / "a.h5", 3);
  std::vector<float> logits(8, 0.0f);
  add_dataset(dir / "a.h5", "teacher_logits", H5T_IEEE_F32LE, {2, 4}, H5T_NATIVE_FLOAT,
              logits.data());
  expect_read_error(dir / "a.h5", "teacher_logits",
                    "expected 3 rows, one per window of 'data', got '2 rows'");

  // The same check for a separate logits file; the error names that file.
  add_basic(dir / "b.h5", 3);
  Hdf5ReadOptions options;
  options.teacher_logits_file = dir / "a.h5";
  try {
    read_hdf5_windows(golden("h5py_windows_multihot.h5"), options);  // N = 4
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().path, (dir / "a.h5").string());
    EXPECT_EQ(e.field(), "teacher_logits");
  }
  options.teacher_logits_file = dir / "b.h5";  // a file given for its logits that has none
  expect_read_error(dir / "b.h5", "teacher_logits", "no such dataset", options);
}

TEST(Hdf5WindowsBadInput, OptionalDatasetsWithWrongShapes) {
  TempDir dir;
  add_basic(dir / "side.h5", 2);
  std::vector<float> side(3, 0.0f);
  add_dataset(dir / "side.h5", "side", H5T_IEEE_F32LE, {3, 1}, H5T_NATIVE_FLOAT, side.data());
  expect_read_error(dir / "side.h5", "side", "expected 2 rows");
  add_basic(dir / "source.h5", 2);
  std::vector<int32_t> source = {1, 2};
  add_dataset(dir / "source.h5", "source", H5T_STD_I32LE, {2}, H5T_NATIVE_INT32, source.data());
  expect_read_error(dir / "source.h5", "source", "expected strings");
  add_basic(dir / "begin.h5", 2);
  std::vector<float> begins = {0.0f, 1.0f};
  add_dataset(dir / "begin.h5", "begin_sample", H5T_IEEE_F32LE, {2}, H5T_NATIVE_FLOAT,
              begins.data());
  expect_read_error(dir / "begin.h5", "begin_sample",
                    "expected integer sample indices, got 'float'");
}

}  // namespace
}  // namespace physiolite::data
