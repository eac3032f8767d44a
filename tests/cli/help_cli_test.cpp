// Every command's --help in the same shape: a description and at least one example line that
// starts with `physiolite <the command>`. The commands are read from the binary's own --help
// (and each group's: data, record), so a new command cannot be left out of this check.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/run_command.hpp"

namespace physiolite::testing {
namespace {

// The names listed under "Subcommands:" in a --help text.
std::vector<std::string> subcommands(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream lines(help.substr(help.find("\nSubcommands:\n") + 1));
  std::string line;
  std::getline(lines, line);  // "Subcommands:"
  while (std::getline(lines, line) && line.starts_with("  ")) {
    names.push_back(line.substr(2, line.find(' ', 2) - 2));
  }
  return names;
}

TEST(HelpCli, EveryCommandHasAnExample) {
  // Each command's --help, read once (every run loads LibTorch: about a second each).
  std::vector<std::pair<std::string, CommandResult>> helps;
  const std::string top = run_physiolite("--help").out;
  const bool with_libtorch = top.find("\n  train ") != std::string::npos;
  for (const std::string& c : subcommands(top)) {
    CommandResult help = run_physiolite(c + " --help");
    if (help.out.find("\nSubcommands:\n") == std::string::npos) {
      helps.emplace_back(c, std::move(help));
      continue;
    }
    for (const std::string& sub : subcommands(help.out)) {
      helps.emplace_back(c + " " + sub, run_physiolite(c + " " + sub + " --help"));
    }
  }
  // 14 without LibTorch (data x2, record x4, detect, detect-eval, info, check, stream,
  // ecg-config, export, profile), 4 more with it (train, eval, predict, quantize).
  EXPECT_GE(helps.size(), with_libtorch ? 18u : 14u);
  for (const char* c : {"record write", "stream", "ecg-config", "export", "profile"}) {
    EXPECT_TRUE(std::any_of(helps.begin(), helps.end(), [&](const auto& h) {
      return h.first == c;
    })) << c;
  }
  for (const auto& [c, r] : helps) {
    EXPECT_EQ(r.exit_code, 0) << c;
    const size_t at = r.out.find("\n\nExample");
    ASSERT_NE(at, std::string::npos) << c << ":\n" << r.out;
    EXPECT_NE(r.out.find("  physiolite " + c + " ", at), std::string::npos) << c << ":\n" << r.out;
  }
}

}  // namespace
}  // namespace physiolite::testing
