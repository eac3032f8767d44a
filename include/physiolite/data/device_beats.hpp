// A record's beats as the device finds them (runtime/include/plrt_ecg.h): the streaming QRS
// detector (plrt_qrs) over one lead, each beat moved to the R peak (refine_detected_beats), and
// the sample whose arrival reported it. `physiolite predict` on a record without annotations
// classifies these beats; training on them (MitBihOptions::train_beats = "detected") gives the
// model the fiducials and RR inputs that `physiolite stream` will give it.
#pragma once

#include <cstdint>
#include <vector>

#include "physiolite/data/mitbih.hpp"

namespace physiolite::data {

struct DeviceBeats {
  std::vector<int64_t> samples;   // refined fiducials at the record's rate, increasing
  std::vector<int64_t> known_at;  // the sample that reported each beat (plrt_qrs emitted_sample)
};

// `lead` in physical units (NaN = invalid). UsageError when `record_fs` is outside the
// detector's 100-1000 Hz.
DeviceBeats device_beats(const std::vector<double>& lead, double record_fs,
                         const MitBihOptions& options);

}  // namespace physiolite::data
