#include "physiolite/data/device_beats.hpp"

#include <fmt/format.h>

#include "physiolite/core/error.hpp"
#include "physiolite/data/beat_windows.hpp"
#include "plrt_qrs.h"

namespace physiolite::data {

DeviceBeats device_beats(const std::vector<double>& lead, double record_fs,
                         const MitBihOptions& options) {
  plrt_qrs_params params;
  plrt_qrs_default_params(&params, static_cast<float>(record_fs));
  plrt_qrs_state state;
  if (plrt_qrs_init(&state, &params) != PLRT_OK) {
    throw UsageError(fmt::format("sampling rate: expected {} to {} Hz, got {:g} Hz",
                                 PLRT_QRS_MIN_FS_HZ, PLRT_QRS_MAX_FS_HZ, record_fs));
  }
  DeviceBeats out;
  std::vector<int64_t> detected;
  plrt_qrs_beat beat;
  for (double x : lead) {
    if (plrt_qrs_push(&state, static_cast<float>(x)) <= 0) continue;
    while (plrt_qrs_pop(&state, &beat)) {
      detected.push_back(beat.sample);
      out.known_at.push_back(beat.emitted_sample);
    }
  }
  out.samples = refine_detected_beats(lead, record_fs, detected, options);
  return out;
}

}  // namespace physiolite::data
