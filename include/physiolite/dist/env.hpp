// Where this process sits in a data-parallel run, read from the variables torchrun sets (RANK,
// WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT), so that the usual launchers and cluster
// scripts start PhysioLite the way they start PyTorch jobs. Torch-free.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace physiolite::dist {

struct DistEnv {
  int rank = 0;        // 0 .. world_size - 1; rank 0 hosts the rendezvous store and writes files
  int world_size = 1;  // processes in the run, on every host together
  int local_rank = 0;  // index on this host (informational: CPU training binds no device)
  std::string master_addr;  // host of rank 0 (name or address)
  int master_port = 0;      // TCP port of rank 0's rendezvous store
};

// Upper bound on WORLD_SIZE (a typo guard, far above what CPU training on Gloo is useful for).
inline constexpr int kMaxWorldSize = 4096;

// nullopt when none of the five variables is set (a single-process run). Otherwise all of
// RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT must be set (LOCAL_RANK defaults to RANK), or a
// UsageError names the variable, what was expected and what was found.
std::optional<DistEnv> parse_dist_env(const std::function<const char*(const char*)>& lookup);

// parse_dist_env over the process environment.
std::optional<DistEnv> dist_env_from_environment();

}  // namespace physiolite::dist
