#include "physiolite/stream/qrs_detector.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "physiolite/core/error.hpp"

namespace physiolite::stream {

namespace {
constexpr uint32_t kBadSignal = PLRT_QRS_COND_FLAT | PLRT_QRS_COND_OUT_OF_RANGE;

void drain(plrt_qrs_state& state, std::vector<DetectedBeat>& beats) {
  plrt_qrs_beat beat;
  while (plrt_qrs_pop(&state, &beat)) {
    beats.push_back(
        {beat.sample, beat.emitted_sample, (beat.flags & PLRT_QRS_BEAT_SEARCHBACK) != 0});
  }
}
}  // namespace

std::string describe_condition(uint32_t condition) {
  const bool flat = condition & PLRT_QRS_COND_FLAT;
  const bool range = condition & PLRT_QRS_COND_OUT_OF_RANGE;
  if (flat && range) return "flat line, out of range or NaN";
  if (flat) return "flat line";
  if (range) return "out of range or NaN";
  if (condition & PLRT_QRS_COND_LEARNING) return "learning";
  if (condition & PLRT_QRS_COND_NOT_STARTED) return "not started";
  return "ok";
}

QrsDetector::QrsDetector(double fs_hz) : fs_hz_(fs_hz) {
  plrt_qrs_params params;
  plrt_qrs_default_params(&params, static_cast<float>(fs_hz));
  if (plrt_qrs_init(&state_, &params) != PLRT_OK) {
    throw UsageError(fmt::format("sampling rate: expected {} to {} Hz, got {:g} Hz",
                                 PLRT_QRS_MIN_FS_HZ, PLRT_QRS_MAX_FS_HZ, fs_hz));
  }
}

void QrsDetector::push(std::span<const float> samples, std::vector<DetectedBeat>& beats) {
  for (float x : samples) {
    if (plrt_qrs_push(&state_, x) > 0) drain(state_, beats);
  }
}

void QrsDetector::push(float sample, std::vector<DetectedBeat>& beats) {
  if (plrt_qrs_push(&state_, sample) > 0) drain(state_, beats);
}

QrsDetection detect_qrs(const dsp::Signal& signal) {
  QrsDetector detector(signal.fs_hz);
  QrsDetection out;
  EpisodeTracker tracker;
  for (size_t i = 0; i < signal.samples.size(); ++i) {
    detector.push(static_cast<float>(signal.samples[i]), out.beats);
    tracker.update(static_cast<int64_t>(i), detector.condition());
  }
  tracker.finish(static_cast<int64_t>(signal.samples.size()));
  out.episodes = tracker.episodes();
  out.max_delay_samples = detector.max_delay_samples();
  return out;
}

bool EpisodeTracker::update(int64_t sample, uint32_t condition) {
  const uint32_t bad = condition & kBadSignal;
  if (bad == current_) return false;
  if (current_ != 0) episodes_.back().end_sample = sample;
  if (bad != 0) episodes_.push_back({sample, sample, bad});
  current_ = bad;
  return true;
}

void EpisodeTracker::finish(int64_t end_sample) {
  if (current_ != 0) episodes_.back().end_sample = end_sample;
  current_ = 0;
}

DelayStats delay_stats(std::span<const int64_t> delays_samples, double fs_hz) {
  DelayStats stats;
  stats.count = static_cast<int64_t>(delays_samples.size());
  if (delays_samples.empty()) return stats;
  double sum = 0.0;
  int64_t max = delays_samples.front();
  for (int64_t d : delays_samples) {
    sum += static_cast<double>(d);
    max = std::max(max, d);
  }
  stats.mean_ms = 1000.0 * sum / static_cast<double>(stats.count) / fs_hz;
  stats.max_ms = 1000.0 * static_cast<double>(max) / fs_hz;
  return stats;
}

}  // namespace physiolite::stream
