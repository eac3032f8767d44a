// Training-time augmentation of the signal channels of a window: one random amplitude factor,
// additive Gaussian noise and a time shift with zero fill (the signal is z-scored, so zero is its
// mean). Side inputs and positional channels are left alone: the first are measurements (RR
// intervals), the second the network's clock. Every draw is a pure function of (seed, epoch,
// position of the window in the epoch's order), so training stays deterministic, resumes exactly
// and does not depend on the producer thread's timing. Torch-free.
#pragma once

#include <cstdint>

namespace physiolite::train {

struct AugmentOptions {
  double scale = 0;  // amplitude factor drawn uniformly from [1 - scale, 1 + scale]; in [0, 1)
  double noise = 0;  // standard deviation of the added noise, in the signal's (z-scored) units
  int shift = 0;     // shift drawn uniformly from [-shift, shift] samples
  bool active() const { return scale > 0 || noise > 0 || shift > 0; }
};

// Where a window's draws come from.
struct AugmentStream {
  uint64_t seed = 0;
  int64_t epoch = 0;
};

// Augments the first `signal_channels` rows (each `length` floats) of `window` in place.
void augment_window(const AugmentOptions& options, const AugmentStream& stream, int64_t position,
                    float* window, int64_t signal_channels, int64_t length);

}  // namespace physiolite::train
