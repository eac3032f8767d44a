// Black-box tests of `physiolite data`: exit codes, stderr messages, nothing half-written.
#include <gtest/gtest.h>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"

namespace physiolite::testing {
namespace {

TEST(DataCli, HelpListsTheSubcommands) {
  auto r = run_physiolite("data --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("summary"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("export"), std::string::npos) << r.out;
  EXPECT_EQ(run_physiolite("data summary --help").exit_code, 0);
}

TEST(DataCli, SummaryOfMitBihPrintsSplitsAndPublishedDs2Counts) {
  auto r = run_physiolite("data summary mitbih");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("180 Hz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 channels x 512 samples"), std::string::npos) << r.out;
  // test = DS2: 22 records, N S V F of de Chazal 2004.
  EXPECT_NE(r.out.find("test              22    49705    44259     1837     3221      388"),
            std::string::npos)
      << r.out;
}

// The shipped recipe's windows: two leads each with its median-beat difference (4 x 128 at
// 180 Hz) and 6 RR inputs; the beats per split are the same as with the defaults.
TEST(DataCli, SummaryWithTheShippedRecipeConfig) {
  const std::string config =
      std::string(PHYSIOLITE_TEST_SOURCE_DIR) + "/../configs/mitbih_aami.json";
  auto r = run_physiolite("data summary --config '" + config + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4 channels x 128 samples"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("test              22    49705    44259     1837     3221      388"),
            std::string::npos)
      << r.out;
  // --set takes the key with its section, as train does (and the config's dataset may be named).
  r = run_physiolite("data summary mitbih --config '" + config + "' --set data.window_length=96 " +
                     "--set data.beat_offset=48");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4 channels x 96 samples"), std::string::npos) << r.out;
  r = run_physiolite("data summary uci --config '" + config + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("data.dataset is 'mitbih', the command names 'uci'"), std::string::npos)
      << r.err;
  EXPECT_EQ(run_physiolite("data summary").exit_code, 2);  // neither a dataset nor --config
}

TEST(DataCli, UnknownDatasetAndBadOptionAreUsageErrors) {
  auto r = run_physiolite("data summary ptb");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("expected one of mitbih, uci, uci-tinymyo, ptbxl, cpsc, chapman, db5, "
                       "epn612, got 'ptb'"),
            std::string::npos)
      << r.err;
  r = run_physiolite("data summary mitbih --set window_lenght=3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("mitbih.window_lenght"), std::string::npos) << r.err;
}

TEST(DataCli, MissingDataDirIsAnInputErrorNamingTheFile) {
  TempDir dir;
  auto r = run_physiolite("data export mitbih --split test --data-dir '" + dir.path().string() +
                          "' -o '" + (dir / "out.h5").string() + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("mitdb/100.atr: field 'file': expected an existing readable file"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(dir.file_count(), 0u);  // nothing written
}

TEST(DataCli, ExportWritesTheSplitAsHdf5) {
  TempDir dir;
  auto out = (dir / "val.h5").string();
  auto r = run_physiolite("data export mitbih --split validation -o '" + out + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(out));
  EXPECT_EQ(dir.file_count(), 1u);  // no temporary left behind
  // Records 114, 205, 220, 223: 1879 + 2656 + 2048 + 2605 N/S/V/F beats in their .atr files.
  EXPECT_NE(r.err.find("wrote 9188 windows of 1 x 512"), std::string::npos) << r.err;
}

// The reference datasets on the publisher-format fixtures of tests/golden/datasets/ (counts from
// tests/golden/datasets_expected.json, written by tests/golden/gen_datasets.py with numpy/sklearn).
std::string fixture_dir() { return std::string(PHYSIOLITE_TEST_SOURCE_DIR) + "/golden/datasets"; }

TEST(DataCli, SummaryOfCpscCountsRecordsWindowsAndPositivesPerClass) {
  auto r = run_physiolite("data summary cpsc --data-dir '" + fixture_dir() +
                          "' --set window_length=64 --set stride=32");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("500 Hz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("12 channels x 64 samples"), std::string::npos) << r.out;
  // 10 labelled records: 7 / 2 / 1 (sklearn seed 42), 18 / 7 / 4 windows.
  EXPECT_NE(r.out.find("train              7       18"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("test               1        4"), std::string::npos) << r.out;
  r = run_physiolite("data summary epn612 --json --data-dir '" + fixture_dir() +
                     "' --set window_length=32 --set train_per_gesture=2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"windows\": 69"), std::string::npos) << r.out;
}

TEST(DataCli, ExportOfChapmanWritesMultiHotLabels) {
  TempDir dir;
  auto r = run_physiolite("data export chapman --split test --data-dir '" + fixture_dir() +
                          "' --set window_length=64 --set stride=32 -o '" +
                          (dir / "test.h5").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("wrote 4 windows of 12 x 64"), std::string::npos) << r.err;
  EXPECT_EQ(dir.file_count(), 1u);
}

TEST(DataCli, MissingDatasetFolderIsAnInputError) {
  TempDir dir;
  auto r = run_physiolite("data summary db5 --data-dir '" + dir.path().string() + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("ninapro-db5: field 'folder'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace physiolite::testing
