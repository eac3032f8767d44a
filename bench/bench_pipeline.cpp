// Load + filter + window all 48 MIT-BIH records (issue 2's speed target: <= 5 s on 2 cores).
// Prints one JSON line per repetition; bench/run_pipeline.sh compares it with the scipy peer.
// Usage: bench_pipeline [mitdb_dir] [repetitions]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "physiolite/core/data_dir.hpp"
#include "physiolite/data/aami.hpp"
#include "physiolite/data/mitbih.hpp"

int main(int argc, char** argv) {
  using namespace physiolite;
  data::MitBihOptions options;
  options.mitdb_dir = argc > 1 ? std::filesystem::path(argv[1]) : shared_data_dir() / "mitdb";
  options.first_signal_if_lead_missing = true;
  options.classes = "NSVFQ";
  const int repetitions = argc > 2 ? std::atoi(argv[2]) : 3;
  auto all = data::mitbih_all_records();
  std::vector<int> records(all.begin(), all.end());
  for (int r = 0; r < repetitions; ++r) {
    auto start = std::chrono::steady_clock::now();
    data::WindowSet set = data::build_mitbih_windows(records, options);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(
        "{{\"impl\": \"physiolite\", \"seconds\": {:.4f}, \"windows\": {}, \"length\": {}}}\n",
        seconds, set.n, set.t);
  }
  return 0;
}
