// Black-box tests of `physiolite detect` and `physiolite detect-eval`: bad input gives a message
// naming the input and field, the documented exit code, and no output file.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/data_dir.hpp"

namespace {

using physiolite::testing::read_text;
using physiolite::testing::TempDir;
using physiolite::testing::write_text;

using physiolite::testing::CommandResult;

// `physiolite <args>` with `stdin_file` as standard input (common/run_command.hpp).
CommandResult run_cli(const TempDir&, const std::string& args,
                      const std::string& stdin_file = "/dev/null") {
  return physiolite::testing::run_command(std::string(PHYSIOLITE_CLI) + " " + args + " < " +
                                          stdin_file);
}

// A synthetic ECG-like stream: a sharp 10-sample spike every 250 samples at 250 Hz.
std::string spike_train(int seconds, int fs) {
  std::string text;
  for (int i = 0; i < seconds * fs; ++i) {
    const int k = i % fs;
    const int v = k < 5 ? 200 * k : (k < 10 ? 200 * (10 - k) : (i * 7) % 5);
    text += std::to_string(v) + "\n";
  }
  return text;
}

TEST(DetectCli, StreamsTextSamplesFromStdin) {
  TempDir dir;
  write_text(dir / "in.txt", spike_train(20, 250));
  const auto r = run_cli(dir, "detect - --fs 250", (dir / "in.txt").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 12), "sample,time\n");
  // 20 spikes at samples 250k + 5 (the first at 5, ~19-20 found once learning is over).
  EXPECT_NE(r.out.find("\n1255,5.020\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("detection delay mean"), std::string::npos) << r.err;
}

TEST(DetectCli, NonNumericAndNanLinesAreReportedAndSkipped) {
  TempDir dir;
  std::string text = spike_train(20, 250);
  text.replace(text.find("\n", 3000) + 1, 0, "abc\nNaN\n");
  write_text(dir / "in.txt", text);
  const auto r = run_cli(dir, "detect - --fs 250", (dir / "in.txt").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("stdin:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("field 'sample': expected a finite number, got 'abc'"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("got 'NaN'"), std::string::npos) << r.err;
  // Bad lines keep their place in time (missing samples), so later spikes move by 2 samples.
  EXPECT_NE(r.out.find("\n4007,16.028\n"), std::string::npos) << r.out;
}

TEST(DetectCli, FlatStreamIsReportedAndGivesNoBeats) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 250 * 30; ++i) text += "512\n";
  write_text(dir / "in.txt", text);
  const auto r = run_cli(dir, "detect - --fs 250 --output " + (dir / "beats.csv").string(),
                         (dir / "in.txt").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("flat line; no beats until it recovers"), std::string::npos) << r.err;
  EXPECT_EQ(read_text(dir / "beats.csv"), "sample,time\n");
  EXPECT_NE(r.out.find("0 beats"), std::string::npos) << r.out;
}

TEST(DetectCli, BinaryInt16Stream) {
  TempDir dir;
  std::string bytes;
  std::istringstream lines(spike_train(20, 250));
  for (std::string line; std::getline(lines, line);) {
    const int v = std::stoi(line);
    bytes += static_cast<char>(v & 0xff);
    bytes += static_cast<char>((v >> 8) & 0xff);
  }
  write_text(dir / "in.bin", bytes);
  const auto r = run_cli(dir, "detect - --fs 250 --binary", (dir / "in.bin").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\n1255,5.020\n"), std::string::npos) << r.out;
}

TEST(DetectCli, EmptyInputIsAnInputError) {
  TempDir dir;
  const auto out = dir / "beats.csv";
  const auto r = run_cli(dir, "detect - --fs 360 --output " + out.string());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("stdin: field 'samples': expected at least one sample, got 'empty input'"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(DetectCli, UnsupportedSamplingRateIsAUsageError) {
  TempDir dir;
  write_text(dir / "in.txt", "1\n2\n");
  const auto out = dir / "beats.csv";
  for (const char* fs : {"50", "2000", "-1"}) {
    const auto r = run_cli(dir, std::string("detect - --fs ") + fs + " --output " + out.string(),
                           (dir / "in.txt").string());
    EXPECT_EQ(r.exit_code, 2) << fs;
    EXPECT_NE(r.err.find("--fs: expected 100 to 1000 Hz"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
  }
  const auto missing = run_cli(dir, "detect -", (dir / "in.txt").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("needs --fs"), std::string::npos) << missing.err;
}

TEST(DetectCli, RecordWithUnknownSignalNamesTheHeaderAndField) {
  const auto record = physiolite::shared_data_dir() / "mitdb" / "100";
  if (!std::filesystem::exists(record.string() + ".hea")) GTEST_SKIP() << "no MIT-BIH data";
  TempDir dir;
  const auto out = dir / "beats.csv";
  const auto r =
      run_cli(dir, "detect " + record.string() + " --signal V1 --output " + out.string());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("100.hea: field 'signal': expected one of MLII, V5, got 'V1'"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(DetectCli, RecordToCsvFile) {
  const auto record = physiolite::shared_data_dir() / "mitdb" / "100";
  if (!std::filesystem::exists(record.string() + ".hea")) GTEST_SKIP() << "no MIT-BIH data";
  TempDir dir;
  const auto out = dir / "beats.csv";
  const auto r =
      run_cli(dir, "detect " + record.string() + " --signal MLII --output " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = read_text(out);
  EXPECT_EQ(csv.substr(0, 12), "sample,time\n");
  // 100.atr: the second beat (N) is at sample 370; the detector finds it within a few samples.
  EXPECT_TRUE(csv.find("\n37") != std::string::npos) << csv.substr(0, 80);
  EXPECT_NE(r.out.find("detection delay mean"), std::string::npos) << r.out;
}

TEST(DetectEvalCli, MissingFolderIsAnInputError) {
  TempDir dir;
  const auto out = dir / "eval.json";
  const auto r =
      run_cli(dir, "detect-eval " + (dir / "nope").string() + " --output " + out.string());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("nope: field 'database folder'"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
