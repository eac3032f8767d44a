// Benchmark of the PTB-XL reader and window builder: the train split (folds 1-8) of a PTB-XL-shaped
// folder (ptbxl_database.csv, scp_statements.csv, records500/ WFDB format 16, 12 x 5 000 samples),
// built with the `ptbxl` benchmark as `physiolite data export ptbxl` does, repeated; prints the
// windows, a checksum (sum of |x|) and the median thread CPU time.
// bench/run_datasets.sh makes the folder (1 000 records) and runs it next to the numpy peer
// (bench/peers/ptbxl_numpy.py).
//
// usage: bench_datasets DIR [REPEATS]   (DIR holds ptb-xl/; default 5 repeats)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "physiolite/data/benchmark.hpp"

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_datasets DIR [REPEATS]\n");
    return 2;
  }
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  physiolite::data::Benchmark bench("ptbxl", argv[1]);
  std::vector<double> seconds;
  physiolite::data::WindowSet set;
  for (int r = 0; r < repeats; ++r) {
    const double t0 = thread_cpu_seconds();
    set = bench.build(physiolite::data::Split::kTrain);
    seconds.push_back(thread_cpu_seconds() - t0);
  }
  std::sort(seconds.begin(), seconds.end());
  double checksum = 0;
  for (float v : set.data) checksum += std::abs(v);
  std::printf("windows=%lld checksum=%.1f read_median_s=%.4f\n", static_cast<long long>(set.n),
              checksum, seconds[seconds.size() / 2]);
  return 0;
}
