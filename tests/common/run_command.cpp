#include "common/run_command.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/temp_dir.hpp"

namespace physiolite::testing {

CommandResult run_command(const std::string& command) {
  TempDir dir;
  auto out_path = dir / "stdout";
  auto err_path = dir / "stderr";
  std::string full = command + " > '" + out_path.string() + "' 2> '" + err_path.string() + "'";
  int status = std::system(full.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  return result;
}

CommandResult run_physiolite(const std::string& args) {
#ifdef PHYSIOLITE_CLI
  return run_command(std::string("'") + PHYSIOLITE_CLI + "' " + args);
#else
  return run_command("false " + args);
#endif
}

}  // namespace physiolite::testing
