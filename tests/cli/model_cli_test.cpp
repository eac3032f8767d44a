// Black-box tests of `physiolite info` and `physiolite check`.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
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
