// Every signal format, skew, byte offsets, several files, samples per frame and multi-segment
// records, decoded from bytes encoded by hand from the WFDB signal(5) definitions; the expected
// sample values are written out beside each byte sequence.
#include <gtest/gtest.h>

#include <cmath>

#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/io/wfdb_signal.hpp"

namespace physiolite::io {
namespace {

using physiolite::testing::TempDir;
using physiolite::testing::write_bytes;
using physiolite::testing::write_text;

std::vector<int32_t> decode(int format, const std::vector<uint8_t>& bytes, int64_t n) {
  std::vector<int32_t> out;
  EXPECT_GE(wfdb_values_in_bytes(format, static_cast<int64_t>(bytes.size())), n);
  EXPECT_EQ(wfdb_bytes_for_values(format, n), static_cast<int64_t>(bytes.size()));
  decode_wfdb_values(format, bytes, n, out);
  return out;
}

// A one-signal record in `format` read through the whole reader.
std::vector<int32_t> read_one(int format, const std::vector<uint8_t>& bytes, int64_t n,
                              const std::string& extra = "") {
  TempDir dir;
  write_text(dir / "r.hea", "r 1 100 " + std::to_string(n) + "\nr.dat " + std::to_string(format) +
                                " 100 12 0" + extra + "\n");
  write_bytes(dir / "r.dat", bytes);
  return read_wfdb_record(dir / "r").digital[0];
}

TEST(WfdbFormats, Format8FirstDifferencesFromTheInitialValue) {
  // Differences 0, +5, -3, -128 from initial value 10: 10, 15, 12, -116.
  const std::vector<uint8_t> bytes = {0x00, 0x05, 0xFD, 0x80};
  EXPECT_EQ(decode(8, bytes, 4), (std::vector<int32_t>{0, 5, -3, -128}));
  EXPECT_EQ(read_one(8, bytes, 4, " 10"), (std::vector<int32_t>{10, 15, 12, -116}));
  // Without an initial value, integration starts at ADC zero (here 0).
  EXPECT_EQ(read_one(8, bytes, 4), (std::vector<int32_t>{0, 5, 2, -126}));
}

TEST(WfdbFormats, Format16LittleEndian) {
  const std::vector<uint8_t> bytes = {0x34, 0x12, 0xCC, 0xED, 0xFF, 0x7F, 0x00, 0x80};
  EXPECT_EQ(read_one(16, bytes, 4), (std::vector<int32_t>{0x1234, -0x1234, 32767, -32768}));
}

TEST(WfdbFormats, Format61BigEndian) {
  const std::vector<uint8_t> bytes = {0x12, 0x34, 0xED, 0xCC, 0x7F, 0xFF};
  EXPECT_EQ(read_one(61, bytes, 3), (std::vector<int32_t>{0x1234, -0x1234, 32767}));
}

TEST(WfdbFormats, Format80OffsetBinary) {
  const std::vector<uint8_t> bytes = {0x80, 0x00, 0xFF, 0x85};
  EXPECT_EQ(read_one(80, bytes, 4), (std::vector<int32_t>{0, -128, 127, 5}));
}

TEST(WfdbFormats, Format160OffsetBinary) {
  const std::vector<uint8_t> bytes = {0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0x34, 0x92};
  EXPECT_EQ(read_one(160, bytes, 4), (std::vector<int32_t>{0, -32768, 32767, 0x1234}));
}

TEST(WfdbFormats, Format24) {
  const std::vector<uint8_t> bytes = {0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                                      0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x80};
  EXPECT_EQ(read_one(24, bytes, 4), (std::vector<int32_t>{1, -1, 8388607, -8388608}));
}

TEST(WfdbFormats, Format32) {
  const std::vector<uint8_t> bytes = {0x78, 0x56, 0x34, 0x12, 0xFE, 0xFF, 0xFF, 0xFF};
  EXPECT_EQ(read_one(32, bytes, 2), (std::vector<int32_t>{0x12345678, -2}));
}

TEST(WfdbFormats, Format212WithOddCount) {
  // (100, -200) -> 64 F0 38; a trailing single 7 -> 07 00.
  const std::vector<uint8_t> bytes = {0x64, 0xF0, 0x38, 0x07, 0x00};
  EXPECT_EQ(read_one(212, bytes, 3), (std::vector<int32_t>{100, -200, 7}));
}

TEST(WfdbFormats, Format310) {
  // Values 1, -1, 300 (= 9 * 32 + 12): w0 = 1 << 1 | 12 << 11 = 0x6002, w1 = 0x3FF << 1 | 9 << 11
  // = 0x4FFE. A trailing single -512 (0x200): w0 = 0x200 << 1 = 0x0400, two bytes.
  const std::vector<uint8_t> bytes = {0x02, 0x60, 0xFE, 0x4F, 0x00, 0x04};
  EXPECT_EQ(read_one(310, bytes, 4), (std::vector<int32_t>{1, -1, 300, -512}));
}

TEST(WfdbFormats, Format311) {
  // 1 | 0x3FF << 10 | 300 << 20 = 0x12CFFC01; trailing pair -512, 511: 0x200 | 0x1FF << 10 =
  // 0x7FE00 in three bytes.
  const std::vector<uint8_t> bytes = {0x01, 0xFC, 0xCF, 0x12, 0x00, 0xFE, 0x07};
  EXPECT_EQ(read_one(311, bytes, 5), (std::vector<int32_t>{1, -1, 300, -512, 511}));
}

TEST(WfdbFormats, InvalidCodesBecomeNan) {
  struct Case {
    int format;
    std::vector<uint8_t> bytes;
  };
  const std::vector<Case> cases = {{16, {0x00, 0x80}},  {212, {0x00, 0x08}}, {80, {0x00}},
                                   {160, {0x00, 0x00}}, {61, {0x80, 0x00}},  {24, {0, 0, 0x80}},
                                   {310, {0x00, 0x04}}, {311, {0x00, 0x02}}};
  for (const auto& c : cases) {
    TempDir dir;
    write_text(dir / "r.hea", "r 1 100 1\nr.dat " + std::to_string(c.format) + " 100 12 0\n");
    write_bytes(dir / "r.dat", c.bytes);
    WfdbRecord rec = read_wfdb_record(dir / "r");
    EXPECT_EQ(rec.digital[0][0], wfdb_invalid_sample(c.format)) << c.format;
    EXPECT_TRUE(std::isnan(rec.physical(0).samples[0])) << c.format;
  }
}

TEST(WfdbFormats, OffsetSkewSeveralFilesAndSamplesPerFrame) {
  TempDir dir;
  // a.dat: 4 junk bytes, then signal A (format 16) 1, 2, 3.
  // b.dat: signal B in format 80 with skew 1: sample n is frame n + 1; the file has 3 frames
  //        (9, 1, 2), so B = 1, 2, then invalid (-128) where the skew runs past the file.
  // c.dat: frames of C (2 samples per frame) then D, format 16: (10, 11, 20) (12, 13, 21) ...
  write_text(dir / "m.hea",
             "m 4 250/1000(5) 3 10:20:30 01/02/2003\n"
             "# a comment between lines\n"
             "a.dat 16+4 200(-2)/uV 16 0 1 6 0 A\n"
             "b.dat 80:1 10 8 0 1 -125 0 B\n"
             "c.dat 16x2 100 16 0 10 75 0 C\n"
             "c.dat 16 100 16 0 20 63 0 D\n");
  write_bytes(dir / "a.dat", {0xAA, 0xBB, 0xCC, 0xDD, 1, 0, 2, 0, 3, 0});
  write_bytes(dir / "b.dat", {0x89, 0x81, 0x82});
  write_bytes(dir / "c.dat", {10, 0, 11, 0, 20, 0, 12, 0, 13, 0, 21, 0, 14, 0, 15, 0, 22, 0});
  WfdbRecord rec = read_wfdb_record(dir / "m");
  EXPECT_DOUBLE_EQ(rec.header.counter_freq_hz, 1000.0);
  EXPECT_DOUBLE_EQ(rec.header.base_counter, 5.0);
  EXPECT_EQ(rec.header.base_time, "10:20:30");
  EXPECT_EQ(rec.header.base_date, "01/02/2003");
  EXPECT_EQ(rec.digital[0], (std::vector<int32_t>{1, 2, 3}));
  EXPECT_EQ(rec.digital[1], (std::vector<int32_t>{1, 2, -128}));
  EXPECT_EQ(rec.digital[2], (std::vector<int32_t>{10, 11, 12, 13, 14, 15}));
  EXPECT_EQ(rec.digital[3], (std::vector<int32_t>{20, 21, 22}));
  EXPECT_TRUE(rec.warnings.empty()) << rec.warnings.front();  // every checksum matches
  dsp::Signal a = rec.physical(0);
  EXPECT_DOUBLE_EQ(a.samples[0], 0.015);  // (1 - (-2)) / 200
  EXPECT_EQ(a.units, "uV");
  EXPECT_DOUBLE_EQ(rec.physical(2).fs_hz, 500.0);
  EXPECT_TRUE(std::isnan(rec.physical(1).samples[2]));
  WfdbRecord part = read_wfdb_record(dir / "m", {.begin_sample = 1, .end_sample = 2});
  EXPECT_EQ(part.digital[2], (std::vector<int32_t>{12, 13}));
}

TEST(WfdbFormats, FixedLayoutMultiSegmentWithGap) {
  TempDir dir;
  write_text(dir / "ms.hea", "ms/3 1 100 5\ns1 2\n~ 1\ns2 2\n");
  write_text(dir / "s1.hea", "s1 1 100 2\ns1.dat 16 100 16 0 1 3 0 I\n");
  write_bytes(dir / "s1.dat", {1, 0, 2, 0});
  write_text(dir / "s2.hea", "s2 1 100 2\ns2.dat 16 100 16 0 3 7 0 I\n");
  write_bytes(dir / "s2.dat", {3, 0, 4, 0});
  WfdbRecord rec = read_wfdb_record(dir / "ms");
  ASSERT_EQ(rec.num_signals(), 1);
  EXPECT_EQ(rec.header.num_segments, 3);
  EXPECT_EQ(rec.digital[0], (std::vector<int32_t>{1, 2, -32768, 3, 4}));
  EXPECT_TRUE(std::isnan(rec.physical(0).samples[2]));
  WfdbRecord part = read_wfdb_record(dir / "ms", {.begin_sample = 1, .end_sample = 4});
  EXPECT_EQ(part.digital[0], (std::vector<int32_t>{2, -32768, 3}));
}

TEST(WfdbFormats, VariableLayoutMatchesSignalsByNameAndRescales) {
  TempDir dir;
  write_text(dir / "v.hea", "v/3 2 100 4\nv_layout 0\ns1 2\ns2 2\n");
  write_text(dir / "v_layout.hea",
             "v_layout 2 100 0\n~ 0 100/mV 16 0 0 0 0 I\n~ 0 50/mV 16 0 0 0 0 II\n");
  write_text(dir / "s1.hea", "s1 1 100 2\ns1.dat 16 100 16 0 10 30 0 I\n");
  write_bytes(dir / "s1.dat", {10, 0, 20, 0});
  // s2 stores II with gain 100: 100 and -100 are 1 and -1 mV, i.e. 50 and -50 at the layout's 50.
  write_text(dir / "s2.hea", "s2 2 100 2\ns2.dat 16 100 16 0\ns2.dat 16 100 16 0 100 0 0 II\n");
  write_bytes(dir / "s2.dat", {30, 0, 100, 0, 40, 0, 0x9C, 0xFF});
  WfdbRecord rec = read_wfdb_record(dir / "v");
  ASSERT_EQ(rec.num_signals(), 2);
  EXPECT_EQ(rec.digital[0], (std::vector<int32_t>{10, 20, -32768, -32768}));
  EXPECT_EQ(rec.digital[1], (std::vector<int32_t>{-32768, -32768, 50, -50}));
  EXPECT_DOUBLE_EQ(rec.physical(1).samples[2], 1.0);
}

TEST(WfdbFormats, MixedFormatsInOneFileAreRefused) {
  TempDir dir;
  write_text(dir / "r.hea", "r 2 100 1\nr.dat 16 100 16 0\nr.dat 212 100 12 0\n");
  write_bytes(dir / "r.dat", {0, 0, 0, 0});
  EXPECT_THROW(read_wfdb_record(dir / "r"), InputError);
}

}  // namespace
}  // namespace physiolite::io
