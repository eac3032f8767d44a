// Running a vendor tool (Vela, izer) as a child process, without a shell: arguments are passed
// as they are, stdout and stderr go to one log file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace physiolite::exporting {

// Exit status of `argv` (argv[0] a path), or -1 when it could not be started or was killed.
int run_process(const std::vector<std::string>& argv, const std::filesystem::path& log);

}  // namespace physiolite::exporting
