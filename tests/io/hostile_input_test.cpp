// WFDB, annotation and text readers against hostile files: names outside the record's folder,
// devices and FIFOs in place of files, signal files far longer than their header says, a UTF-8
// BOM, lines without end; and the writer's all-or-nothing write of .hea, .dat and .atr.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <functional>

#include "common/error_message.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/io/csv_table.hpp"
#include "physiolite/io/text_lines.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/io/wfdb_writer.hpp"

namespace physiolite::io {
namespace {

namespace fs = std::filesystem;
using physiolite::testing::message_of;
using physiolite::testing::TempDir;
using physiolite::testing::write_bytes;
using physiolite::testing::write_text;

TEST(WfdbHostile, SignalFilesOutsideTheRecordFolderNeedTheOverride) {
  TempDir dir;
  fs::create_directories(dir / "rec" / "sub");
  write_bytes(dir / "outside.dat", {0x01, 0x00, 0x02, 0x00});
  write_bytes(dir / "rec" / "sub" / "in.dat", {0x01, 0x00, 0x02, 0x00});
  write_text(dir / "rec" / "up.hea", "up 1 100 2\n../outside.dat 16 200 16 0 1\n");
  write_text(dir / "rec" / "abs.hea",
             "abs 1 100 2\n" + (dir / "outside.dat").string() + " 16 200 16 0 1\n");
  write_text(dir / "rec" / "down.hea", "down 1 100 2\nsub/in.dat 16 200 16 0 1\n");
  for (const char* name : {"up", "abs"}) {
    const std::string what = message_of([&] { read_wfdb_record(dir / "rec" / name); });
    EXPECT_NE(what.find("field 'signal file name': expected a name inside the record's folder"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("--allow-outside-paths"), std::string::npos) << what;
    const WfdbRecord rec = read_wfdb_record(dir / "rec" / name, {.allow_outside_paths = true});
    EXPECT_EQ(rec.digital[0], (std::vector<int32_t>{1, 2})) << name;
  }
  // A subfolder is inside.
  EXPECT_EQ(read_wfdb_record(dir / "rec" / "down").digital[0], (std::vector<int32_t>{1, 2}));
}

TEST(WfdbHostile, SegmentsOutsideTheRecordFolderNeedTheOverride) {
  TempDir dir;
  fs::create_directories(dir / "rec");
  write_text(dir / "seg.hea", "seg 1 100 2\nseg.dat 16 200 16 0 1\n");
  write_bytes(dir / "seg.dat", {0x01, 0x00, 0x02, 0x00});
  write_text(dir / "rec" / "multi.hea", "multi/1 1 100 2\n../seg 2\n");
  EXPECT_NE(message_of([&] {
              read_wfdb_record(dir / "rec" / "multi");
            }).find("field 'segment name': expected a name inside the record's folder"),
            std::string::npos);
  EXPECT_EQ(read_wfdb_record(dir / "rec" / "multi", {.allow_outside_paths = true}).digital[0],
            (std::vector<int32_t>{1, 2}));
}

TEST(WfdbHostile, DevicesAndFifosAreRefusedWithoutHanging) {
  TempDir dir;
  write_text(dir / "z.hea", "z 1 100\nz.dat 16 200 16 0\n");  // no sample count
  fs::create_symlink("/dev/zero", dir / "z.dat");
  EXPECT_NE(message_of([&] {
              read_wfdb_record(dir / "z");
            }).find("z.dat: field 'file': expected a regular file, got 'a character device'"),
            std::string::npos);
  ASSERT_EQ(mkfifo((dir / "f.hea").c_str(), 0600), 0);
  EXPECT_NE(message_of([&] { read_wfdb_header(dir / "f"); }).find("a FIFO (pipe)"),
            std::string::npos);
  ASSERT_EQ(mkfifo((dir / "f.atr").c_str(), 0600), 0);
  EXPECT_NE(message_of([&] { read_annotations(dir / "f", "atr"); }).find("a FIFO (pipe)"),
            std::string::npos);
}

TEST(WfdbHostile, OnlyTheBytesTheHeaderNamesAreRead) {
  TempDir dir;
  // 2 samples declared, 8 MB of file: the record reads as 2 samples (read_file_prefix stops at
  // 4 bytes; the values beyond are never decoded).
  write_text(dir / "long.hea", "long 1 100 2\nlong.dat 16 200 16 0 1\n");
  std::vector<uint8_t> bytes(8 << 20, 0x7f);
  bytes[0] = 0x01;
  bytes[1] = 0x00;
  bytes[2] = 0x02;
  bytes[3] = 0x00;
  write_bytes(dir / "long.dat", bytes);
  const WfdbRecord rec = read_wfdb_record(dir / "long");
  EXPECT_EQ(rec.digital[0], (std::vector<int32_t>{1, 2}));
}

TEST(WfdbHostile, ControlBytesInAHeaderAreEscapedInErrors) {
  TempDir dir;
  write_text(dir / "e.hea", "e 1 100 2\ne.dat 16\x1b]0;owned\x07 200 16 0 1\n");
  const std::string what = message_of([&] { read_wfdb_header(dir / "e"); });
  EXPECT_EQ(what.find('\x1b'), std::string::npos) << what;
  EXPECT_NE(what.find("\\x1b]0;owned\\x07"), std::string::npos) << what;
}

TEST(WfdbHostile, Utf8BomBeforeTheRecordLineIsSkipped) {
  TempDir dir;
  write_text(dir / "b.hea",
             "\xef\xbb\xbf"
             "b 1 100 2\nb.dat 16 200 16 0 1\n");
  write_bytes(dir / "b.dat", {0x01, 0x00, 0x02, 0x00});
  EXPECT_EQ(read_wfdb_record(dir / "b").header.record_name, "b");
  write_text(dir / "s.csv",
             "\xef\xbb\xbf"
             "sample,I\n0,1.5\n");
  const SignalTable table = read_signal_csv(dir / "s.csv");
  ASSERT_EQ(table.names, (std::vector<std::string>{"I"}));
  EXPECT_EQ(table.columns[0], (std::vector<double>{1.5}));
}

TEST(TextLines, ALineWithoutEndIsRefusedAtTheCap) {
  TempDir dir;
  write_text(dir / "one.csv", "I\n" + std::string(kMaxTextLineBytes + 10, '1'));
  TextLineReader reader(dir / "one.csv");
  EXPECT_EQ(*reader.next_line(), "I");
  const std::string what = message_of([&] { reader.next_line(); });
  EXPECT_NE(what.find("one.csv:2: field 'line': expected a line of at most 1048576 bytes"),
            std::string::npos)
      << what;
}

WfdbHeader one_signal_header() {
  WfdbHeader h;
  h.fs_hz = 360;
  WfdbSignalSpec s;
  s.format = 16;
  s.adc_gain = 200;
  s.units = "mV";
  s.description = "A";
  h.signals.push_back(s);
  return h;
}

std::string contents(const fs::path& p) { return read_text_file(p); }

TEST(WfdbWriterAtomic, ABadAnnotationReplacesNoneOfTheFiles) {
  TempDir dir;
  std::vector<Annotation> good(1);
  good[0].sample = 1;
  good[0].code = 1;
  write_wfdb_record(dir / "r", one_signal_header(), {{1, 2, 3}}, "atr", good);
  const std::string hea = contents(dir / "r.hea"), dat = contents(dir / "r.dat"),
                    atr = contents(dir / "r.atr");
  std::vector<Annotation> bad(2);
  bad[0].sample = 5;
  bad[0].code = 1;
  bad[1].sample = 2;  // unsorted: encode_annotations refuses it
  bad[1].code = 1;
  EXPECT_THROW(write_wfdb_record(dir / "r", one_signal_header(), {{7, 8, 9, 10}}, "atr", bad),
               UsageError);
  EXPECT_EQ(contents(dir / "r.hea"), hea);
  EXPECT_EQ(contents(dir / "r.dat"), dat);
  EXPECT_EQ(contents(dir / "r.atr"), atr);
  EXPECT_EQ(dir.file_count(), 3u);  // no temporaries left
  EXPECT_THROW(write_wfdb_record(dir / "r", one_signal_header(), {{1}}, "../x", good), UsageError);
  EXPECT_EQ(contents(dir / "r.dat"), dat);
}

TEST(WfdbWriterAtomic, WhatTheWriterAcceptsTheReaderReads) {
  TempDir dir;
  WfdbHeader h;
  h.fs_hz = 100;
  std::vector<std::vector<int32_t>> digital;
  for (int s = 0; s <= kMaxWfdbSignals; ++s) {
    WfdbSignalSpec spec = one_signal_header().signals[0];
    h.signals.push_back(spec);
    digital.push_back({s % 100});
  }
  EXPECT_THROW(write_wfdb_record(dir / "many", h, digital), UsageError);
  EXPECT_EQ(dir.file_count(), 0u);
  h.signals.pop_back();
  digital.pop_back();
  write_wfdb_record(dir / "many", h, digital);
  const WfdbRecord rec = read_wfdb_record(dir / "many");
  ASSERT_EQ(rec.num_signals(), kMaxWfdbSignals);
  EXPECT_EQ(rec.digital[4095][0], 95);
  WfdbHeader extreme = one_signal_header();
  extreme.signals[0].baseline = static_cast<int>(kMinWfdbBaseline);
  write_wfdb_record(dir / "x", extreme, {{0}});
  EXPECT_EQ(read_wfdb_record(dir / "x").header.signals[0].baseline, kMinWfdbBaseline);
}

}  // namespace
}  // namespace physiolite::io
