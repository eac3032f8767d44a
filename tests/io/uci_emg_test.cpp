#include "physiolite/io/uci_emg.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <map>
#include <string>

#include "common/temp_dir.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::io {
namespace {

using testing::TempDir;
using testing::write_text;

const char* const kHeader =
    "time\tchannel1\tchannel2\tchannel3\tchannel4\tchannel5\tchannel6\tchannel7\tchannel8\tclass\n";

std::filesystem::path uci_dir() { return shared_data_dir() / "uci-emg-gestures"; }

std::filesystem::path real_file(const char* relative) {
  auto path = uci_dir() / relative;
  if (!std::filesystem::exists(path)) return {};
  return path;
}

#define SKIP_WITHOUT(path) \
  if ((path).empty()) GTEST_SKIP() << "shared UCI EMG data not found under " << uci_dir()

void write_gzip(const std::filesystem::path& path, const std::string& text) {
  gzFile out = gzopen(path.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(gzwrite(out, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  ASSERT_EQ(gzclose(out), Z_OK);
}

// A row with channel k holding k * 1e-5.
std::string row(int64_t time_ms, int label) {
  return std::to_string(time_ms) + "\t1e-05\t2e-05\t3e-05\t4e-05\t5e-05\t6e-05\t7e-05\t8e-05\t" +
         std::to_string(label) + "\n";
}

// Values are exact multiples of 1e-5; round to counts to compare integers.
long counts(double value) { return std::lround(value * 1e5); }

// The InputError that reading `path` throws (a failed expectation if none).
InputError read_error(const std::filesystem::path& path) {
  try {
    read_uci_emg(path);
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().path, path.string()) << e.what();
    return e;
  }
  ADD_FAILURE() << "no error reading " << path;
  return InputError(InputLocation::file(path.string()), "", "", "");
}

// Header and `n` rows at 1, 2, … ms, class 1: a few hundred KB, compressible.
std::string many_rows(int n) {
  std::string text = kHeader;
  for (int i = 0; i < n; ++i) text += row(i + 1, 1);
  return text;
}

// Expects parse_uci_emg(text) to fail naming the file, `line` and `field`, and containing
// `expected`.
void expect_parse_error(const std::string& text, int64_t line, const std::string& field,
                        const std::string& expected) {
  try {
    parse_uci_emg(text, "05/1_raw_data_bad.txt");
    FAIL() << "no error for field " << field;
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().path, "05/1_raw_data_bad.txt");
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_EQ(e.field(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }
}

// --- real files, checked against numbers obtained independently -------------------------------

// Row counts from shared/data/README.md (per-file line table). The first rows, class counts and
// channel sums were read with Python's gzip module, not with this code:
//   /usr/bin/python3 -c "import gzip; rows=[l.split('\t') for l in
//       gzip.open('01/1_raw_data_13-12_22.03.16.txt.gz','rt').read().split('\n')[1:-1]]; ..."
// (class counts: collections.Counter of column 10; sums: sum(round(float(v)*1e5)) per channel).
TEST(UciEmgReal, Subject01Recording1) {
  auto path = real_file("01/1_raw_data_13-12_22.03.16.txt.gz");
  SKIP_WITHOUT(path);
  UciEmgRecording rec = read_uci_emg(path);
  EXPECT_EQ(rec.id.subject, 1);
  EXPECT_EQ(rec.id.recording, 1);
  ASSERT_EQ(rec.num_rows(), 63196);
  // Rows 1-3: "1 1e-05 -2e-05 -1e-05 -3e-05 0 -1e-05 0 -1e-05 0", "5 …same… 0",
  // "6 -1e-05 1e-05 2e-05 0 1e-05 -2e-05 -1e-05 1e-05 0".
  EXPECT_EQ(rec.times_ms[0], 1);
  EXPECT_EQ(rec.times_ms[1], 5);
  EXPECT_EQ(rec.times_ms[2], 6);
  const long first[8] = {1, -2, -1, -3, 0, -1, 0, -1};
  const long third[8] = {-1, 1, 2, 0, 1, -2, -1, 1};
  for (int ch = 0; ch < 8; ++ch) {
    EXPECT_EQ(counts(rec.channels[ch][0]), first[ch]) << ch;
    EXPECT_EQ(counts(rec.channels[ch][1]), first[ch]) << ch;
    EXPECT_EQ(counts(rec.channels[ch][2]), third[ch]) << ch;
  }
  EXPECT_DOUBLE_EQ(rec.channels[0][0], 1e-05);  // the file's own units, not counts
  // Row 1001 (0-based 1000): "1075 1e-05 -1e-05 -1e-05 0 -1e-05 -1e-05 0 -1e-05 0".
  EXPECT_EQ(rec.times_ms[1000], 1075);
  EXPECT_EQ(counts(rec.channels[1][1000]), -1);
  EXPECT_EQ(rec.times_ms.back(), 65661);
  EXPECT_EQ(counts(rec.channels[7].back()), -4);

  std::map<int, int64_t> class_rows;
  for (int c : rec.classes) ++class_rows[c];
  std::map<int, int64_t> expected = {{0, 41272}, {1, 3780}, {2, 3525}, {3, 3816},
                                     {4, 3441},  {5, 3615}, {6, 3747}};
  EXPECT_EQ(class_rows, expected);

  const long sums[8] = {-49764, -55536, -57422, -60276, -76041, -63876, -52394, -48659};
  for (int ch = 0; ch < 8; ++ch) {
    long sum = 0;
    for (double v : rec.channels[ch]) sum += counts(v);
    EXPECT_EQ(sum, sums[ch]) << ch;
  }
}

TEST(UciEmgReal, Subject31Recording1StartsWithClass1) {
  auto path = real_file("31/1_raw_data_11-15_11.04.16.txt.gz");
  SKIP_WITHOUT(path);
  UciEmgRecording rec = read_uci_emg(path);
  EXPECT_EQ(rec.id.subject, 31);
  ASSERT_EQ(rec.num_rows(), 44927);   // README table
  EXPECT_EQ(rec.classes.front(), 1);  // README: 31/1 has no leading class-0 block
  std::map<int, int64_t> class_rows;
  for (int c : rec.classes) ++class_rows[c];
  std::map<int, int64_t> expected = {{0, 25611}, {1, 3785}, {2, 3200}, {3, 3184},
                                     {4, 3071},  {5, 3150}, {6, 2926}};  // Python, as above
  EXPECT_EQ(class_rows, expected);
}

// Totals over all 64 files as the data set's README counts them (docs/uci_emg.md states them).
TEST(UciEmgReal, AllFilesMatchReadmeTotals) {
  if (!std::filesystem::is_directory(uci_dir())) GTEST_SKIP() << "no " << uci_dir();
  auto files = list_uci_emg_files(uci_dir());
  ASSERT_EQ(files.size(), 64u);
  EXPECT_EQ(files.front().id.subject, 1);
  EXPECT_EQ(files.front().id.recording, 1);
  EXPECT_EQ(files[2].id.subject, 2);  // subject 02 has only recording 2
  EXPECT_EQ(files[2].id.recording, 2);
  EXPECT_EQ(absent_uci_emg_subjects(files), (std::vector<int>{11, 13, 30}));

  int64_t rows = 0;
  std::map<int, int64_t> class_rows;
  for (const auto& file : files) {
    UciEmgRecording rec = read_uci_emg(file.path);
    EXPECT_EQ(rec.id.subject, file.id.subject);
    rows += rec.num_rows();
    for (int c : rec.classes) ++class_rows[c];
  }
  EXPECT_EQ(rows, 3636694);
  std::map<int, int64_t> expected = {{0, 2330550}, {1, 216529}, {2, 212600}, {3, 217158},
                                     {4, 219421},  {5, 220517}, {6, 219919}};
  EXPECT_EQ(class_rows, expected);
}

// Grid values from an independent numpy sample-and-hold on the rows read with Python's gzip:
//   n = floor((t[-1]-t[0])/step + 1e-6) + 1; idx = searchsorted(t, t0 + k*step + 1e-6, 'right') - 1
TEST(UciEmgReal, GridOfSubject01Recording1) {
  auto path = real_file("01/1_raw_data_13-12_22.03.16.txt.gz");
  SKIP_WITHOUT(path);
  UciEmgRecording rec = read_uci_emg(path);
  struct Case {
    double hz;
    size_t n;
    long sums[8];
    std::map<int, int64_t> classes;
    long sample100[8];
  };
  const Case cases[] = {
      {200.0,
       13133,
       {-10204, -11201, -11666, -13130, -16229, -13262, -10966, -10015},
       {{0, 8590}, {1, 783}, {2, 729}, {3, 787}, {4, 708}, {5, 753}, {6, 783}},
       {-2, -1, -1, -2, 0, 0, -2, -1}},
      {1000.0,
       65661,
       {-53433, -58480, -59622, -61954, -77961, -65745, -54455, -50220},
       {{0, 42940}, {1, 3917}, {2, 3647}, {3, 3935}, {4, 3543}, {5, 3767}, {6, 3912}},
       {-1, -3, -4, -1, -2, 0, 0, -1}},
  };
  for (const auto& c : cases) {
    UciEmgGrid grid = to_uniform_grid(rec, c.hz);
    EXPECT_EQ(grid.t0_ms, 1.0);
    ASSERT_EQ(grid.classes.size(), c.n) << c.hz;
    std::map<int, int64_t> class_counts;
    for (int label : grid.classes) ++class_counts[label];
    EXPECT_EQ(class_counts, c.classes) << c.hz;
    for (int ch = 0; ch < 8; ++ch) {
      const dsp::Signal& s = grid.channels[ch];
      ASSERT_EQ(s.samples.size(), c.n);
      EXPECT_EQ(s.fs_hz, c.hz);
      EXPECT_EQ(s.name, "channel" + std::to_string(ch + 1));
      EXPECT_EQ(s.units, kUciEmgUnits);
      long sum = 0;
      for (double v : s.samples) sum += counts(v);
      EXPECT_EQ(sum, c.sums[ch]) << c.hz << " channel " << ch;
      EXPECT_EQ(counts(s.samples[100]), c.sample100[ch]) << c.hz << " channel " << ch;
    }
  }
}

// --- the grid rule on hand-made rows -------------------------------------------------------

UciEmgRecording four_rows() {
  // Rows at 1, 2, 3, 7 ms; channel 1 holds 10, 20, 30, 70 (×1e-5), class 0, 1, 2, 3.
  std::string text = kHeader;
  text += "1\t10e-5\t0\t0\t0\t0\t0\t0\t0\t0\n";
  text += "2\t20e-5\t0\t0\t0\t0\t0\t0\t0\t1\n";
  text += "3\t30e-5\t0\t0\t0\t0\t0\t0\t0\t2\n";
  text += "7\t70e-5\t0\t0\t0\t0\t0\t0\t0\t3\n";
  return parse_uci_emg(text, "grid.txt");
}

// Sample-and-hold: grid sample k at t_k = 1 + k*1000/hz ms takes the last row with time <= t_k.
TEST(UciEmgGrid, SampleAndHoldByHand) {
  UciEmgRecording rec = four_rows();
  struct Case {
    double hz;
    std::vector<long> channel1;
    std::vector<int> classes;
  };
  const Case cases[] = {
      {1000.0, {10, 20, 30, 30, 30, 30, 70}, {0, 1, 2, 2, 2, 2, 3}},  // t = 1 2 3 4 5 6 7
      {500.0, {10, 30, 30, 70}, {0, 2, 2, 3}},                        // t = 1 3 5 7
      {200.0, {10, 30}, {0, 2}},                                      // t = 1 6
      {300.0, {10, 30}, {0, 2}},                                      // t = 1 4.33 (7.67 > 7)
      {2000.0,
       {10, 10, 20, 20, 30, 30, 30, 30, 30, 30, 30, 30, 70},
       {0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3}},
      {100.0, {10}, {0}},  // t = 1 (11 > 7)
  };
  for (const auto& c : cases) {
    UciEmgGrid grid = to_uniform_grid(rec, c.hz);
    std::vector<long> channel1;
    for (double v : grid.channels[0].samples) channel1.push_back(counts(v));
    EXPECT_EQ(channel1, c.channel1) << c.hz << " Hz";
    EXPECT_EQ(grid.classes, c.classes) << c.hz << " Hz";
    EXPECT_EQ(grid.channels[0].fs_hz, c.hz);
  }
}

TEST(UciEmgGrid, RejectsBadRates) {
  UciEmgRecording rec = four_rows();
  for (double hz : {0.0, -200.0, std::nan(""), double{INFINITY}, 1e7}) {
    EXPECT_THROW(to_uniform_grid(rec, hz), UsageError) << hz;
  }
}

// --- parsing details -----------------------------------------------------------------------

TEST(UciEmgParse, AcceptsCrlfAndMissingFinalNewline) {
  std::string text = std::string(kHeader) + row(3, 0) + row(4, 6);
  text.pop_back();  // no final newline
  UciEmgRecording lf = parse_uci_emg(text, "x.txt");
  std::string crlf;
  for (char ch : std::string(kHeader) + row(3, 0) + row(4, 6)) {
    if (ch == '\n') crlf += '\r';
    crlf += ch;
  }
  UciEmgRecording cr = parse_uci_emg(crlf, "x.txt");
  for (const UciEmgRecording* rec : {&lf, &cr}) {
    ASSERT_EQ(rec->num_rows(), 2);
    EXPECT_EQ(rec->times_ms, (std::vector<int64_t>{3, 4}));
    EXPECT_EQ(rec->classes, (std::vector<int>{0, 6}));
    for (int ch = 0; ch < 8; ++ch) EXPECT_EQ(counts(rec->channels[ch][1]), ch + 1);
  }
  EXPECT_EQ(lf.id.subject, 0);  // path outside the dataset layout: id unknown
}

TEST(UciEmgRead, PlainAndGzipFilesGiveTheSameRows) {
  TempDir dir;
  std::filesystem::create_directories(dir / "07");
  std::string text = std::string(kHeader) + row(1, 0) + row(2, 1) + row(9, 7);
  write_text(dir / "07/2_raw_data_10-00_01.01.16.txt", text);
  write_gzip(dir / "07/2_raw_data_10-00_01.01.16.txt.gz", text);
  UciEmgRecording plain = read_uci_emg(dir / "07/2_raw_data_10-00_01.01.16.txt");
  UciEmgRecording gz = read_uci_emg(dir / "07/2_raw_data_10-00_01.01.16.txt.gz");
  for (const UciEmgRecording* rec : {&plain, &gz}) {
    EXPECT_EQ(rec->id.subject, 7);
    EXPECT_EQ(rec->id.recording, 2);
    EXPECT_EQ(rec->times_ms, (std::vector<int64_t>{1, 2, 9}));
    EXPECT_EQ(rec->classes, (std::vector<int>{0, 1, 7}));
    EXPECT_EQ(counts(rec->channels[4][2]), 5);
  }
}

TEST(UciEmgRead, LongFileCrossesReadBlocks) {
  // More than one 1 MiB decompression block, so lines are split across refills.
  const int rows = 30000;  // ~1.3 MB
  TempDir dir;
  write_gzip(dir / "long.txt.gz", many_rows(rows));
  UciEmgRecording rec = read_uci_emg(dir / "long.txt.gz");
  ASSERT_EQ(rec.num_rows(), rows);
  for (int i = 0; i < rows; ++i) {
    ASSERT_EQ(rec.times_ms[i], i + 1);
    ASSERT_EQ(rec.classes[i], 1);
    ASSERT_EQ(counts(rec.channels[7][i]), 8);
  }
}

TEST(UciEmgFileId, ParsesTheDatasetLayout) {
  auto id = parse_uci_emg_file_id("x/05/2_raw_data_10-29_30.03.16.txt.gz");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->subject, 5);
  EXPECT_EQ(id->recording, 2);
  EXPECT_TRUE(parse_uci_emg_file_id("36/1_raw_data_13-03_15.04.16.txt").has_value());
  EXPECT_FALSE(parse_uci_emg_file_id("x/05/2_raw_data_10-29.csv").has_value());
  EXPECT_FALSE(parse_uci_emg_file_id("x/ab/2_raw_data_10-29.txt").has_value());
  EXPECT_FALSE(parse_uci_emg_file_id("x/05/readme.txt").has_value());
}

// --- bad input -----------------------------------------------------------------------------

TEST(UciEmgBadInput, WrongColumnCount) {
  std::string few = std::string(kHeader) + row(1, 0) + "2\t1e-05\t2e-05\t3e-05\t4e-05\t0\n";
  expect_parse_error(few, 3, "channel6", "expected 10 tab-separated columns");
  expect_parse_error(few, 3, "channel6", "got '6 columns'");
  std::string many = std::string(kHeader) + row(1, 0) + "2\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n";
  expect_parse_error(many, 3, "column 11", "got '11 columns'");
  expect_parse_error(std::string(kHeader) + "\n", 2, "channel1", "got '1 columns'");
}

TEST(UciEmgBadInput, NotANumber) {
  expect_parse_error(std::string(kHeader) + "1\t0\t0\tabc\t0\t0\t0\t0\t0\t0\n", 2, "channel3",
                     "expected a finite decimal number, got 'abc'");
  expect_parse_error(std::string(kHeader) + "1\t0\t0\t0\t1.5x\t0\t0\t0\t0\t0\n", 2, "channel4",
                     "got '1.5x'");
  expect_parse_error(std::string(kHeader) + "1\t0\t0\t0\t0\tnan\t0\t0\t0\t0\n", 2, "channel5",
                     "got 'nan'");
  expect_parse_error(std::string(kHeader) + "1\t0\t0\t0\t0\t0\t0\t0\t\t0\n", 2, "channel8",
                     "got ''");
  expect_parse_error(std::string(kHeader) + "1.5\t0\t0\t0\t0\t0\t0\t0\t0\t0\n", 2, "time",
                     "expected a non-negative integer number of milliseconds, got '1.5'");
  expect_parse_error(std::string(kHeader) + "-3\t0\t0\t0\t0\t0\t0\t0\t0\t0\n", 2, "time",
                     "got '-3'");
}

TEST(UciEmgBadInput, ClassOutside0To7) {
  expect_parse_error(std::string(kHeader) + row(1, 0) + row(2, 8), 3, "class",
                     "expected an integer class 0..7, got '8'");
  expect_parse_error(std::string(kHeader) + row(1, -1), 2, "class", "got '-1'");
  expect_parse_error(std::string(kHeader) + "1\t0\t0\t0\t0\t0\t0\t0\t0\t2.0\n", 2, "class",
                     "got '2.0'");
}

TEST(UciEmgBadInput, TimeNotIncreasing) {
  expect_parse_error(std::string(kHeader) + row(5, 0) + row(6, 0) + row(6, 0), 4, "time",
                     "expected a time greater than the previous row's 6 ms");
  expect_parse_error(std::string(kHeader) + row(5, 0) + row(2, 0), 3, "time", "got '2'");
  expect_parse_error(std::string(kHeader) + row(5, 0) + row(1006, 0), 3, "time",
                     "at most 1000 ms after it, got '1006'");
  EXPECT_EQ(parse_uci_emg(std::string(kHeader) + row(5, 0) + row(1005, 0), "x.txt").num_rows(), 2);
}

TEST(UciEmgBadInput, WrongHeader) {
  expect_parse_error("time channel1 channel2\n" + row(1, 0), 1, "header",
                     "expected the tab-separated header");
}

TEST(UciEmgBadInput, EmptyFileAndHeaderOnly) {
  expect_parse_error("", 1, "header", "got 'an empty file'");
  expect_parse_error(kHeader, 2, "rows", "expected at least one data row");
  TempDir dir;
  write_text(dir / "empty.txt", "");
  write_gzip(dir / "header.txt.gz", kHeader);
  EXPECT_EQ(read_error(dir / "empty.txt").field(), "header");
  EXPECT_EQ(read_error(dir / "header.txt.gz").field(), "rows");
}

TEST(UciEmgBadInput, MissingFile) {
  TempDir dir;
  InputError e = read_error(dir / "07/1_raw_data_none.txt.gz");
  EXPECT_EQ(e.field(), "file");
  EXPECT_EQ(e.found(), "no such file");
}

TEST(UciEmgBadInput, TruncatedGzip) {
  TempDir dir;
  auto path = dir / "cut.txt.gz";
  write_gzip(path, many_rows(5000));
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  InputError e = read_error(path);
  EXPECT_EQ(e.field(), "gzip stream");
  EXPECT_EQ(e.found(), "unexpected end of file");  // zlib's message
  EXPECT_GT(e.where().line, 1);                    // the rows before the cut were read
}

TEST(UciEmgBadInput, CorruptGzip) {
  TempDir dir;
  auto path = dir / "bad.txt.gz";
  write_gzip(path, many_rows(5000));
  {
    std::FILE* f = std::fopen(path.c_str(), "r+b");
    ASSERT_NE(f, nullptr);
    std::fseek(f, 40, SEEK_SET);  // inside the deflate data
    const char junk[16] = {'\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff',
                           '\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff'};
    std::fwrite(junk, 1, sizeof junk, f);
    std::fclose(f);
  }
  EXPECT_EQ(read_error(path).field(), "gzip stream");
}

TEST(UciEmgList, SortsSkipsOtherFilesAndReportsAbsentSubjects) {
  TempDir dir;
  for (const char* sub : {"02", "10", "01"}) std::filesystem::create_directories(dir / sub);
  std::string text = std::string(kHeader) + row(1, 0);
  write_text(dir / "10/1_raw_data_a.txt", text);
  write_gzip(dir / "02/2_raw_data_b.txt.gz", text);
  write_text(dir / "01/2_raw_data_c.txt", text);
  write_text(dir / "01/1_raw_data_d.txt", text);
  write_text(dir / "01/notes.txt", "not a recording");
  write_text(dir / "README.txt", "top-level file");
  auto files = list_uci_emg_files(dir.path());
  ASSERT_EQ(files.size(), 4u);
  std::vector<std::pair<int, int>> ids;
  for (const auto& f : files) ids.emplace_back(f.id.subject, f.id.recording);
  EXPECT_EQ(ids, (std::vector<std::pair<int, int>>{{1, 1}, {1, 2}, {2, 2}, {10, 1}}));
  EXPECT_EQ(files[2].path, dir / "02/2_raw_data_b.txt.gz");
  std::vector<int> absent = absent_uci_emg_subjects(files);
  EXPECT_EQ(absent.size(), 33u);
  EXPECT_EQ(absent.front(), 3);
  EXPECT_EQ(std::count(absent.begin(), absent.end(), 10), 0);
}

TEST(UciEmgList, TwoFilesForOneRecordingAreAnError) {
  TempDir dir;
  std::filesystem::create_directories(dir / "04");
  std::string text = std::string(kHeader) + row(1, 0);
  write_text(dir / "04/1_raw_data_x.txt", text);
  write_gzip(dir / "04/1_raw_data_x.txt.gz", text);
  try {
    list_uci_emg_files(dir.path());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "recording");
    EXPECT_NE(std::string(e.what()).find("subject 4 recording 1"), std::string::npos) << e.what();
  }
}

TEST(UciEmgList, MissingDirectory) {
  TempDir dir;
  try {
    list_uci_emg_files(dir / "nowhere");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().path, (dir / "nowhere").string());
    EXPECT_NE(std::string(e.what()).find("no such directory"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace physiolite::io
