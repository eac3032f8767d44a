// Post-training calibration: the float model run over a fixed, seeded subset of windows while
// every node's output and every input channel is observed.
//   minmax      the smallest and largest value seen
//   percentile  the (100 - p)th and pth percentiles of the values (two passes: min/max, then a
//               2048-bin histogram per tensor), which ignores rare outliers
// Ranges of tensors that must share parameters are united later (params.hpp).
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "physiolite/data/window_set.hpp"
#include "physiolite/quant/float_forward.hpp"
#include "physiolite/train/model_input.hpp"

namespace physiolite::quant {

struct CalibrationOptions {
  std::string method = "minmax";  // minmax | percentile
  double percentile = 99.99;      // p in (50, 100]
  int64_t windows = 2048;         // windows of the set (all of them when it has fewer)
  uint64_t seed = 1;              // which windows
  int64_t batch_size = 256;
  void validate() const;  // UsageError naming the CLI flag
};

struct Range {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  void include(double lo, double hi);
  void include(const Range& r) { include(r.min, r.max); }
  double max_abs() const;  // 0 for an empty range
};

struct Calibration {
  std::vector<Range> nodes;           // one per plan node
  std::vector<Range> input_channels;  // one per input channel
  int64_t windows = 0;                // windows seen
};

// `windows` distinct indices of [0, n) drawn with `seed`, ascending (all of [0, n) if n is
// smaller).
std::vector<int64_t> calibration_indices(int64_t n, int64_t windows, uint64_t seed);

Calibration calibrate(const std::vector<Node>& plan, const ConvWeights& weights,
                      const data::WindowSet& set, const train::InputAssembler& assembler,
                      const CalibrationOptions& options);

nlohmann::json to_json(const CalibrationOptions& options);

}  // namespace physiolite::quant
