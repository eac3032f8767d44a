// The record shuffles of the reference's ECG scripts, reproduced bit for bit so that the same
// records land in the same split as theirs (given the same record order).
//
// numpy's legacy RandomState(seed) is MT19937 seeded with init_genrand(seed) (std::mt19937(seed)
// is the same generator); RandomState.shuffle / permutation run Fisher-Yates from the last index
// down, drawing j in [0, i] by masked rejection sampling on 32-bit outputs (random_interval).
// sklearn's train_test_split(test_size=f, random_state=s) takes rng.permutation(n) once: the first
// ceil(f n) indices are the test part, the next n - ceil(f n) the train part, each in permuted
// order.
#pragma once

#include <cstdint>
#include <vector>

namespace physiolite::data {

// np.random.RandomState(seed).permutation(n).
std::vector<int64_t> numpy_legacy_permutation(int64_t n, uint32_t seed);

struct TrainTestIndices {
  std::vector<int64_t> train, test;
};
// sklearn.model_selection.train_test_split(range(n), test_size=test_fraction, random_state=seed).
TrainTestIndices sklearn_train_test_split(int64_t n, double test_fraction, uint32_t seed);

}  // namespace physiolite::data
