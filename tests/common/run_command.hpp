// Runs the physiolite binary (or any shell command) and captures its exit code, stdout and stderr.
#pragma once

#include <string>

namespace physiolite::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `command` through /bin/sh with stdout and stderr captured separately.
CommandResult run_command(const std::string& command);
// run_command(PHYSIOLITE_CLI + " " + args).
CommandResult run_physiolite(const std::string& args);

}  // namespace physiolite::testing
