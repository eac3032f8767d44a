// Black-box tests of `physiolite info` and `physiolite check`.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/run_command.hpp"

namespace {

using physiolite::testing::CommandResult;

// `physiolite <args>` (common/run_command.hpp); `out` gets stdout, and stderr after it unless
// `stdout_only`.
CommandResult run(const std::string& args, bool stdout_only = false) {
  CommandResult r = physiolite::testing::run_physiolite(args);
  if (!stdout_only) r.out += r.err;
  return r;
}

TEST(ModelCli, InfoPrintsTheTableAndTotals) {
  const CommandResult r = run("info --profile uci");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("bank.branches[2].c1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("parameters   310976"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MACs/window  17876480"), std::string::npos) << r.out;
}

// A teacher run: its parts from the config, not a chip layer table; 3 711 108 parameters is
// LibTorch's own count of the same network (tests/model/transformer_net_test.cpp) and the
// 35 654 656 MACs the hand formula of docs/teacher.md: conv1 26*128*7*128 + conv2 128*256*128 +
// 4 layers * (12*256^2*9 + 2*81*256) + head 256*4.
TEST(ModelCli, InfoDescribesATeacherAndCheckRefusesIt) {
  const std::string teacher =
      (std::filesystem::path(PHYSIOLITE_TEST_SOURCE_DIR) / ".." / "models" / "mitbih-teacher-seed1")
          .string();
  CommandResult r = run("info --run " + teacher);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Transformer teacher"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stem.conv1"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("bank."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("parameters   3711108"), std::string::npos) << r.out;
  EXPECT_EQ(2981888 + 4194304 + 4 * (7077888 + 41472) + 1024, 35654656);
  EXPECT_NE(r.out.find("MACs/window  35654656"), std::string::npos) << r.out;
  r = run("info --json --run " + teacher, true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["totals"]["parameters"], 3711108);
  r = run("check --target max78000 --run " + teacher);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("model.type: expected physiolite"), std::string::npos) << r.out;
  for (const std::string command : {"profile --target we2", "export --target we2 -o /dev/null"}) {
    r = run(command + " --run " + teacher);
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.out;
    EXPECT_NE(r.out.find("is a distillation teacher, which no chip runs"), std::string::npos)
        << command << ": " << r.out;
  }
}

TEST(ModelCli, InfoJsonWithOverrides) {
  const CommandResult r = run("info --profile chapman --set model.kernel_set=7 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["totals"]["parameters"], 283216);
  EXPECT_EQ(j["totals"]["macs"], 9217024);
  EXPECT_EQ(j["config"]["kernel_set"], nlohmann::json::array({7}));
}

TEST(ModelCli, BadOverridesAreUsageErrorsNamingTheKey) {
  CommandResult r = run("info --set model.depth=deep");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("model.depth: expected an integer, got 'deep'"), std::string::npos) << r.out;
  r = run("info --set model.width=3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown key 'model.width'"), std::string::npos) << r.out;
  r = run("info --set model.input_length=1000");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("model.input_length: expected a multiple"), std::string::npos) << r.out;
}

TEST(ModelCli, CheckPassesUciOnMax78000) {
  const CommandResult r = run("check --target max78000 --profile uci");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("no violations (1 warnings)"), std::string::npos) << r.out;
}

TEST(ModelCli, CheckFailsAndNamesLayerRuleAndValue) {
  const CommandResult r = run("check --target max78000 --set model.kernel_set=3,5,11");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("bank.branches[2]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("max78000.conv1d.kernel"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("value 11"), std::string::npos) << r.out;
}

TEST(ModelCli, CheckJsonListsViolations) {
  const CommandResult r = run("check --target max78000 --profile ptb --json", true);
  EXPECT_NE(r.exit_code, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["errors"], 1);
  EXPECT_EQ(j["violations"][0]["rule"], "max78000.dims");
  EXPECT_EQ(j["violations"][0]["value"], "2048");
}

TEST(ModelCli, CheckNeedsAKnownTarget) {
  const CommandResult r = run("check --target gpu");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--target: expected one of"), std::string::npos) << r.out;
}

}  // namespace
