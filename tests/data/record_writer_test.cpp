// `record write`'s library half: options -> header and digital samples, values computed by hand
// (round(physical * gain + baseline)), and the all-or-nothing write of .hea/.dat/.atr.
#include "physiolite/data/record_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/hdf5_fixture.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/io/annotation.hpp"

namespace physiolite::data {
namespace {

using testing::golden;
using testing::read_text;
using testing::TempDir;
using testing::write_text;

using Digital = std::vector<std::vector<int32_t>>;

RecordWriteOptions options(const std::filesystem::path& input, double fs_hz = 0, int format = 16) {
  RecordWriteOptions o;
  o.input = input;
  o.fs_hz = fs_hz;
  o.format = format;
  return o;
}

template <typename Error>
std::string error_of(const RecordWriteOptions& options) {
  try {
    (void)encode_record(options);
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for " << options.input;
  return "";
}

TEST(RecordWriter, CsvPerSignalGainsOneBaselineAndNan) {
  TempDir dir;
  write_text(dir / "in.csv", "sample,I,II\n0,0.5,-1\n1,0.25,nan\n2,-0.125,2\n");
  RecordWriteOptions o = options(dir / "in.csv", 250, 212);
  o.gains = {200, 100};
  o.baselines = {5};
  o.units = {"mV", "uV"};
  const EncodedRecord r = encode_record(o);
  // I: 0.5*200+5 = 105, 0.25*200+5 = 55, -0.125*200+5 = -20; II: -1*100+5 = -95, NaN -> -2048
  // (format 212's invalid code), 2*100+5 = 205.
  EXPECT_EQ(r.digital, (Digital{{105, 55, -20}, {-95, -2048, 205}}));
  ASSERT_EQ(r.header.signals.size(), 2u);
  EXPECT_EQ(r.header.fs_hz, 250);
  EXPECT_EQ(r.header.signals[1].description, "II");
  EXPECT_EQ(r.header.signals[1].units, "uV");
  EXPECT_EQ(r.header.signals[1].adc_gain, 100);
  EXPECT_EQ(r.header.signals[0].baseline, 5);
  EXPECT_EQ(r.header.signals[0].format, 212);
}

TEST(RecordWriter, Hdf5RateAndUnitsFromTheFileDefaultsOtherwise) {
  // tests/golden/gen_h5_signals.py: I = 0.5 0.25 -0.125 1.5 (mV), II = -1 NaN 2 0 (uV), 250 Hz.
  const EncodedRecord r = encode_record(options(golden("h5py_signals_physical.h5")));
  EXPECT_EQ(r.header.fs_hz, 250);
  EXPECT_EQ(r.header.signals[1].units, "uV");
  // Default gain 200, baseline 0, format 16 (invalid code -32768).
  EXPECT_EQ(r.digital, (Digital{{100, 50, -25, 300}, {-200, -32768, 400, 0}}));
}

TEST(RecordWriter, DigitalInputMustBeExactIntegersInTheFormat) {
  TempDir dir;
  write_text(dir / "d.csv", "A\n-2048\n2047\n");
  RecordWriteOptions o = options(dir / "d.csv", 100, 212);
  o.digital = true;
  EXPECT_EQ(encode_record(o).digital, (Digital{{-2048, 2047}}));
  write_text(dir / "d.csv", "A\n1\n2048\n");
  std::string what = error_of<InputError>(o);
  EXPECT_NE(what.find("signal 'A' sample 1"), std::string::npos) << what;
  EXPECT_NE(what.find("an integer from -2048 to 2047 (format 212)"), std::string::npos) << what;
  write_text(dir / "d.csv", "A\n1.5\n");
  EXPECT_NE(error_of<InputError>(o).find("signal 'A' sample 0"), std::string::npos);
}

TEST(RecordWriter, OptionsOutOfRangeAreUsageErrorsNamingTheFlag) {
  TempDir dir;
  write_text(dir / "in.csv", "I,II\n1,2\n");
  const RecordWriteOptions ok = options(dir / "in.csv", 100);
  RecordWriteOptions o = ok;
  o.baselines = {3e9};  // beyond int: refused before any conversion
  EXPECT_NE(error_of<UsageError>(o).find(
                "--baseline: 3000000000 is not an integer from -2147483648 to 2147483647"),
            std::string::npos);
  o.baselines = {0.5};
  EXPECT_NE(error_of<UsageError>(o).find("--baseline: 0.5"), std::string::npos);
  o = ok;
  o.gains = {1, 2, 3};
  EXPECT_NE(error_of<UsageError>(o).find("--gain: give one value or 2 (one per signal), not 3"),
            std::string::npos);
  o.gains = {-1};
  EXPECT_NE(error_of<UsageError>(o).find("--gain: -1 is not a positive number"), std::string::npos);
  o = ok;
  o.units = {"mV", "mV", "mV"};
  EXPECT_NE(error_of<UsageError>(o).find("--units"), std::string::npos);
  o = ok;
  o.format = 80;
  EXPECT_NE(error_of<UsageError>(o).find("--format 80"), std::string::npos);
  o = ok;
  o.fs_hz = 0;  // a CSV carries no rate
  EXPECT_NE(error_of<UsageError>(o).find("--fs"), std::string::npos);
  o.fs_hz = -5;
  EXPECT_NE(error_of<UsageError>(o).find("--fs"), std::string::npos);
}

TEST(RecordWriter, WritesReadableRecordAndFailuresReplaceNothing) {
  TempDir dir;
  write_text(dir / "in.csv", "I\n0.5\n1.0\n");
  write_text(dir / "ann.csv", "sample,symbol\n1,N\n");
  RecordWriteOptions o = options(dir / "in.csv", 100);
  o.annotations = dir / "ann.csv";
  write_record_from_signals(dir / "out", o);
  const std::string hea = read_text(dir / "out.hea");
  EXPECT_EQ(hea.substr(0, hea.find('\n')), "out 1 100 2");
  ASSERT_EQ(io::read_annotations(dir / "out", "atr").size(), 1u);
  const std::string dat = read_text(dir / "out.dat");
  const std::string atr = read_text(dir / "out.atr");

  // Each failure leaves .hea, .dat and .atr as they were: a bad annotation file (unsorted),
  // a baseline beyond int, a value that does not fit format 212 (1.0 mV * 4000 > 2047).
  write_text(dir / "bad.csv", "sample,symbol\n5,N\n2,N\n");
  RecordWriteOptions bad = o;
  bad.fs_hz = 200;
  bad.annotations = dir / "bad.csv";
  EXPECT_THROW(write_record_from_signals(dir / "out", bad), UsageError);
  bad = o;
  bad.baselines = {3e9};
  EXPECT_THROW(write_record_from_signals(dir / "out", bad), UsageError);
  bad = o;
  bad.format = 212;
  bad.gains = {4000};
  EXPECT_THROW(write_record_from_signals(dir / "out", bad), InputError);
  EXPECT_EQ(read_text(dir / "out.hea"), hea);
  EXPECT_EQ(read_text(dir / "out.dat"), dat);
  EXPECT_EQ(read_text(dir / "out.atr"), atr);
  EXPECT_EQ(dir.file_count(), 6u) << "the three inputs and the three record files, no temporaries";
}

}  // namespace
}  // namespace physiolite::data
