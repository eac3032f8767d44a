// C++ view of the runtime's streaming QRS detector (runtime/include/plrt_qrs.h): the same state
// and arithmetic as on the device, fed from a dsp::Signal or a live stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "physiolite/dsp/signal.hpp"
#include "plrt_qrs.h"

namespace physiolite::stream {

struct DetectedBeat {
  int64_t sample = 0;          // fiducial sample
  int64_t emitted_sample = 0;  // sample whose arrival emitted the beat
  bool searchback = false;
};

// A stretch of samples during which the detector reported a bad signal.
struct SignalEpisode {
  int64_t begin_sample = 0;
  int64_t end_sample = 0;  // exclusive
  uint32_t condition = 0;  // PLRT_QRS_COND_FLAT and/or PLRT_QRS_COND_OUT_OF_RANGE
};

// "flat line", "out of range or NaN", "flat line, out of range or NaN", "learning", "ok".
std::string describe_condition(uint32_t condition);

class QrsDetector {
 public:
  // Throws UsageError when fs_hz is outside [PLRT_QRS_MIN_FS_HZ, PLRT_QRS_MAX_FS_HZ].
  explicit QrsDetector(double fs_hz);

  // Feeds samples (any unit; NaN = invalid) and appends the beats they emitted to `beats`.
  void push(std::span<const float> samples, std::vector<DetectedBeat>& beats);
  void push(float sample, std::vector<DetectedBeat>& beats);

  uint32_t condition() const { return plrt_qrs_condition(&state_); }
  double fs_hz() const { return fs_hz_; }
  int64_t samples_pushed() const { return state_.n; }
  int64_t max_delay_samples() const { return plrt_qrs_max_delay_samples(&state_); }
  static constexpr size_t state_size_bytes() { return sizeof(plrt_qrs_state); }

 private:
  plrt_qrs_state state_;
  double fs_hz_;
};

struct QrsDetection {
  std::vector<DetectedBeat> beats;
  std::vector<SignalEpisode> episodes;  // flat / out-of-range stretches, in order
  int64_t max_delay_samples = 0;
};

// Streams a whole signal through a fresh detector, sample by sample.
QrsDetection detect_qrs(const dsp::Signal& signal);

// Collects SignalEpisodes from the condition seen after each sample.
class EpisodeTracker {
 public:
  // Returns true when the bad-signal part of the condition changed at `sample`.
  bool update(int64_t sample, uint32_t condition);
  void finish(int64_t end_sample);
  const std::vector<SignalEpisode>& episodes() const { return episodes_; }

 private:
  std::vector<SignalEpisode> episodes_;
  uint32_t current_ = 0;
};

struct DelayStats {
  int64_t count = 0;
  double mean_ms = 0.0;
  double max_ms = 0.0;
};

// Statistics of delays given in samples.
DelayStats delay_stats(std::span<const int64_t> delays_samples, double fs_hz);

}  // namespace physiolite::stream
