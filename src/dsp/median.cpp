// Sliding median with two heaps over a circular window of k slots (the "double heap" running
// median): `low` is a max-heap of the (k+1)/2 smallest values, whose top is the median, and `high`
// a min-heap of the rest. Each step overwrites the oldest slot with the incoming value, restores
// that slot's heap, and if the two heaps' tops then cross, swaps them: one replacement can break
// the order between the heaps by at most one element. Every step is O(log k).
#include "physiolite/dsp/median.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "usage_check.hpp"

namespace physiolite::dsp {
namespace {

class WindowMedian {
 public:
  // `initial` holds the first window, oldest first; slot i = sample i of the window.
  explicit WindowMedian(std::span<const double> initial)
      : value_(initial.begin(), initial.end()), in_low_(value_.size()), pos_(value_.size()) {
    std::vector<int> order(value_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return value_[a] < value_[b]; });
    const size_t n_low = (value_.size() + 1) / 2;
    // Descending is a valid max-heap, ascending a valid min-heap.
    for (size_t i = n_low; i-- > 0;) place(low_, order[i], true);
    for (size_t i = n_low; i < order.size(); ++i) place(high_, order[i], false);
  }

  double median() const { return value_[low_[0]]; }

  void replace(int slot, double v) {
    value_[slot] = v;
    if (in_low_[slot]) {
      restore(low_, pos_[slot], true);
    } else {
      restore(high_, pos_[slot], false);
    }
    if (!high_.empty() && value_[low_[0]] > value_[high_[0]]) {
      std::swap(low_[0], high_[0]);
      settle(low_, 0, true);
      settle(high_, 0, false);
      sift_down(low_, 0, true);
      sift_down(high_, 0, false);
    }
  }

 private:
  // `before(a, b)`: a belongs above b in the heap (max-heap for low, min-heap for high).
  bool before(int a, int b, bool max_heap) const {
    return max_heap ? value_[a] > value_[b] : value_[a] < value_[b];
  }

  void place(std::vector<int>& heap, int slot, bool is_low) {
    in_low_[slot] = is_low;
    pos_[slot] = static_cast<int>(heap.size());
    heap.push_back(slot);
  }

  void settle(std::vector<int>& heap, int i, bool is_low) {
    in_low_[heap[i]] = is_low;
    pos_[heap[i]] = i;
  }

  void swap_nodes(std::vector<int>& heap, int i, int j, bool is_low) {
    std::swap(heap[i], heap[j]);
    settle(heap, i, is_low);
    settle(heap, j, is_low);
  }

  void restore(std::vector<int>& heap, int i, bool max_heap) {
    while (i > 0 && before(heap[i], heap[(i - 1) / 2], max_heap)) {
      swap_nodes(heap, i, (i - 1) / 2, max_heap);
      i = (i - 1) / 2;
    }
    sift_down(heap, i, max_heap);
  }

  void sift_down(std::vector<int>& heap, int i, bool max_heap) {
    const int n = static_cast<int>(heap.size());
    for (;;) {
      int best = i;
      const int l = 2 * i + 1, r = l + 1;
      if (l < n && before(heap[l], heap[best], max_heap)) best = l;
      if (r < n && before(heap[r], heap[best], max_heap)) best = r;
      if (best == i) return;
      swap_nodes(heap, i, best, max_heap);
      i = best;
    }
  }

  std::vector<double> value_;  // by slot
  std::vector<char> in_low_;   // by slot
  std::vector<int> pos_;       // by slot: index in its heap
  std::vector<int> low_, high_;
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
