// Exit codes and messages of the binary for hostile or wrong input: every usage error (the
// argument parser's own included) exits 2 with the `physiolite: usage error:` prefix, bad data
// 3 with `physiolite: error:`, and nothing echoes raw control bytes or megabytes of input.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"

namespace physiolite::testing {
namespace {

namespace fs = std::filesystem;

bool has_train() { return run_physiolite("--help").out.find("\n  train ") != std::string::npos; }

void expect_usage_error(const std::string& args, const std::string& message) {
  const CommandResult r = run_physiolite(args);
  EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
  EXPECT_TRUE(r.err.starts_with("physiolite: usage error: ")) << args << ": " << r.err;
  EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
}

TEST(HostileCli, EveryParserErrorIsAUsageErrorWithExitCode2) {
  // One case per CLI11 error kind that leaked its own code (104-109 and up) before.
  expect_usage_error("frobnicate", "subcommand");                         // unknown command
  expect_usage_error("record", "subcommand");                             // required subcommand
  expect_usage_error("record info", "record is required");                // required positional
  expect_usage_error("record info a b", "not expected");                  // extras
  expect_usage_error("record info a --bogus", "--bogus");                 // unknown option
  expect_usage_error("record write out --input x.csv --fs abc", "--fs");  // conversion
  expect_usage_error("record samples a --from", "--from");                // missing argument
}

TEST(HostileCli, HelpAndVersionStillExit0) {
  const CommandResult help = run_physiolite("record info --help");
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("--allow-outside-paths"), std::string::npos) << help.out;
  const CommandResult version = run_physiolite("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("physiolite"), std::string::npos);
}

TEST(HostileCli, BadDataExits3WithoutControlBytesOrHanging) {
  TempDir dir;
  write_text(dir / "e.hea", "e 1 100 2\ne.dat 16\x1b[2J\x1b]0;owned\x07 200 16 0 1\n");
  CommandResult r = run_physiolite("record info " + (dir / "e").string());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(r.err.starts_with("physiolite: error: ")) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\\x1b[2J"), std::string::npos) << r.err;

  // A header that is a FIFO nobody writes to, and a signal file that is /dev/zero.
  ASSERT_EQ(mkfifo((dir / "f.hea").c_str(), 0600), 0);
  r = run_physiolite("record info " + (dir / "f").string());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("expected a regular file, got 'a FIFO (pipe)'"), std::string::npos) << r.err;
  write_text(dir / "z.hea", "z 1 100\nz.dat 16 200 16 0\n");
  fs::create_symlink("/dev/zero", dir / "z.dat");
  r = run_physiolite("record samples " + (dir / "z").string());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("a character device"), std::string::npos) << r.err;
}

TEST(HostileCli, OutsidePathsAreRefusedUnlessAllowed) {
  TempDir dir;
  fs::create_directories(dir / "rec");
  write_bytes(dir / "x.dat", {0x05, 0x00});
  write_text(dir / "rec" / "r.hea", "r 1 100 1\n../x.dat 16 200 16 0 5\n");
  CommandResult r = run_physiolite("record samples --digital " + (dir / "rec" / "r").string());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("signal file name"), std::string::npos) << r.err;
  r = run_physiolite("record samples --digital --allow-outside-paths " +
                     (dir / "rec" / "r").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0,5"), std::string::npos) << r.out;
}

TEST(HostileCli, RecordWriteRefusesAnOutOfRangeBaselineAndKeepsTheOldRecord) {
  TempDir dir;
  write_text(dir / "in.csv", "I\n0.5\n1.0\n");
  const std::string out = (dir / "out").string();
  CommandResult r =
      run_physiolite("record write " + out + " --input " + (dir / "in.csv").string() + " --fs 100");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_physiolite("record write " + out + " --input " + (dir / "in.csv").string() +
                     " --fs 100 --baseline 3e9");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--baseline: 3000000000 is not an integer from -2147483648 to 2147483647"),
            std::string::npos)
      << r.err;
  // A bad annotation file: none of .hea, .dat (nor an .atr) appear or change.
  write_text(dir / "bad.csv", "sample,symbol\n5,N\n2,N\n");
  const auto before = fs::last_write_time(dir / "out.dat");
  r = run_physiolite("record write " + out + " --input " + (dir / "in.csv").string() +
                     " --fs 200 --annotations " + (dir / "bad.csv").string());
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::last_write_time(dir / "out.dat"), before);
  EXPECT_FALSE(fs::exists(dir / "out.atr"));
  r = run_physiolite("record info " + out);
  EXPECT_NE(r.out.find("sampling frequency: 100 Hz"), std::string::npos) << r.out;
}

