// `physiolite record` benchmarks: reading all 48 MIT-BIH records into memory (digital and
// physical), and one whole 30-minute record to CSV. The numpy peer is bench/peers/record_numpy.py;
// bench/run_record.sh runs both and prints the ratios.
// Usage: bench_record [repeats, default 5]; prints "<case> <median seconds>" per line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "physiolite/core/data_dir.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/io/wfdb_text.hpp"

namespace {

std::vector<std::filesystem::path> mitdb_records() {
  std::vector<std::filesystem::path> out;
  const auto dir = physiolite::shared_data_dir() / "mitdb";
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".hea") out.push_back(dir / e.path().stem());
  }
  return out;
}

double median_seconds(int repeats, const std::function<void()>& work) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::max(1, std::stoi(argv[1])) : 5;
  const auto records = mitdb_records();
  size_t samples = 0;
  const double read_all = median_seconds(repeats, [&] {
    samples = 0;
    for (const auto& r : records) {
      const auto rec = physiolite::io::read_wfdb_record(r);
      for (int s = 0; s < rec.num_signals(); ++s) samples += rec.physical(s).samples.size();
    }
  });
  std::printf("read_all_physical %.6f %zu %zu\n", read_all, records.size(), samples);

  std::FILE* sink = std::fopen("/dev/null", "w");
  const double csv = median_seconds(repeats, [&] {
    const auto rec =
        physiolite::io::read_wfdb_record(physiolite::shared_data_dir() / "mitdb" / "100");
    const std::vector<int> signals = {0, 1};
    physiolite::io::write_samples_csv(rec, signals, false, sink);
  });
  std::fclose(sink);
  std::printf("samples_csv_100 %.6f\n", csv);
  return 0;
}
