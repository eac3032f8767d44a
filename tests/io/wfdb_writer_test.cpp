// The writers against bytes encoded by hand, and round trips: the 48 MIT-BIH records read from
// format 212 and from a format-16 copy we wrote agree exactly, annotations too.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "common/temp_dir.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/io/wfdb_writer.hpp"

namespace physiolite::io {
namespace {

using physiolite::testing::TempDir;

WfdbHeader two_signal_header(int format) {
  WfdbHeader h;
  h.fs_hz = 360;
  for (const char* name : {"A", "B"}) {
    WfdbSignalSpec s;
    s.format = format;
    s.adc_gain = 200;
    s.baseline = 10;
    s.units = "mV";
    s.description = name;
    h.signals.push_back(s);
  }
  h.comments = {"written by a test"};
  return h;
}

TEST(WfdbWriter, Format212BytesAndHeaderByHand) {
  TempDir dir;
  // Frames (100, -200) (2047, -2048): 64 F0 38, FF 87 00 (see wfdb_record_test.cpp).
  write_wfdb_record(dir / "w", two_signal_header(212), {{100, 2047}, {-200, -2048}});
  EXPECT_EQ(read_file_bytes(dir / "w.dat"),
            (std::vector<uint8_t>{0x64, 0xF0, 0x38, 0xFF, 0x87, 0x00}));
  // Checksums: 100 + 2047 = 2147; -200 - 2048 = -2248.
  EXPECT_EQ(read_text_file(dir / "w.hea"),
            "w 2 360 2\n"
            "w.dat 212 200(10)/mV 12 0 100 2147 0 A\n"
            "w.dat 212 200(10)/mV 12 0 -200 -2248 0 B\n"
            "# written by a test\n");
  WfdbRecord back = read_wfdb_record(dir / "w", {.strict = true});
  EXPECT_EQ(back.digital[1], (std::vector<int32_t>{-200, -2048}));
  EXPECT_TRUE(std::isnan(back.physical(1).samples[1]));
}

TEST(WfdbWriter, Format16BytesAndChecksumWrap) {
  TempDir dir;
  // 30000 + 30000 = 60000 wraps to 60000 - 65536 = -5536.
  write_wfdb_record(dir / "w", two_signal_header(16), {{30000, 30000}, {-1, 1}});
  EXPECT_EQ(read_file_bytes(dir / "w.dat"),
            (std::vector<uint8_t>{0x30, 0x75, 0xFF, 0xFF, 0x30, 0x75, 0x01, 0x00}));
  WfdbRecord back = read_wfdb_record(dir / "w", {.strict = true});
  EXPECT_EQ(back.header.signals[0].checksum, -5536);
  EXPECT_EQ(back.digital[0], (std::vector<int32_t>{30000, 30000}));
}

TEST(WfdbWriter, PhysicalToDigitalRoundsAndMapsNan) {
  WfdbSignalSpec s;
  s.format = 212;
  s.adc_gain = 200;
  s.baseline = 1024;
  s.description = "MLII";
  const std::vector<double> x = {0.0, -0.145, 1.0, NAN};
  EXPECT_EQ(physical_to_digital(x, s, "in.csv"), (std::vector<int32_t>{1024, 995, 1224, -2048}));
  const std::vector<double> too_big = {0.0, 6.0};  // 6 * 200 + 1024 = 2224 > 2047
  try {
    physical_to_digital(too_big, s, "in.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("in.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("signal 'MLII' sample 1"), std::string::npos) << e.what();
  }
}

TEST(WfdbWriter, BadArgumentsLeaveNoFiles) {
  TempDir dir;
  EXPECT_THROW(write_wfdb_record(dir / "w", two_signal_header(16), {{1, 2}, {3}}), UsageError);
  EXPECT_THROW(write_wfdb_record(dir / "w", two_signal_header(212), {{1, 5000}, {3, 4}}),
               UsageError);
  EXPECT_THROW(write_wfdb_record(dir / "w", two_signal_header(24), {{1}, {3}}), UsageError);
  EXPECT_EQ(dir.file_count(), 0u);
}

TEST(AnnotationWriter, EncodesEveryPseudoCodeByHand) {
  std::vector<Annotation> a(2);
  a[0].sample = 5;
  a[0].code = 1;  // N
  a[1].sample = 2000;
  a[1].code = 5;  // V
  a[1].subtype = 2;
  a[1].chan = 1;
  a[1].num = 3;
  a[1].aux = "(AB";
  const std::vector<uint8_t> expected = {
      0x05, 0x04,                         // N, interval 5: 1 << 10 | 5
      0x00, 0xEC,                         // SKIP (59 << 10): interval 1995 > 1023
      0x00, 0x00, 0xCB, 0x07,             // 1995 = 0x000007CB, high word first
      0x00, 0x14,                         // V (5 << 10), interval 0
      0x02, 0xF4,                         // SUB 2 (61 << 10 | 2)
      0x01, 0xF8,                         // CHN 1 (62 << 10 | 1)
      0x03, 0xF0,                         // NUM 3 (60 << 10 | 3)
      0x03, 0xFC, '(',  'A',  'B', 0x00,  // AUX, 3 bytes, padded to even
      0x00, 0x00};                        // terminator
  EXPECT_EQ(encode_annotations(a), expected);
  const auto back = parse_annotations(expected, "x.atr");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].sample, 2000);
  EXPECT_EQ(back[1].aux, "(AB");
  EXPECT_EQ(back[1].num, 3);
  EXPECT_EQ(back[1].chan, 1);
  EXPECT_EQ(back[1].subtype, 2);
}

