// Sliding median with two heaps over a circular window of k slots (the "double heap" running
// median): `low` is a max-heap of the (k+1)/2 smallest values, whose top is the median, and `high`
// a min-heap of the rest. Each step overwrites the oldest slot with the incoming value, restores
// that slot's heap, and if the two heaps' tops then cross, swaps them: one replacement can break
// the order between the heaps by at most one element. Every step is O(log k).
#include "physiolite/dsp/median.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "usage_check.hpp"

namespace physiolite::dsp {
namespace {

// Heap nodes carry their value (no indirection when comparing) and the window slot they hold;
// where_[slot] follows each slot through the moves, so the oldest one can be found in O(1).
class WindowMedian {
 public:
  // `initial` holds the first window, oldest first; slot i = sample i of the window.
  explicit WindowMedian(std::span<const double> initial) : where_(initial.size()) {
    std::vector<Node> nodes;
    nodes.reserve(initial.size());
    for (size_t i = 0; i < initial.size(); ++i) nodes.push_back({initial[i], static_cast<int>(i)});
    std::stable_sort(nodes.begin(), nodes.end(),
                     [](const Node& a, const Node& b) { return a.value < b.value; });
    const size_t n_low = (nodes.size() + 1) / 2;
    // Descending order is a valid max-heap, ascending a valid min-heap.
    for (size_t i = n_low; i-- > 0;) append<true>(low_, nodes[i]);
    for (size_t i = n_low; i < nodes.size(); ++i) append<false>(high_, nodes[i]);
  }

  double median() const { return low_[0].value; }

  void replace(int slot, double v) {
    const Place p = where_[slot];
    if (p.in_low) {
      low_[p.index].value = v;
      restore<true>(low_, p.index);
    } else {
      high_[p.index].value = v;
      restore<false>(high_, p.index);
    }
    if (!high_.empty() && low_[0].value > high_[0].value) {
      std::swap(low_[0], high_[0]);
      sift_down<true>(low_, 0);
      sift_down<false>(high_, 0);
    }
  }

 private:
  struct Node {
    double value;
    int slot;
  };
  struct Place {
    bool in_low;
    int index;
  };

  // kLow: the max-heap of the lower half; otherwise the min-heap of the upper half.
  template <bool kLow>
  static bool above(const Node& a, const Node& b) {
    return kLow ? a.value > b.value : a.value < b.value;
  }

  template <bool kLow>
  void put(std::vector<Node>& heap, int i, const Node& n) {
    heap[i] = n;
    where_[n.slot] = {kLow, i};
  }

  template <bool kLow>
  void append(std::vector<Node>& heap, const Node& n) {
    heap.push_back(n);
    where_[n.slot] = {kLow, static_cast<int>(heap.size()) - 1};
  }

  // The node at i changed value: move it up or down to where it belongs.
  template <bool kLow>
  void restore(std::vector<Node>& heap, int i) {
    const Node n = heap[i];
    int hole = i;
    while (hole > 0 && above<kLow>(n, heap[(hole - 1) / 2])) {
      put<kLow>(heap, hole, heap[(hole - 1) / 2]);
      hole = (hole - 1) / 2;
    }
    if (hole != i) {
      put<kLow>(heap, hole, n);
    } else {
      sift_down<kLow>(heap, i);
    }
  }

  template <bool kLow>
  void sift_down(std::vector<Node>& heap, int i) {
    const Node n = heap[i];
    const int size = static_cast<int>(heap.size());
    for (;;) {
      int child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && above<kLow>(heap[child + 1], heap[child])) ++child;
      if (!above<kLow>(heap[child], n)) break;
      put<kLow>(heap, i, heap[child]);
      i = child;
    }
    put<kLow>(heap, i, n);
  }

  std::vector<Place> where_;  // by window slot
  std::vector<Node> low_, high_;
};

}  // namespace

std::vector<double> median_filter(std::span<const double> x, int kernel, MedianEdge edge) {
  if (kernel < 1 || kernel % 2 == 0) {
    detail::usage_fail("median_filter", "kernel", "an odd kernel length >= 1",
                       fmt::format("{}", kernel));
  }
  const auto n = static_cast<std::ptrdiff_t>(x.size());
  if (n == 0) return {};
  const std::ptrdiff_t h = kernel / 2;
  const auto at = [&](std::ptrdiff_t i) {
    if (i >= 0 && i < n) return x[i];
    if (edge == MedianEdge::kZero) return 0.0;
    return i < 0 ? x.front() : x.back();
  };
  std::vector<double> window(kernel);
  for (std::ptrdiff_t j = 0; j < kernel; ++j) window[j] = at(j - h);
  WindowMedian median(window);
  std::vector<double> y(x.size());
  for (std::ptrdiff_t i = 0;; ++i) {
    y[i] = median.median();
    if (i + 1 == n) break;
    // Window i covers i-h .. i+h in slots (i-h+h) mod k = i mod k onwards; drop i-h, add i+h+1.
    median.replace(static_cast<int>(i % kernel), at(i + h + 1));
  }
  return y;
}

int odd_kernel_length(double window_s, double fs_hz) {
  detail::check_rate("odd_kernel_length", "fs_hz", fs_hz);
  detail::check_positive("odd_kernel_length", "window_s", window_s, "a duration > 0 s");
  const int k = static_cast<int>(std::floor(window_s * fs_hz)) + 1;
  return k % 2 == 0 ? k + 1 : k;
}

Signal remove_median_baseline(const Signal& x, int kernel, MedianEdge edge) {
  Signal out = x;
  const std::vector<double> baseline = median_filter(x.samples, kernel, edge);
  for (size_t i = 0; i < out.samples.size(); ++i) out.samples[i] -= baseline[i];
  return out;
}

}  // namespace physiolite::dsp
