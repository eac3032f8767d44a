#include "physiolite/train/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "physiolite/core/error.hpp"

namespace physiolite::train {

namespace {

// A generator per (seed, epoch), independent of how many draws earlier epochs made.
std::mt19937_64 epoch_generator(uint64_t seed, int64_t epoch) {
  std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                    static_cast<uint32_t>(epoch), 0x5eedu};
  return std::mt19937_64(seq);
}

// Uniform in [0, n) from raw 64-bit draws (std::uniform_int_distribution's algorithm is not
// specified, so results could differ between standard libraries).
int64_t uniform_below(std::mt19937_64& gen, int64_t n) {
  const uint64_t range = static_cast<uint64_t>(n);
  const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
  uint64_t x;
  do x = gen();
  while (x >= limit);
  return static_cast<int64_t>(x % range);
}

void shuffle(std::vector<int64_t>& v, std::mt19937_64& gen) {
  for (int64_t i = static_cast<int64_t>(v.size()) - 1; i > 0; --i) {
    std::swap(v[static_cast<size_t>(i)], v[static_cast<size_t>(uniform_below(gen, i + 1))]);
  }
}

}  // namespace

std::vector<int64_t> epoch_indices(const std::string& sampler, std::span<const int64_t> labels,
                                   int64_t num_windows, int64_t samples, uint64_t seed,
                                   int64_t epoch, double balance_power) {
  PL_CHECK(num_windows > 0, "no training windows");
  if (samples == 0) samples = num_windows;
  std::mt19937_64 gen = epoch_generator(seed, epoch);
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(samples));
  if (sampler == "balanced") {
    PL_CHECK(static_cast<int64_t>(labels.size()) == num_windows, "one label per window");
    std::vector<std::vector<int64_t>> by_class;
    for (int64_t i = 0; i < num_windows; ++i) {
      const auto c = static_cast<size_t>(labels[static_cast<size_t>(i)]);
      if (c >= by_class.size()) by_class.resize(c + 1);
      by_class[c].push_back(i);
    }
    std::vector<const std::vector<int64_t>*> present;
    for (const auto& members : by_class) {
      if (!members.empty()) present.push_back(&members);
    }
    // Cumulative class probabilities; a class is the first whose cumulative share exceeds a
    // uniform draw made from 53 raw bits (std::uniform_real_distribution is not portable).
    std::vector<double> cumulative;
    double total = 0;
    for (const auto* members : present) {
      total += std::pow(static_cast<double>(members->size()), balance_power);
      cumulative.push_back(total);
    }
    for (int64_t s = 0; s < samples; ++s) {
      const double u = static_cast<double>(gen() >> 11) * 0x1.0p-53 * total;
      const auto pick = std::upper_bound(cumulative.begin(), cumulative.end() - 1, u);
      const auto& members = *present[static_cast<size_t>(pick - cumulative.begin())];
      out.push_back(
          members[static_cast<size_t>(uniform_below(gen, static_cast<int64_t>(members.size())))]);
    }
    return out;
  }
  PL_CHECK(sampler == "shuffle", "unknown sampler " + sampler);
  std::vector<int64_t> order(static_cast<size_t>(num_windows));
  while (static_cast<int64_t>(out.size()) < samples) {
    std::iota(order.begin(), order.end(), int64_t{0});
    shuffle(order, gen);
    const auto take = std::min<int64_t>(num_windows, samples - static_cast<int64_t>(out.size()));
    out.insert(out.end(), order.begin(), order.begin() + take);
  }
  return out;
}

RankShard shard_order(std::span<const int64_t> order, int64_t batch_size, int rank,
                      int world_size) {
  PL_CHECK(world_size > 0 && rank >= 0 && rank < world_size && batch_size % world_size == 0,
           "shard_order: batch size must be a multiple of the ranks");
  RankShard shard;
  const auto n = static_cast<int64_t>(order.size());
  for (int64_t start = 0; start < n; start += batch_size) {
    const int64_t rows = std::min(batch_size, n - start);
    const int64_t slice = (rows + world_size - 1) / world_size;
    const int64_t first = std::min(rows, rank * slice);
    const int64_t last = std::min(rows, (rank + 1) * slice);
    shard.order.insert(shard.order.end(), order.begin() + start + first,
                       order.begin() + start + last);
    shard.last_batch_rows = last - first;
    if (last == first) shard.order.push_back(order[static_cast<size_t>(start)]);  // padding
  }
  return shard;
}

std::vector<float> balanced_class_weights(std::span<const int64_t> labels, int64_t num_classes) {
  std::vector<int64_t> counts(static_cast<size_t>(num_classes), 0);
  for (int64_t l : labels) ++counts[static_cast<size_t>(l)];
  int64_t present = 0;
  for (int64_t c : counts) present += c > 0;
  std::vector<float> weights(counts.size(), 0.0f);
  for (size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] > 0) {
      weights[c] = static_cast<float>(static_cast<double>(labels.size()) /
                                      (static_cast<double>(present) * counts[c]));
    }
  }
  return weights;
}

}  // namespace physiolite::train
