// A progress bar for anything a user waits on for more than a second.
//
// Draws to stderr only when stderr is a terminal and only after the work has run for a moment,
// so quick calls and scripts/CI logs stay clean. Shows count, rate, ETA and a caller-set status
// (for instance the live loss). Thread-safe tick().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace physiolite {

class ProgressBar {
 public:
  // `unit` names what is counted ("records", "windows").
  ProgressBar(std::string label, int64_t total, std::string unit);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void tick(int64_t n = 1);
  void set_status(std::string status);
  void finish();

  // Forces drawing on or off (tests, --quiet); by default: isatty(stderr).
  static void set_enabled(bool enabled);

 private:
  void draw(bool final_line);

  std::string label_;
  std::string unit_;
  std::string status_;
  int64_t total_;
  std::atomic<int64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::mutex mutex_;
  bool drawn_ = false;
  bool finished_ = false;
};

}  // namespace physiolite
