// The raw Gloo all-reduce (c10d ProcessGroupGloo, one flat float buffer, no training around it):
// the peer that bench/run_dist.sh sets the gradient all-reduce of a training step against. Run as
// the ranks of a distributed run (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT set, as
// `physiolite train --nproc` or torchrun set them):
//
//   bench_dist <bytes> [repeats, default 200]
//
// Rank 0 prints "bytes <n> median_us <t> algbw_MBps <n / t>" (median over the repeats after 20
// warm-up all-reduces).
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <vector>

#include "physiolite/dist/env.hpp"
#include "physiolite/dist/process_group.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_dist <bytes> [repeats] (as ranks: RANK, WORLD_SIZE, ... set)\n";
    return 2;
  }
  const auto env = physiolite::dist::dist_env_from_environment();
  if (!env) {
    std::cerr << "bench_dist: RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT are not set\n";
    return 2;
  }
  const int64_t bytes = std::atoll(argv[1]);
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 200;
  at::set_num_threads(1);
  physiolite::dist::ProcessGroup group(*env, std::chrono::seconds(60));
  at::Tensor buffer = at::ones({std::max<int64_t>(1, bytes / 4)}, at::kFloat);
  for (int i = 0; i < 20; ++i) group.all_reduce_sum(buffer);
  std::vector<double> us;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    group.all_reduce_sum(buffer);
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(us.begin(), us.end());
  const double median = us[us.size() / 2];
  if (env->rank == 0) {
    std::cout << fmt::format("bytes {} median_us {:.1f} algbw_MBps {:.1f}\n", buffer.numel() * 4,
                             median, static_cast<double>(buffer.numel() * 4) / median)
              << std::flush;
  }
  group.barrier();
  return 0;
}
