/* The runtime tests' pseudo-random numbers: SplitMix64 (Steele, Lea, Flood 2014), the same
 * generator as core/splitmix64.hpp on the C++ side, seeded by assigning g_rng. One copy for
 * every C test and tool that makes random models or inputs. */
#ifndef PLRT_TESTS_TEST_RNG_H
#define PLRT_TESTS_TEST_RNG_H

#include <stdint.h>

static uint64_t g_rng = 1;

static uint32_t next_u32(void) {
  uint64_t z = (g_rng += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* Uniform in [lo, hi]. */
static int32_t uniform(int32_t lo, int32_t hi) {
  return lo + (int32_t)(next_u32() % (uint32_t)(hi - lo + 1));
}

#endif
