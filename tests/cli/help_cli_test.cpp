// Every command's --help in the same shape: a description and at least one example line that
// starts with `physiolite <the command>`.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/run_command.hpp"

namespace physiolite::testing {
namespace {

TEST(HelpCli, EveryCommandHasAnExample) {
  const bool torch = run_physiolite("--help").out.find("\n  train ") != std::string::npos;
  std::vector<std::string> commands = {
      "data summary", "data export", "record info", "record samples", "record annotations",
      "record write", "detect",      "detect-eval", "info",           "check"};
  if (torch) {
    for (const char* c : {"train", "eval", "predict", "quantize"}) commands.emplace_back(c);
  }
  for (const std::string& c : commands) {
    const CommandResult r = run_physiolite(c + " --help");
    EXPECT_EQ(r.exit_code, 0) << c;
    const size_t at = r.out.find("\nExample");
    ASSERT_NE(at, std::string::npos) << c << ":\n" << r.out;
    EXPECT_NE(r.out.find("  physiolite " + c + " ", at), std::string::npos) << c << ":\n" << r.out;
  }
}

}  // namespace
}  // namespace physiolite::testing
