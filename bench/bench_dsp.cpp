// Times the dsp operations the MIT-BIH and UCI EMG pipelines run, on one record-sized signal
// (650 000 samples at 360 Hz, as an MIT-BIH channel). Prints "<case> <median ms> <min ms>" per
// case; bench/peers/dsp_scipy.py prints the same cases for scipy and bench/run_dsp.sh compares.
// Times are this thread's CPU time (CLOCK_THREAD_CPUTIME_ID, Python's time.thread_time), so that
// other jobs on the shared 2-core machine inflate them less than wall-clock time would.
//   build/<dir>/bench/bench_dsp [repeats]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <numbers>
#include <vector>

#include "physiolite/dsp/iir_filter.hpp"
#include "physiolite/dsp/median.hpp"
#include "physiolite/dsp/normalize.hpp"
#include "physiolite/dsp/resample.hpp"

namespace {

using namespace physiolite::dsp;

constexpr double kFs = 360.0;
constexpr size_t kSamples = 650000;

// The signal both sides use: 1.2 Hz "beats", 50 Hz mains, slow wander and a deterministic
// pseudo-noise term, so no random generator has to agree between C++ and numpy.
std::vector<double> test_signal() {
  std::vector<double> x(kSamples);
  for (size_t i = 0; i < kSamples; ++i) {
    const double t = static_cast<double>(i) / kFs;
    x[i] = std::sin(2 * std::numbers::pi * 1.2 * t) +
           0.3 * std::sin(2 * std::numbers::pi * 50 * t) +
           0.5 * std::sin(2 * std::numbers::pi * 0.1 * t) +
           0.05 * std::sin(static_cast<double>(i) * i);
  }
  return x;
}

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

void time_case(const char* name, int repeats, const std::function<double()>& run) {
  std::vector<double> ms;
  double sink = 0;
  for (int r = 0; r < repeats; ++r) {
    const double t0 = thread_cpu_ms();
    sink += run();
    ms.push_back(thread_cpu_ms() - t0);
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%-28s %9.3f %9.3f   (checksum %.6g)\n", name, ms[ms.size() / 2], ms.front(), sink);
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 21;
  const std::vector<double> x = test_signal();
  const Sos bandpass = butter_bandpass(4, 0.67, 40, kFs);
  const TransferFunction notch = iirnotch(50, 30, kFs);
  const int kernel = odd_kernel_length(0.4, kFs);
  std::printf("%-28s %9s %9s   samples %zu, fs %.0f Hz, %d repeats\n", "case", "median_ms",
              "min_ms", kSamples, kFs, repeats);
  time_case("sosfiltfilt_bp4_0.67_40", repeats, [&] { return sosfiltfilt(bandpass, x)[1000]; });
  time_case("filtfilt_notch_50_q30", repeats, [&] { return filtfilt(notch, x)[1000]; });
  time_case("medfilt_k145_nearest", repeats,
            [&] { return median_filter(x, kernel, MedianEdge::kNearest)[1000]; });
  time_case("resample_poly_5_18", repeats, [&] { return resample_poly(x, 5, 18)[1000]; });
  time_case("zscore", repeats, [&] {
    std::vector<double> y = x;
    normalize_inplace(y, Normalization::kZScore);
    return y[1000];
  });
  return 0;
}
