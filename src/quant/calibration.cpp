#include "physiolite/quant/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "physiolite/core/error.hpp"
#include "physiolite/core/progress.hpp"
#include "physiolite/train/batch_producer.hpp"

namespace physiolite::quant {

void CalibrationOptions::validate() const {
  if (method != "minmax" && method != "percentile") {
    throw UsageError(fmt::format("--calibration: expected minmax or percentile, got '{}'", method));
  }
  if (!(percentile > 50 && percentile <= 100)) {
    throw UsageError(
        fmt::format("--percentile: expected a value in (50, 100], got {}", percentile));
  }
  if (windows < 1) {
    throw UsageError(fmt::format("--calibration-windows: expected >= 1, got {}", windows));
  }
  PL_CHECK(batch_size >= 1, "calibration batch size");
}

nlohmann::json to_json(const CalibrationOptions& o) {
  nlohmann::json j{{"method", o.method}, {"windows", o.windows}, {"seed", o.seed}};
  if (o.method == "percentile") j["percentile"] = o.percentile;
  return j;
}

void Range::include(double lo, double hi) {
  min = std::min(min, lo);
  max = std::max(max, hi);
}

double Range::max_abs() const { return max < min ? 0.0 : std::max(std::abs(min), std::abs(max)); }

std::vector<int64_t> calibration_indices(int64_t n, int64_t windows, uint64_t seed) {
  std::vector<int64_t> all(static_cast<size_t>(n));
  std::iota(all.begin(), all.end(), int64_t{0});
  if (windows >= n) return all;
  std::mt19937_64 engine(seed);
  for (int64_t i = 0; i < windows; ++i) {  // partial Fisher-Yates
    const auto j = i + static_cast<int64_t>(engine() % static_cast<uint64_t>(n - i));
    std::swap(all[static_cast<size_t>(i)], all[static_cast<size_t>(j)]);
  }
  all.resize(static_cast<size_t>(windows));
  std::sort(all.begin(), all.end());
  return all;
}

namespace {

constexpr int64_t kBins = 2048;

// Pass 1: the smallest and largest value of every tensor and input channel.
class MinMaxObserver : public Observer {
 public:
  explicit MinMaxObserver(Calibration& c) : c_(c) {}
  torch::Tensor input(const torch::Tensor& x) override {
    const torch::Tensor lo = std::get<0>(x.min(2)).amin(0), hi = std::get<0>(x.max(2)).amax(0);
    for (int64_t ch = 0; ch < x.size(1); ++ch) {
      c_.input_channels[static_cast<size_t>(ch)].include(lo[ch].item<double>(),
                                                         hi[ch].item<double>());
    }
    return x;
  }
  torch::Tensor output(int node, const torch::Tensor& y) override {
    c_.nodes[static_cast<size_t>(node)].include(y.min().item<double>(), y.max().item<double>());
    return y;
  }

 private:
  Calibration& c_;
};

// Pass 2: a histogram over pass 1's range per tensor and input channel.
struct Histogram {
  Range range;
  std::vector<double> counts = std::vector<double>(kBins, 0.0);

  void add(const torch::Tensor& values) {
    if (!(range.max - range.min > 0)) return;
    const torch::Tensor h = torch::histc(values.to(torch::kFloat32), kBins, range.min, range.max)
                                .to(torch::kFloat64)
                                .contiguous();
    const double* p = h.data_ptr<double>();
    for (int64_t b = 0; b < kBins; ++b) counts[static_cast<size_t>(b)] += p[b];
  }

  // The lower edge of the bin reaching (100 - p)% of the values, the upper edge of the bin
  // reaching p%: the clipped range never cuts into the kept values' bins.
  Range percentile_range(double p) const {
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    if (!(range.max - range.min > 0) || total == 0) return range;
    const double width = (range.max - range.min) / kBins;
    Range out;
    double cumulative = 0;
    bool low_found = false;
    for (int64_t b = 0; b < kBins; ++b) {
      cumulative += counts[static_cast<size_t>(b)];
      if (!low_found && cumulative >= (1 - p / 100) * total && cumulative > 0) {
        out.min = range.min + static_cast<double>(b) * width;
        low_found = true;
      }
      if (cumulative >= p / 100 * total) {
        out.max = range.min + static_cast<double>(b + 1) * width;
        break;
      }
    }
    if (out.max < out.min) out.max = range.max;
    return out;
  }
};

class HistogramObserver : public Observer {
 public:
  HistogramObserver(const Calibration& minmax)
      : nodes_(minmax.nodes.size()), channels_(minmax.input_channels.size()) {
    for (size_t i = 0; i < nodes_.size(); ++i) nodes_[i].range = minmax.nodes[i];
    for (size_t i = 0; i < channels_.size(); ++i) channels_[i].range = minmax.input_channels[i];
  }
  torch::Tensor input(const torch::Tensor& x) override {
    for (int64_t ch = 0; ch < x.size(1); ++ch) {
      channels_[static_cast<size_t>(ch)].add(x.select(1, ch));
    }
    return x;
  }
  torch::Tensor output(int node, const torch::Tensor& y) override {
    nodes_[static_cast<size_t>(node)].add(y);
    return y;
  }
  void finish(Calibration& c, double p) const {
    for (size_t i = 0; i < nodes_.size(); ++i) c.nodes[i] = nodes_[i].percentile_range(p);
    for (size_t i = 0; i < channels_.size(); ++i) {
      c.input_channels[i] = channels_[i].percentile_range(p);
    }
  }

 private:
  std::vector<Histogram> nodes_, channels_;
};

void run_pass(const std::vector<Node>& plan, const ConvWeights& weights, const data::WindowSet& set,
              const train::InputAssembler& assembler, const std::vector<int64_t>& indices,
              int64_t batch_size, Observer& observer, const std::string& label) {
  torch::NoGradGuard no_grad;
  train::BatchProducer producer(set, assembler, indices, batch_size, false);
  ProgressBar bar(label, static_cast<int64_t>(indices.size()), "windows");
  while (auto batch = producer.next()) {
    forward_float(plan, weights, batch->inputs, observer);
    bar.tick(batch->inputs.size(0));
  }
  bar.finish();
}

}  // namespace

Calibration calibrate(const std::vector<Node>& plan, const ConvWeights& weights,
                      const data::WindowSet& set, const train::InputAssembler& assembler,
                      const CalibrationOptions& options) {
  options.validate();
  PL_CHECK(set.n > 0, "calibration needs windows");
  const std::vector<int64_t> indices = calibration_indices(set.n, options.windows, options.seed);
  Calibration c;
  c.nodes.resize(plan.size());
  c.input_channels.resize(static_cast<size_t>(assembler.channels()));
  c.windows = static_cast<int64_t>(indices.size());
  MinMaxObserver minmax(c);
  run_pass(plan, weights, set, assembler, indices, options.batch_size, minmax, "calibration");
  if (options.method == "percentile") {
    HistogramObserver histograms(c);
    run_pass(plan, weights, set, assembler, indices, options.batch_size, histograms,
             "calibration (histograms)");
    histograms.finish(c, options.percentile);
  }
  return c;
}

}  // namespace physiolite::quant
