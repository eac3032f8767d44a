#include "physiolite/data/numpy_shuffle.hpp"

#include <cmath>
#include <numeric>
#include <random>

namespace physiolite::data {

namespace {

// numpy's random_interval(max) for max < 2^32: the smallest all-ones mask covering max, then
// draws until one fits.
uint32_t random_interval(std::mt19937& mt, uint32_t max) {
  if (max == 0) return 0;
  uint32_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  uint32_t value;
  while ((value = static_cast<uint32_t>(mt()) & mask) > max) {
  }
  return value;
}

}  // namespace

std::vector<int64_t> numpy_legacy_permutation(int64_t n, uint32_t seed) {
  std::vector<int64_t> p(static_cast<size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  std::mt19937 mt(seed);
  for (int64_t i = n - 1; i >= 1; --i) {
    const uint32_t j = random_interval(mt, static_cast<uint32_t>(i));
    std::swap(p[static_cast<size_t>(i)], p[j]);
  }
  return p;
}

TrainTestIndices sklearn_train_test_split(int64_t n, double test_fraction, uint32_t seed) {
  const auto n_test = static_cast<int64_t>(std::ceil(test_fraction * static_cast<double>(n)));
  const std::vector<int64_t> p = numpy_legacy_permutation(n, seed);
  TrainTestIndices out;
  out.test.assign(p.begin(), p.begin() + n_test);
  out.train.assign(p.begin() + n_test, p.end());
  return out;
}

}  // namespace physiolite::data
