#include "physiolite/train/augment.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "physiolite/core/splitmix64.hpp"

namespace physiolite::train {

namespace {

uint64_t stream_state(const AugmentStream& stream, int64_t position) {
  SplitMix64 mix(stream.seed ^ 0x5AD1A7E5u);
  uint64_t s = mix.next() ^ static_cast<uint64_t>(stream.epoch);
  s = SplitMix64(s).next() ^ static_cast<uint64_t>(position);
  return SplitMix64(s).next();
}

}  // namespace

void augment_window(const AugmentOptions& options, const AugmentStream& stream, int64_t position,
                    float* window, int64_t signal_channels, int64_t length) {
  if (!options.active() || length <= 0) return;
  SplitMix64 rng(stream_state(stream, position));
  // Drawn in a fixed order whatever is switched on, so one option does not change another's draws.
  const double factor = 1.0 + options.scale * (2.0 * rng.uniform() - 1.0);
  const auto span = static_cast<int64_t>(2 * options.shift + 1);
  const int64_t shift =
      std::min<int64_t>(static_cast<int64_t>(rng.uniform() * static_cast<double>(span)), span - 1) -
      options.shift;
  // |shift| >= length moves everything out of the window.
  const int64_t kept = std::max<int64_t>(0, length - std::abs(shift));
  for (int64_t c = 0; c < signal_channels; ++c) {
    float* x = window + c * length;
    // y[t] = x[t - shift] (zero where t - shift falls outside the window), in place.
    if (shift >= 0) {
      std::memmove(x + (length - kept), x, static_cast<size_t>(kept) * sizeof(float));
      std::fill(x, x + (length - kept), 0.0f);
    } else {
      std::memmove(x, x + (length - kept), static_cast<size_t>(kept) * sizeof(float));
      std::fill(x + kept, x + length, 0.0f);
    }
    for (int64_t t = 0; t < length; ++t) {
      double v = factor * x[t];
      if (options.noise > 0) v += options.noise * rng.normal();
      x[t] = static_cast<float>(v);
    }
  }
}

}  // namespace physiolite::train
