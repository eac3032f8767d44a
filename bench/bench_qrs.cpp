// Benchmark of the streaming QRS detector (runtime/src/qrs.c): a whole record streamed through a
// fresh detector on one core, repeated; prints the median time, ns per sample and the real-time
// factor. bench/run_qrs.sh runs it next to the numpy peer (bench/peers/qrs_numpy.py).
//
// usage: bench_qrs [RECORD] [REPEATS]   (default: <shared data>/mitdb/100, 50)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "physiolite/core/data_dir.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/stream/qrs_evaluation.hpp"
#include "plrt_qrs.h"

int main(int argc, char** argv) {
  const std::string record =
      argc > 1 ? argv[1] : (physiolite::shared_data_dir() / "mitdb" / "100").string();
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 50;
  const auto wfdb = physiolite::io::read_wfdb_record(record);
  const auto signal = wfdb.physical(physiolite::stream::choose_qrs_lead(wfdb));
  const std::vector<float> x(signal.samples.begin(), signal.samples.end());
  std::vector<plrt_qrs_beat> beats(x.size() / 50 + 64);

  plrt_qrs_params params;
  plrt_qrs_default_params(&params, static_cast<float>(signal.fs_hz));
  plrt_qrs_state state;
  std::vector<double> seconds;
  size_t num_beats = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    plrt_qrs_init(&state, &params);
    size_t offset = 0, total = 0, got = 0;
    while (offset < x.size()) {
      offset += plrt_qrs_process(&state, x.data() + offset, x.size() - offset, beats.data() + total,
                                 beats.size() - total, &got);
      total += got;
    }
    const auto t1 = std::chrono::steady_clock::now();
    seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
    num_beats = total;
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  const double n = static_cast<double>(x.size());
  std::printf(
      "qrs_c record=%s samples=%zu beats=%zu median_s=%.6f ns_per_sample=%.1f rtf=%.0f "
      "state_bytes=%zu repeats=%d\n",
      record.c_str(), x.size(), num_beats, median, 1e9 * median / n, n / signal.fs_hz / median,
      sizeof(plrt_qrs_state), repeats);
  return 0;
}
