#include <gtest/gtest.h>

#include <cmath>

#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/io/wfdb.hpp"

namespace physiolite::io {
namespace {

using physiolite::testing::TempDir;
using physiolite::testing::write_bytes;
using physiolite::testing::write_text;

// Two 2-signal frames in format 212, encoded by hand from the format's definition:
// (100, -200): 100 = 0x064, -200 = 0xF38 (12-bit two's complement) -> 64 F0 38
// (2047, -2048): 0x7FF, 0x800 -> FF 87 00
const std::vector<uint8_t> k212Bytes = {0x64, 0xF0, 0x38, 0xFF, 0x87, 0x00};

TEST(WfdbRecord, DecodesHandEncodedFormat212) {
  TempDir dir;
  write_text(
      dir / "r.hea",
      "r 2 360 2\nr.dat 212 200 12 0 100 2147 0 A\nr.dat 212 100(10)/uV 12 0 -200 -2248 0 B\n");
  write_bytes(dir / "r.dat", k212Bytes);
  WfdbRecord rec = read_wfdb_record(dir / "r");
  ASSERT_EQ(rec.num_signals(), 2);
  EXPECT_EQ(rec.digital[0], (std::vector<int32_t>{100, 2047}));
  EXPECT_EQ(rec.digital[1], (std::vector<int32_t>{-200, -2048}));
  EXPECT_TRUE(rec.warnings.empty()) << rec.warnings.front();
  dsp::Signal a = rec.physical(0);
  EXPECT_DOUBLE_EQ(a.samples[0], 0.5);  // (100 - 0) / 200
  EXPECT_DOUBLE_EQ(a.fs_hz, 360.0);
  dsp::Signal b = rec.physical(1);
  EXPECT_DOUBLE_EQ(b.samples[0], -2.1);   // (-200 - 10) / 100
  EXPECT_TRUE(std::isnan(b.samples[1]));  // -2048 is 212's invalid-sample code
  EXPECT_EQ(b.units, "uV");
  EXPECT_EQ(rec.find_signal("B"), 1);
  EXPECT_EQ(rec.find_signal("MLII"), -1);
}

TEST(WfdbRecord, DecodesHandEncodedFormat16AndSlices) {
  TempDir dir;
  write_text(dir / "s.hea", "s 1 100 4\ns.dat 16 1000 16 0 1\n");
  write_bytes(dir / "s.dat", {0x01, 0x00, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x80});
  WfdbRecord rec = read_wfdb_record(dir / "s");
  EXPECT_EQ(rec.digital[0], (std::vector<int32_t>{1, -1, 32767, -32768}));
  WfdbRecord part = read_wfdb_record(dir / "s", {.begin_sample = 1, .end_sample = 3});
  EXPECT_EQ(part.digital[0], (std::vector<int32_t>{-1, 32767}));
  EXPECT_EQ(part.begin_sample, 1);
  EXPECT_THROW(read_wfdb_record(dir / "s", {.begin_sample = 5}), UsageError);
}

TEST(WfdbRecord, ChecksumMismatchWarnsByDefaultAndFailsWhenStrict) {
  TempDir dir;
  write_text(dir / "r.hea",
             "r 2 360 2\nr.dat 212 200 12 0 100 1 0 A\nr.dat 212 200 12 0 7 -2248 0 B\n");
  write_bytes(dir / "r.dat", k212Bytes);
  WfdbRecord rec = read_wfdb_record(dir / "r");
  ASSERT_EQ(rec.warnings.size(), 2u);
  EXPECT_NE(rec.warnings[0].find("signal 0 checksum"), std::string::npos) << rec.warnings[0];
  EXPECT_NE(rec.warnings[1].find("signal 1 initial value"), std::string::npos) << rec.warnings[1];
  EXPECT_THROW(read_wfdb_record(dir / "r", {.strict = true}), InputError);
}

TEST(WfdbRecord, TruncatedDatNamesFileAndByteOffset) {
  TempDir dir;
  write_text(dir / "r.hea", "r 2 360 3\nr.dat 212 200 12 0\nr.dat 212 200 12 0\n");
  write_bytes(dir / "r.dat", k212Bytes);  // two frames, header says three
  try {
    read_wfdb_record(dir / "r");
    FAIL() << "no error for a truncated signal file";
  } catch (const InputError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("r.dat: byte 6"), std::string::npos) << what;
    EXPECT_NE(what.find("3 samples per signal"), std::string::npos) << what;
  }
}

TEST(WfdbRecord, MissingCompanionFilesAreNamed) {
  TempDir dir;
  try {
    read_wfdb_record(dir / "none");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("none.hea"), std::string::npos) << e.what();
  }
  write_text(dir / "r.hea", "r 1 360 3\nr.dat 16 200 12 0\n");
  try {
    read_wfdb_record(dir / "r");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("r.dat"), std::string::npos) << e.what();
  }
}

TEST(WfdbRecord, KnownButUndecodedFormatIsRefused) {
  TempDir dir;
  write_text(dir / "r.hea", "r 1 360 3\nr.dat 0 200 12 0\n");
  write_bytes(dir / "r.dat", {});
  EXPECT_THROW(read_wfdb_record(dir / "r"), InputError);
}

TEST(WfdbRecord, ForgedSampleCountsFailBeforeAllocating) {
  TempDir dir;
  // A sample count whose byte count overflows 64 bits: refused by the file-size check.
  write_text(dir / "r.hea",
             "r 2 360 9000000000000000000\nr.dat 212 200 12 0\nr.dat 212 200 12 0\n");
  write_bytes(dir / "r.dat", k212Bytes);
  EXPECT_THROW(read_wfdb_record(dir / "r"), InputError);
  // A gap of 10^12 samples has no file behind it: refused by the size cap, naming the header.
  write_text(dir / "s.hea", "s 2 360 2\nr.dat 212 200 12 0\nr.dat 212 200 12 0\n");
  write_text(dir / "m.hea", "m/2 2 360\ns 2\n~ 1000000000000\n");
  try {
    read_wfdb_record(dir / "m");
    FAIL() << "no error for a terabyte gap";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("m.hea: field 'number of samples'"), std::string::npos) << what;
  }
  // Segment lengths whose sum overflows int64.
  write_text(dir / "o.hea", "o/2 2 360\n~ 9000000000000000000\n~ 9000000000000000000\n");
  EXPECT_THROW(read_wfdb_record(dir / "o"), InputError);
}

}  // namespace
}  // namespace physiolite::io
