// Black-box tests of `physiolite info` and `physiolite check`.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;
};

// Runs the CLI; `out` gets stdout, and stderr too unless `stdout_only`.
CliRun run(const std::string& args, bool stdout_only = false) {
  const std::string command =
      std::string(PHYSIOLITE_CLI) + " " + args + (stdout_only ? " 2>/dev/null" : " 2>&1");
  CliRun r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(ModelCli, InfoPrintsTheTableAndTotals) {
  const CliRun r = run("info --profile uci");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("bank.branches[2].c1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("parameters   310976"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MACs/window  17876480"), std::string::npos) << r.out;
}

TEST(ModelCli, InfoJsonWithOverrides) {
  const CliRun r = run("info --profile chapman --set model.kernel_set=7 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["totals"]["parameters"], 283216);
  EXPECT_EQ(j["totals"]["macs"], 9217024);
  EXPECT_EQ(j["config"]["kernel_set"], nlohmann::json::array({7}));
}

TEST(ModelCli, BadOverridesAreUsageErrorsNamingTheKey) {
  CliRun r = run("info --set model.depth=deep");
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
  const CliRun r = run("check --target max78000 --profile uci");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("no violations (1 warnings)"), std::string::npos) << r.out;
}

TEST(ModelCli, CheckFailsAndNamesLayerRuleAndValue) {
  const CliRun r = run("check --target max78000 --set model.kernel_set=3,5,11");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("bank.branches[2]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("max78000.conv1d.kernel"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("value 11"), std::string::npos) << r.out;
}

TEST(ModelCli, CheckJsonListsViolations) {
  const CliRun r = run("check --target max78000 --profile ptb --json", true);
  EXPECT_NE(r.exit_code, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["errors"], 1);
  EXPECT_EQ(j["violations"][0]["rule"], "max78000.dims");
  EXPECT_EQ(j["violations"][0]["value"], "2048");
}

TEST(ModelCli, CheckNeedsAKnownTarget) {
  const CliRun r = run("check --target gpu");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--target: expected one of"), std::string::npos) << r.out;
}

}  // namespace