TEST(HostileCli, DetectStdinWithCrOnlyLinesAndNoLineBreaks) {
  TempDir dir;
  // CR-only line ends: 3 samples at 100 Hz, no complaint.
  write_text(dir / "cr.txt", "0.1\r0.2\r0.3\r");
  CommandResult r = run_command(std::string(PHYSIOLITE_CLI) + " detect - --fs 100 < " +
                                (dir / "cr.txt").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("field 'sample'"), std::string::npos) << r.err;
  // 20 MB without a line break: one bad sample reported, bounded memory, exit as usual.
  r = run_command("head -c 20000000 /dev/zero | tr '\\0' '7' | " + std::string(PHYSIOLITE_CLI) +
                  " detect - --fs 100");
  EXPECT_NE(r.err.find("expected a line of at most 256 bytes"), std::string::npos) << r.err;
}

TEST(HostileCli, DeeplyNestedConfigIsABadDataErrorNotACrash) {
  if (!has_train()) GTEST_SKIP() << "physiolite built without LibTorch";
  TempDir dir;
  write_text(dir / "deep.json", std::string(70000, '[') + std::string(70000, ']'));
  CommandResult r = run_physiolite("train --config " + (dir / "deep.json").string());
  EXPECT_EQ(r.exit_code, 3) << r.err.substr(0, 300);
  EXPECT_NE(r.err.find("expected JSON nested at most 64 levels deep"), std::string::npos);
  EXPECT_LT(r.err.size(), 400u);
  // The same through --set: a usage error, also short.
  write_text(dir / "ok.json", "{}");
  r = run_physiolite("train --config " + (dir / "ok.json").string() +
                     " --set 'train.lr=" + std::string(70000, '[') + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err.substr(0, 300);
  EXPECT_LT(r.err.size(), 400u);
}

TEST(HostileCli, DeepJsonInARunsConfigOrADataConfigIsRefusedNotACrash) {
  // 300 000 levels inside an object (copied when the section is taken out) crashed `info --run`
  // and `data summary --config` with SIGSEGV before every JSON file went through
  // read_json_file: the depth is checked on the text first.
  TempDir dir;
  const std::string deep = std::string(300000, '[') + std::string(300000, ']');
  fs::create_directories(dir / "run");
  write_text(dir / "run" / "config.json", "{\"model\": {\"depth\": " + deep + "}}");
  CommandResult r = run_physiolite("info --run " + (dir / "run").string());
  EXPECT_EQ(r.exit_code, 3) << r.err.substr(0, 300);
  EXPECT_NE(r.err.find("config.json: byte 82: field 'config': expected JSON nested at most 64"),
            std::string::npos)
      << r.err.substr(0, 300);
  EXPECT_LT(r.err.size(), 400u);
  write_text(dir / "data.json", "{\"data\": {\"dataset\": \"mitbih\", \"x\": " + deep + "}}");
  r = run_physiolite("data summary --config " + (dir / "data.json").string());
  EXPECT_EQ(r.exit_code, 3) << r.err.substr(0, 300);
  EXPECT_NE(r.err.find("expected JSON nested at most 64 levels deep"), std::string::npos)
      << r.err.substr(0, 300);
  EXPECT_LT(r.err.size(), 400u);
}

TEST(HostileCli, SignalNamesWithEscapeSequencesAreNotEchoedRaw) {
  // A signal description that would clear the screen and set the title: `record samples` (CSV
  // header) and `detect` (summary) printed it raw before; now as \xNN, like `record info`.
  TempDir dir;
  write_text(dir / "g.hea", "g 1 100 2\ng.dat 16 200 16 0 0 0 0 \x1b[2J\x1b]0;owned\x07\n");
  write_bytes(dir / "g.dat", {0, 0, 0, 0});
  CommandResult r = run_physiolite("record samples " + (dir / "g").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.starts_with("sample,\\x1b[2J\\x1b]0;owned\\x07\n")) << r.out;
  r = run_physiolite("detect " + (dir / "g").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("signal 0 (\\x1b[2J\\x1b]0;owned\\x07)"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace physiolite::testing