TEST(AnnotationWriter, RejectsUnsortedAndBadCodesWritingNothing) {
  TempDir dir;
  std::vector<Annotation> a(2);
  a[0].sample = 10;
  a[0].code = 1;
  a[1].sample = 5;
  a[1].code = 1;
  EXPECT_THROW(write_annotations(dir / "r", "atr", a), UsageError);
  a[1].sample = 20;
  a[1].code = 0;
  EXPECT_THROW(write_annotations(dir / "r", "atr", a), UsageError);
  EXPECT_EQ(dir.file_count(), 0u);
}

// All 48 records: format 212 as shipped, then our format-16 copy; digital values and
// annotations must agree exactly.
TEST(WfdbWriter, AllMitBihRecordsRoundTripThroughFormat16) {
  const auto mitdb = shared_data_dir() / "mitdb";
  if (!std::filesystem::is_directory(mitdb)) GTEST_SKIP() << "no " << mitdb;
  TempDir dir;
  int records = 0;
  for (const auto& entry : std::filesystem::directory_iterator(mitdb)) {
    if (entry.path().extension() != ".hea") continue;
    const auto record = mitdb / entry.path().stem();
    const WfdbRecord original = read_wfdb_record(record, {.strict = true});
    WfdbHeader header = original.header;
    for (auto& s : header.signals) s.format = 16;
    const auto copy = dir / record.filename();
    write_wfdb_record(copy, header, original.digital);
    const WfdbRecord back = read_wfdb_record(copy, {.strict = true});
    ASSERT_EQ(back.digital, original.digital) << record;
    for (int s = 0; s < original.num_signals(); ++s) {
      EXPECT_EQ(back.header.signals[static_cast<size_t>(s)].checksum,
                original.header.signals[static_cast<size_t>(s)].checksum)
          << record;
    }
    const auto annotations = read_annotations(record);
    write_annotations(copy, "atr", annotations);
    const auto ann_back = read_annotations(copy);
    ASSERT_EQ(ann_back.size(), annotations.size()) << record;
    for (size_t i = 0; i < annotations.size(); ++i) {
      ASSERT_EQ(ann_back[i].sample, annotations[i].sample) << record << " " << i;
      ASSERT_EQ(ann_back[i].code, annotations[i].code);
      ASSERT_EQ(ann_back[i].aux, annotations[i].aux);
      ASSERT_EQ(ann_back[i].subtype, annotations[i].subtype);
      ASSERT_EQ(ann_back[i].chan, annotations[i].chan);
      ASSERT_EQ(ann_back[i].num, annotations[i].num);
    }
    std::filesystem::remove(copy.string() + ".dat");
    ++records;
  }
  EXPECT_EQ(records, 48);
}

// Per-symbol counts against the MIT-BIH Arrhythmia Database directory (Moody & Mark, PhysioNet
// "MIT-BIH Arrhythmia Database Directory", beat tables of records 100, 101, 109, 119, 208).
TEST(MitBihTables, BeatCountsPerSymbol) {
  const auto mitdb = shared_data_dir() / "mitdb";
  if (!std::filesystem::is_directory(mitdb)) GTEST_SKIP() << "no " << mitdb;
  const std::map<std::string, std::map<std::string, int>> published = {
      {"100", {{"N", 2239}, {"A", 33}, {"V", 1}}},
      {"101", {{"N", 1860}, {"A", 3}, {"Q", 2}}},
      {"109", {{"L", 2492}, {"V", 38}, {"F", 2}}},
      {"119", {{"N", 1543}, {"V", 444}}},
      {"208", {{"N", 1586}, {"V", 992}, {"F", 373}, {"S", 2}, {"Q", 2}}},
  };
  for (const auto& [record, expected] : published) {
    std::map<std::string, int> beats;
    for (const auto& a : read_annotations(mitdb / record)) {
      if (is_beat_code(a.code)) ++beats[std::string(a.symbol())];
    }
    EXPECT_EQ(beats, expected) << record;
  }
}

}  // namespace
}  // namespace physiolite::io
