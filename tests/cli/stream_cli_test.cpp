// Black-box tests of `physiolite stream`, `physiolite ecg-config` and `physiolite predict --int8`:
// CSV shape, live stdin with bad lines, NaN and a lead-off stretch, rates outside 100-1000 Hz,
// the documented exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/data_dir.hpp"

namespace {

using physiolite::testing::run_command;
using physiolite::testing::run_physiolite;
using physiolite::testing::TempDir;
using physiolite::testing::write_text;
namespace fs = std::filesystem;

const std::string kModel =
    (fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / "../models/mitbih-wavelet-seed1/int8/max78000-qat.plq")
        .string();

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Two leads at 360 Hz: a QRS-like spike every 0.8 s on a small deterministic ripple; `edit`
// changes line i.
template <class Edit>
std::string two_leads(int seconds, Edit edit) {
  std::string text;
  for (int i = 0; i < seconds * 360; ++i) {
    const int k = i % 288;
    const double v = k < 6 ? 0.3 * k : (k < 12 ? 0.3 * (12 - k) : 0.01 * ((i * 7) % 5));
    std::string line = std::to_string(v) + "," + std::to_string(-0.5 * v);
    edit(i, line);
    text += line + "\n";
  }
  return text;
}

TEST(StreamCli, StreamsARecordOneLinePerBeat) {
  const fs::path record = physiolite::shared_data_dir() / "mitdb" / "100";
  if (!fs::exists(record.string() + ".hea")) GTEST_SKIP() << "no MIT-BIH data";
  TempDir dir;
  const auto r = run_physiolite("stream " + record.string() + " --int8 " + kModel + " --output " +
                                (dir / "beats.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir / "beats.csv");
  std::stringstream ss;
  ss << in.rdbuf();
  const auto lines = lines_of(ss.str());
  ASSERT_GT(lines.size(), 2200u);  // 2273 annotated beats in 100
  EXPECT_EQ(lines[0], "sample,time,label,logit_N,logit_S,logit_V,logit_F");
  EXPECT_NE(lines[1].find(",!learning,,,,"), std::string::npos) << lines[1];
  int n = 0;
  for (const auto& l : lines) n += l.find(",N,") != std::string::npos;
  EXPECT_GT(n, 2000);  // record 100 is sinus rhythm: 2239 N beats
  EXPECT_NE(r.err.find("beats classified"), std::string::npos) << r.err;
}

TEST(StreamCli, StdinWithBadLinesNanAndLeadOff) {
  TempDir dir;
  write_text(dir / "in.txt", two_leads(40, [](int i, std::string& line) {
               if (i == 3600) line = "garbage";
               if (i == 3601) line = "0.1";  // one lead of two
               if (i >= 3700 && i < 3705)
                 line = "nan,nan";  // inside the window of the beat at 10.4 s
               if (i >= 7200 && i < 8280) line = "0.25,0.25";  // 3 s flat: lead-off
             }));
  const auto r =
      run_physiolite("stream - --fs 360 --int8 " + kModel + " < " + (dir / "in.txt").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("stdin:3601: field 'sample': expected 2 finite numbers per line, got "
                       "'garbage'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("stdin:3602:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stdin:3701:"), std::string::npos) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_GT(lines.size(), 20u);
  bool invalid = false, after_flat_learning = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const int64_t sample = std::stoll(lines[i]);
    if (lines[i].find("!invalid sample") != std::string::npos) invalid = true;
    if (sample >= 7200 && sample < 8280) {
      EXPECT_NE(lines[i].find(",!"), std::string::npos)
          << "classified during lead-off: " << lines[i];
    }
    if (sample >= 8280 && lines[i].find("!learning") != std::string::npos)
      after_flat_learning = true;
  }
  EXPECT_TRUE(invalid);
  EXPECT_TRUE(after_flat_learning);
}

TEST(StreamCli, RefusesRatesOutside100To1000Hz) {
  TempDir dir;
  write_text(dir / "in.txt", "0.1,0.2\n");
  auto r = run_physiolite("stream - --fs 50 --int8 " + kModel + " < " + (dir / "in.txt").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--fs: expected 100 to 1000 Hz, got 50"), std::string::npos) << r.err;
  r = run_physiolite("stream - --int8 " + kModel + " < " + (dir / "in.txt").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs --fs HZ"), std::string::npos) << r.err;
  // a rate the model was not trained for is resampled
  write_text(dir / "in250.txt", two_leads(10, [](int, std::string&) {}));
  r = run_physiolite("stream - --fs 250 --int8 " + kModel + " < " + (dir / "in250.txt").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(StreamCli, EmptyStdinAndMissingModelConfig) {
  TempDir dir;
  write_text(dir / "empty.txt", "");
  auto r =
      run_physiolite("stream - --fs 360 --int8 " + kModel + " < " + (dir / "empty.txt").string());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("stdin"), std::string::npos) << r.err;
  fs::copy_file(kModel, dir / "lonely.plq");
  r = run_physiolite("stream - --fs 360 --int8 " + (dir / "lonely.plq").string() + " < " +
                     (dir / "empty.txt").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("give --run DIR"), std::string::npos) << r.err;
}

TEST(StreamCli, EcgConfigWritesACInitializer) {
  const auto r = run_physiolite("ecg-config --int8 " + kModel + " --name cfg");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("static const plrt_ecg_config cfg = {"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0.996758342f"), std::string::npos) << r.out;  // side_offset[0]
  EXPECT_NE(r.out.find("180.f, /* model_fs_hz */"), std::string::npos) << r.out;
  // what a firmware engineer pastes must compile as C99, every field initialised
  if (run_command("command -v cc").exit_code != 0) GTEST_SKIP() << "no C compiler";
  TempDir dir;
  write_text(dir / "config.h", r.out);
  write_text(dir / "use.c",
             "#include \"plrt_ecg.h\"\n#include \"config.h\"\n"
             "const plrt_ecg_config* config(void) { return &cfg; }\n");
  const fs::path include = fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / "../runtime/include";
  const auto cc = run_command("cc -std=c99 -Wall -Wextra -Werror -fsyntax-only -I" +
                              include.string() + " " + (dir / "use.c").string());
  EXPECT_EQ(cc.exit_code, 0) << cc.err;
}

TEST(PredictCli, Int8ModelOnARecord) {
  const fs::path record = physiolite::shared_data_dir() / "mitdb" / "100";
  if (!fs::exists(record.string() + ".hea")) GTEST_SKIP() << "no MIT-BIH data";
  if (run_physiolite("--help").out.find("\n  predict ") == std::string::npos) {
    GTEST_SKIP() << "physiolite built without LibTorch (no predict)";
  }
  TempDir dir;
  const auto r = run_physiolite("predict --int8 " + kModel + " " + record.string() + " --output " +
                                (dir / "p.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir / "p.csv");
  std::stringstream ss;
  ss << in.rdbuf();
  const auto lines = lines_of(ss.str());
  ASSERT_EQ(lines.size(), 2273u + 1);  // the header and every beat annotation of 100 (2,273)
  EXPECT_EQ(lines[0], "index,sample,label,p_N,p_S,p_V,p_F,logit_N,logit_S,logit_V,logit_F");
}

}  // namespace
