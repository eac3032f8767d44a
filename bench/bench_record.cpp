// `physiolite record` benchmarks: reading all 48 MIT-BIH records into memory (digital and
// physical), and one whole 30-minute record to CSV. The numpy peer is bench/peers/record_numpy.py;
// bench/run_record.sh runs both and prints the ratios.
#include <benchmark/benchmark.h>

#include <cstdio>
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

void BM_ReadAllMitBihPhysical(benchmark::State& state) {
  const auto records = mitdb_records();
  for (auto _ : state) {
    size_t samples = 0;
    for (const auto& r : records) {
      const auto rec = physiolite::io::read_wfdb_record(r);
      for (int s = 0; s < rec.num_signals(); ++s) samples += rec.physical(s).samples.size();
    }
    benchmark::DoNotOptimize(samples);
  }
  state.SetLabel(std::to_string(records.size()) + " records");
}
BENCHMARK(BM_ReadAllMitBihPhysical)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_SamplesCsvRecord100(benchmark::State& state) {
  const auto record = physiolite::shared_data_dir() / "mitdb" / "100";
  std::FILE* sink = std::fopen("/dev/null", "w");
  for (auto _ : state) {
    const auto rec = physiolite::io::read_wfdb_record(record);
    const std::vector<int> signals = {0, 1};
    physiolite::io::write_samples_csv(rec, signals, false, sink);
  }
  std::fclose(sink);
}
BENCHMARK(BM_SamplesCsvRecord100)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
