// Benchmark of the UCI EMG reader: every recording under <shared data>/uci-emg-gestures (64 gzip
// files, 222 MB of text) read with read_uci_emg, repeated; prints the median wall time of
// decompression + line splitting alone, of the full read, and of the 200 Hz grid of all files.
// Times are thread CPU time, which the other jobs on a shared machine disturb far less than wall
// time.
// bench/run_uci.sh runs it next to the numpy peer (bench/peers/uci_numpy.py).
//
// usage: bench_uci [DIR] [REPEATS]   (default: <shared data>/uci-emg-gestures, 5)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "physiolite/core/data_dir.hpp"
#include "physiolite/io/text_lines.hpp"
#include "physiolite/io/uci_emg.hpp"

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

template <typename F>
double median_seconds(int repeats, F&& run) {
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) {
    const double t0 = thread_cpu_seconds();
    run();
    seconds.push_back(thread_cpu_seconds() - t0);
  }
  std::sort(seconds.begin(), seconds.end());
  return seconds[seconds.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace physiolite::io;
  const std::string dir =
      argc > 1 ? argv[1] : (physiolite::shared_data_dir() / "uci-emg-gestures").string();
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  const auto files = list_uci_emg_files(dir);

  int64_t lines = 0;
  const double lines_s = median_seconds(repeats, [&] {
    lines = 0;
    for (const auto& f : files) {
      TextLineReader reader(f.path);
      while (reader.next_line()) ++lines;
    }
  });
  int64_t rows = 0;
  std::vector<UciEmgRecording> recordings;
  const double read_s = median_seconds(repeats, [&] {
    recordings.clear();
    rows = 0;
    for (const auto& f : files) {
      recordings.push_back(read_uci_emg(f.path));
      rows += recordings.back().num_rows();
    }
  });
  size_t grid_samples = 0;
  const double grid_s = median_seconds(repeats, [&] {
    grid_samples = 0;
    for (const auto& rec : recordings) grid_samples += to_uniform_grid(rec, 200.0).classes.size();
  });
  std::printf("files=%zu lines=%lld rows=%lld grid200_samples=%zu repeats=%d\n", files.size(),
              static_cast<long long>(lines), static_cast<long long>(rows), grid_samples, repeats);
  std::printf("lines_only_median_s=%.3f read_median_s=%.3f grid200_median_s=%.3f\n", lines_s,
              read_s, grid_s);
  return 0;
}
