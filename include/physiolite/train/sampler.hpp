// Which training windows an epoch visits, in which order. Torch-free and a pure function of
// (seed, epoch), so a resumed run visits exactly what an uninterrupted one would.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace physiolite::train {

// "shuffle": a permutation of the N windows, repeated (each repeat shuffled anew) or cut to
// `samples` windows. "balanced": `samples` draws, each picking a class among the classes present
// with probability proportional to n_c^balance_power (0: uniformly; 0.5: by the square root of
// its size, a milder rebalancing; 1: natural frequencies) and then a window of that class
// uniformly (with replacement). samples = 0 means N. `labels` holds one class per window
// (single-label; ignored by "shuffle").
std::vector<int64_t> epoch_indices(const std::string& sampler, std::span<const int64_t> labels,
                                   int64_t num_windows, int64_t samples, uint64_t seed,
                                   int64_t epoch, double balance_power = 0.0);

// One rank's part of an epoch in a data-parallel run of `world_size` ranks: each global batch of
// `batch_size` consecutive windows of `order` is cut into world_size consecutive slices of
// batch_size / world_size (the last, shorter batch into slices of ceil(L / world_size)), and rank
// r trains on slice r of each. So every step's batches together are exactly the batch one process
// would train on. A rank whose slice of the last batch is empty gets one window of it as padding,
// with last_batch_rows = 0 (it takes part in the step with weight 0). batch_size must be a
// multiple of world_size.
struct RankShard {
  std::vector<int64_t> order;   // batches of batch_size / world_size, the last maybe shorter
  int64_t last_batch_rows = 0;  // rows of the rank's last batch that count
};
RankShard shard_order(std::span<const int64_t> order, int64_t batch_size, int rank, int world_size);

// sklearn's "balanced" weights w_c = N / (K n_c) over the K classes present (0 for absent ones).
std::vector<float> balanced_class_weights(std::span<const int64_t> labels, int64_t num_classes);

}  // namespace physiolite::train
