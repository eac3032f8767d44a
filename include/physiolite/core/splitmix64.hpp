// SplitMix64 (Steele, Lea, Flood 2014): a small, fast generator that gives the same numbers on
// every platform, unlike the standard library's distributions. Used where a draw must be a pure
// function of a few integers (seed, epoch, position) so that runs are exactly reproducible.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>

namespace physiolite {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t state) : state_(state) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1), 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Standard normal (Box-Muller; 1 - u keeps the logarithm's argument in (0, 1]).
  double normal() {
    const double r = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    return r * std::cos(2.0 * std::numbers::pi * uniform());
  }

 private:
  uint64_t state_;
};

}  // namespace physiolite
