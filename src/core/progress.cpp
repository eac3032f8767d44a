#include "physiolite/core/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace physiolite {

namespace {
std::atomic<int> g_enabled{-1};  // -1: decide by isatty(stderr)

bool drawing_enabled() {
  int e = g_enabled.load();
  if (e < 0) return ::isatty(STDERR_FILENO) != 0;
  return e != 0;
}

std::string format_duration(double seconds) {
  if (seconds < 0 || seconds > 1e7) return "--:--";
  auto s = static_cast<long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

constexpr auto kDelayBeforeFirstDraw = std::chrono::milliseconds(500);
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr int kBarWidth = 28;
}  // namespace

void ProgressBar::set_enabled(bool enabled) { g_enabled = enabled ? 1 : 0; }

ProgressBar::ProgressBar(std::string label, int64_t total, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::tick(int64_t n) {
  done_ += n;
  auto now = std::chrono::steady_clock::now();
  if (now - start_ < kDelayBeforeFirstDraw || now - last_draw_ < kRedrawInterval) return;
  std::lock_guard lock(mutex_);
  draw(false);
}

void ProgressBar::set_status(std::string status) {
  std::lock_guard lock(mutex_);
  status_ = std::move(status);
}

void ProgressBar::finish() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (drawn_) draw(true);
}

void ProgressBar::draw(bool final_line) {
  if (!drawing_enabled()) return;
  auto now = std::chrono::steady_clock::now();
  last_draw_ = now;
  drawn_ = true;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  int64_t done = done_.load();
  double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  double fraction = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 0.0;
  if (fraction > 1.0) fraction = 1.0;
  int filled = static_cast<int>(fraction * kBarWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kBarWidth, '.');
  double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : -1.0;
  std::string line = fmt::format("\r{} [{}] {}/{} {} {:.1f} {}/s {} eta {}", label_, bar, done,
                                 total_, unit_, rate, unit_, format_duration(elapsed),
                                 final_line ? "00:00" : format_duration(eta));
  if (!status_.empty()) line += "  " + status_;
  line += "\x1b[K";
  if (final_line) line += "\n";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace physiolite
