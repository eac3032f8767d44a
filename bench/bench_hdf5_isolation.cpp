// The cost of parsing HDF5 in a child process (core/isolated.hpp): read_hdf5_windows as shipped
// (isolated) against the same reader called in process (what it was before), interleaved in one
// run, on a file given on the command line; bench/run_hdf5_isolation.sh exports MIT-BIH's
// training windows and runs it. Also one count_hdf5_windows, the fixed cost of a fork per file.
// Usage: bench_hdf5_isolation FILE.h5 [repeats, default 7]; prints medians and ratios.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "../src/data/hdf5_in_process.hpp"
#include "physiolite/data/hdf5_windows.hpp"

namespace {

using physiolite::data::WindowSet;

double seconds(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

bool same(const WindowSet& a, const WindowSet& b) {
  return a.data == b.data && a.labels == b.labels && a.side == b.side && a.source == b.source &&
         a.begin_sample == b.begin_sample && a.class_names == b.class_names &&
         a.side_names == b.side_names && a.fs_hz == b.fs_hz && a.teacher_logits == b.teacher_logits;
}

void report(const char* what, const std::vector<double>& in, const std::vector<double>& iso) {
  const double a = median(in), b = median(iso);
  std::printf("%-22s in process %9.2f ms   isolated %9.2f ms   ratio %.2f   (+%.2f ms)\n", what,
              a * 1e3, b * 1e3, b / a, (b - a) * 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_hdf5_isolation FILE.h5 [repeats]\n");
    return 2;
  }
  const std::filesystem::path path = argv[1];
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
  std::vector<double> read_in, read_iso, count_in, count_iso;
  for (int i = 0; i < repeats; ++i) {
    {
      WindowSet a, b;
      read_in.push_back(
          seconds([&] { a = physiolite::data::detail::read_hdf5_windows_in_process(path, {}); }));
      read_iso.push_back(seconds([&] { b = physiolite::data::read_hdf5_windows(path); }));
      if (!same(a, b)) {
        std::fprintf(stderr, "the isolated read differs from the in-process one\n");
        return 1;
      }
    }
    // With the windows freed: the fixed cost of a fork from a small process.
    count_in.push_back(
        seconds([&] { physiolite::data::detail::count_hdf5_windows_in_process(path); }));
    count_iso.push_back(seconds([&] { physiolite::data::count_hdf5_windows(path); }));
  }
  std::printf("%s: %.1f MB, %d repeats, medians\n", path.c_str(),
              static_cast<double>(std::filesystem::file_size(path)) / 1e6, repeats);
  report("read_hdf5_windows", read_in, read_iso);
  report("count_hdf5_windows", count_in, count_iso);
  return 0;
}
