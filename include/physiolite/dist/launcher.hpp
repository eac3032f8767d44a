// `physiolite train --nproc N`: starts N copies of this program on this host, each with the
// variables of a distributed run (RANK = LOCAL_RANK = 0..N-1, WORLD_SIZE = N, MASTER_ADDR =
// 127.0.0.1, MASTER_PORT = a free port unless set), and waits for them. Torch-free.
#pragma once

#include <string>
#include <vector>

namespace physiolite::dist {

// How long the launcher lets the other ranks stop by themselves (they notice a dead peer at once
// and name it) after one failed, before it terminates them.
inline constexpr int kLauncherGraceSeconds = 5;

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick).
int free_local_port();

// Runs `program` with `arguments` (argv[1..]) as `nproc` ranks and returns the exit code to exit
// with: 0 when every rank succeeded, else the first failure's code (128 + signal for a rank
// killed by a signal), after a line on stderr naming that rank. The other ranks are sent SIGTERM
// (then SIGKILL) if they have not stopped kLauncherGraceSeconds later.
int launch_local(const std::string& program, const std::vector<std::string>& arguments, int nproc,
                 int master_port);

}  // namespace physiolite::dist
