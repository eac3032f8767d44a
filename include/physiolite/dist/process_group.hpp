// The process group of a data-parallel run: rendezvous through a TCP store hosted by rank 0, then
// collectives (all-reduce, broadcast) through c10d's ProcessGroupGloo. The c10d and Gloo headers
// stay in process_group.cpp.
//
// Faults: every collective gives up after `timeout` (a hung peer) or as soon as a peer's
// connection drops (a dead one). Each rank also beats a heartbeat (with its step) into the store
// from a background thread, so that the survivors can say which rank failed: a rank whose heartbeat
// stopped died or froze; with every heartbeat alive, the rank furthest behind is stuck.
#pragma once

#include <ATen/core/Tensor.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "physiolite/dist/env.hpp"

namespace physiolite::dist {

class ProcessGroup {
 public:
  // Rendezvous with the other world_size - 1 ranks: rank 0 listens on MASTER_PORT (UsageError
  // when the port is taken), the others connect to MASTER_ADDR:MASTER_PORT (Error naming the
  // address when nobody answers within `timeout`). The network interface is Gloo's choice of
  // GLOO_SOCKET_IFNAME when set, else the one this host's name resolves to.
  ProcessGroup(const DistEnv& env, std::chrono::milliseconds timeout);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return env_.rank; }
  int world_size() const { return env_.world_size; }
  std::chrono::milliseconds timeout() const { return timeout_; }

  // Sums `tensor` (contiguous float CPU) over the ranks, in place. Collectives must be issued in
  // the same order on every rank. An Error naming the failed rank when a peer dies or hangs.
  void all_reduce_sum(at::Tensor& tensor);
  // Starts the sum; the returned function waits for it (and throws like all_reduce_sum).
  std::function<void()> all_reduce_sum_async(at::Tensor& tensor);
  // Copies rank `root`'s tensors into every rank's.
  void broadcast(std::vector<at::Tensor>& tensors, int root = 0);
  void barrier();

  // The training step, reported with the heartbeat (to name a stuck rank).
  void set_step(int64_t step);

 private:
  struct State;
  [[noreturn]] void fail(const std::string& what, const std::exception& e);

  DistEnv env_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<State> state_;
};

}  // namespace physiolite::dist
