// Transfer-function filtering in direct form II transposed, as scipy.signal.lfilter:
//   y = b0 x + z0;  z_k = b_{k+1} x + z_{k+1} - a_{k+1} y;  z_{m-2} = b_{m-1} x - a_{m-1} y,
// with b and a divided by a[0] and zero-padded to a common length m.
#include <fmt/format.h>
#include <algorithm>

#include "iir_kernels.hpp"
#include "usage_check.hpp"

namespace physiolite::dsp {
namespace detail {

NormalisedTf normalise(const TransferFunction& tf, std::string_view function) {
  if (tf.b.empty() || tf.a.empty() || tf.a[0] == 0.0) {
    detail::usage_fail(function, "tf", "non-empty b and a with a[0] != 0",
                       fmt::format("len(b) = {}, len(a) = {}, a[0] = {}", tf.b.size(), tf.a.size(),
                                   tf.a.empty() ? 0.0 : tf.a[0]));
  }
  const size_t m = std::max(tf.a.size(), tf.b.size());
  NormalisedTf out{std::vector<double>(m, 0.0), std::vector<double>(m, 0.0)};
  for (size_t i = 0; i < tf.b.size(); ++i) out.b[i] = tf.b[i] / tf.a[0];
  for (size_t i = 0; i < tf.a.size(); ++i) out.a[i] = tf.a[i] / tf.a[0];
  return out;
}

void lfilter_run(const std::vector<double>& b, const std::vector<double>& a, double* data,
                 std::ptrdiff_t n, std::ptrdiff_t step, std::vector<double>& state) {
  const size_t m = b.size();
  if (m == 1) {
    for (std::ptrdiff_t i = 0; i < n; ++i) data[i * step] *= b[0];
    return;
  }
  if (m <= 3) {  // a biquad (or first-order section): the cascade kernel is faster
    const Sos one{{b[0], b[1], m == 3 ? b[2] : 0.0, a[1], m == 3 ? a[2] : 0.0}};
    SosState z{{state[0], m == 3 ? state[1] : 0.0}};
    sos_run(one, data, n, step, z);
    state[0] = z[0][0];
    if (m == 3) state[1] = z[0][1];
    return;
  }
  double* z = state.data();
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const double x = data[i * step];
    const double y = b[0] * x + z[0];
    for (size_t k = 0; k + 2 < m; ++k) z[k] = b[k + 1] * x + z[k + 1] - a[k + 1] * y;
    z[m - 2] = b[m - 1] * x - a[m - 1] * y;
    data[i * step] = y;
  }
}

}  // namespace detail

void lfilter_inplace(const TransferFunction& tf, std::span<double> x, std::vector<double>& state) {
  const detail::NormalisedTf n = detail::normalise(tf, "lfilter_inplace");
  if (state.size() != n.b.size() - 1) {
    detail::usage_fail("lfilter_inplace", "state", fmt::format("{} delays", n.b.size() - 1),
                       fmt::format("{}", state.size()));
  }
  detail::lfilter_run(n.b, n.a, x.data(), static_cast<std::ptrdiff_t>(x.size()), 1, state);
}

std::vector<double> lfilter(const TransferFunction& tf, std::span<const double> x) {
  std::vector<double> y(x.begin(), x.end());
  std::vector<double> state(std::max(tf.a.size(), tf.b.size()) - 1, 0.0);
  lfilter_inplace(tf, y, state);
  return y;
}

// Steady state of a unit step: y settles at sum(b)/sum(a) and z_k = sum_{j>k} (b_j - a_j y).
std::vector<double> lfilter_zi(const TransferFunction& tf) {
  const detail::NormalisedTf n = detail::normalise(tf, "lfilter_zi");
  double b_sum = 0, a_sum = 0;
  for (size_t j = 0; j < n.b.size(); ++j) b_sum += n.b[j], a_sum += n.a[j];
  if (a_sum == 0.0) {
    detail::usage_fail("lfilter_zi", "tf", "a filter without a pole at z = 1", "sum(a) == 0");
  }
  const double y = b_sum / a_sum;
  std::vector<double> zi(n.b.size() - 1, 0.0);
  double tail = 0;
  for (size_t k = zi.size(); k-- > 0;) {
    tail += n.b[k + 1] - n.a[k + 1] * y;
    zi[k] = tail;
  }
  return zi;
}

}  // namespace physiolite::dsp
