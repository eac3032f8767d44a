// build_uci_emg_windows on tiny files whose runs are known by construction.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <cmath>
#include <numeric>

#include "common/temp_dir.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/uci_emg_windows.hpp"
#include "physiolite/io/uci_emg.hpp"

namespace physiolite::data {
namespace {

using physiolite::testing::TempDir;

// Rows every 1 ms: 100 rows class 0, 300 rows class 2, 100 rows class 0, 250 rows class 5.
// Channel c on row r holds (r % 7 - 3 + c) * 1e-5, so every channel varies.
void write_subject(const std::filesystem::path& dir, int subject) {
  auto folder = dir / fmt::format("{:02}", subject);
  std::filesystem::create_directories(folder);
  std::string text =
      "time\tchannel1\tchannel2\tchannel3\tchannel4\tchannel5\tchannel6\tchannel7\tchannel8\tclass"
      "\n";
  int row = 0;
  for (auto [cls, rows] :
       std::vector<std::pair<int, int>>{{0, 100}, {2, 300}, {0, 100}, {5, 250}}) {
    for (int i = 0; i < rows; ++i, ++row) {
      text += std::to_string(row + 1);
      for (int c = 0; c < 8; ++c) text += fmt::format("\t{}e-05", row % 7 - 3 + c);
      text += fmt::format("\t{}\n", cls);
    }
  }
  testing::write_text(folder / "1_raw_data_10-00_01.01.16.txt", text);
}

UciEmgOptions tiny_options(const std::filesystem::path& dir) {
  return {.dir = dir,
          .grid_hz = 1000.0,
          .window_length = 100,
          .stride = 50,
          .edge_trim = 20,
          .train_subjects = {1},
          .validation_subjects = {2},
          .test_subjects = {}};
}

TEST(UciEmgWindows, WindowsFitInsideTrimmedGestureRuns) {
  TempDir dir;
  write_subject(dir.path(), 1);
  WindowSet set = build_uci_emg_windows({1}, tiny_options(dir.path()));
  // Class 2: rows 100..399, trimmed to [120, 380): starts 120, 170, ..., 270 -> 4 windows.
  // Class 5: rows 500..749, trimmed to [520, 730): starts 520, 570, 620 -> 3 windows.
  ASSERT_EQ(set.n, 7);
  EXPECT_EQ(set.c, 8);
  EXPECT_EQ(set.t, 100);
  EXPECT_EQ(set.labels, (std::vector<int64_t>{1, 1, 1, 1, 4, 4, 4}));
  EXPECT_EQ(set.begin_sample, (std::vector<int64_t>{120, 170, 220, 270, 520, 570, 620}));
  EXPECT_EQ(set.source.front(), "s01r1");
}

TEST(UciEmgWindows, ZScoreIsPerSubjectOverTheWholeRecording) {
  TempDir dir;
  write_subject(dir.path(), 1);
  UciEmgOptions o = tiny_options(dir.path());
  WindowSet set = build_uci_emg_windows({1}, o);
  // Channel 0 of row r is (r % 7 - 3) * 1e-5 over rows 0..749; the subject's population mean and
  // standard deviation, computed here from that definition, normalise the first window's values.
  double sum = 0, sq = 0;
  for (int r = 0; r < 750; ++r) sum += (r % 7 - 3) * 1e-5;
  double mean = sum / 750;
  for (int r = 0; r < 750; ++r) sq += std::pow((r % 7 - 3) * 1e-5 - mean, 2);
  double sd = std::sqrt(sq / 750);
  for (int k = 0; k < 5; ++k) {
    int row = 120 + k;
    EXPECT_NEAR(set.data[static_cast<size_t>(k)], ((row % 7 - 3) * 1e-5 - mean) / (sd + 1e-6),
                1e-4);
  }
}

TEST(UciEmgWindows, AbsentSubjectsAreSkippedAndBadOptionsRefused) {
  TempDir dir;
  write_subject(dir.path(), 1);
  EXPECT_EQ(build_uci_emg_windows({2}, tiny_options(dir.path())).n, 0);
  UciEmgOptions o = tiny_options(dir.path());
  o.validation_subjects = {1};  // also in train
  EXPECT_THROW(o.validate(), UsageError);
  o = tiny_options(dir.path());
  o.grid_hz = 0;
  EXPECT_THROW(o.validate(), UsageError);
}

TEST(UciEmgWindows, ProtocolPresetsMatchTheirPapers) {
  auto r = uci_emg_reference_options("d");
  EXPECT_EQ(r.window_length, 1024);
  EXPECT_EQ(r.stride, 512);
  EXPECT_EQ(r.validation_subjects, (std::vector<int>{33, 34}));
  EXPECT_EQ(r.test_subjects, (std::vector<int>{35, 36}));
  auto t = uci_emg_tinymyo_options("d");
  EXPECT_EQ(t.window_length, 1000);
  EXPECT_EQ(t.train_subjects.size(), 24u);
  EXPECT_EQ(t.test_subjects, (std::vector<int>{31, 32, 33, 34, 35, 36}));
}

TEST(UciEmgWindows, ThisCopyLacksSubjects11_13_30) {
  auto files = io::list_uci_emg_files(shared_data_dir() / "uci-emg-gestures");
  EXPECT_EQ(files.size(), 64u);
  EXPECT_EQ(io::absent_uci_emg_subjects(files), (std::vector<int>{11, 13, 30}));
}

}  // namespace
}  // namespace physiolite::data
