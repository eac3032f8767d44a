// The line chart of svg_plots.hpp (training curves).
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "physiolite/core/error.hpp"
#include "physiolite/eval/svg_plots.hpp"
#include "svg_document.hpp"

namespace physiolite::eval {

namespace {

constexpr int kWidth = 720, kHeight = 420;
constexpr int kLeft = 72, kRight = 180, kTop = 44, kBottom = 58;
constexpr const char* kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                   "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// Axis over [lo, hi] widened to multiples of a round step (1, 2 or 5 times a power of ten) that
// gives about five intervals.
struct Axis {
  double lo = 0, hi = 1, step = 0.2;

  // covering(), then whole-number ticks when `integer`, and no higher than `max` unless the
  // data are.
  static Axis fitted(double lo, double hi, bool integer, double max) {
    Axis a = covering(lo, hi);
    if (integer && a.step < 1) {  // whole-number ticks: at least 1 apart
      a.step = 1;
      a.lo = std::floor(lo);
      a.hi = std::max(std::ceil(hi), a.lo + 1);
    }
    if (hi <= max && a.hi > max) a.hi = max;  // the axis stops at the scale's top
    return a;
  }

  static Axis covering(double lo, double hi) {
    if (!(lo <= hi)) return {};  // no finite point at all
    if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) {
      const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
      lo -= pad;
      hi += pad;
    }
    const double raw = (hi - lo) / 5;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * magnitude;
    for (double m : {1.0, 2.0, 5.0}) {
      if (m * magnitude >= raw) {
        step = m * magnitude;
        break;
      }
    }
    return {std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step, step};
  }

  std::vector<double> ticks() const {
    std::vector<double> out;
    for (double v = lo; v <= hi + step * 1e-6; v += step) {
      out.push_back(std::round(v / step) * step);  // no 0.30000000000000004 labels
    }
    return out;
  }
};

bool finite(double x, double y) { return std::isfinite(x) && std::isfinite(y); }

}  // namespace

std::string line_chart_svg(const std::string& title, const std::string& x_label,
                           const std::vector<LineSeries>& series, const ChartOptions& options) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double x_lo = kInf, x_hi = -kInf, y_lo = kInf, y_hi = -kInf;
  for (const LineSeries& s : series) {
    if (s.x.size() != s.y.size()) {
      throw UsageError(
          fmt::format("line_chart_svg: series '{}': expected as many x as y, got {} "
                      "and {}",
                      s.name, s.x.size(), s.y.size()));
    }
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!finite(s.x[i], s.y[i])) continue;
      x_lo = std::min(x_lo, s.x[i]);
      x_hi = std::max(x_hi, s.x[i]);
      y_lo = std::min(y_lo, s.y[i]);
      y_hi = std::max(y_hi, s.y[i]);
    }
  }
  const Axis xa = Axis::fitted(x_lo, x_hi, options.integer_x, kInf);
  const Axis ya = Axis::fitted(y_lo, y_hi, false, options.y_max);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto px = [&](double x) { return kLeft + (x - xa.lo) / (xa.hi - xa.lo) * plot_w; };
  auto py = [&](double y) { return kTop + plot_h - (y - ya.lo) / (ya.hi - ya.lo) * plot_h; };

  std::string out = svg::begin_document(kWidth, kHeight);
  out += svg::text(kLeft + plot_w / 2, 26, title, 15);
  for (double v : xa.ticks()) {
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#e5e5e5\"/>\n",
        px(v), kTop, kTop + plot_h + 5);
    out += svg::text(px(v), kTop + plot_h + 19, fmt::format("{:.6g}", v), 11);
  }
  for (double v : ya.ticks()) {
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#e5e5e5\"/>\n",
        kLeft - 5, py(v), kLeft + plot_w);
    out += svg::text(kLeft - 8, py(v) + 4, fmt::format("{:.6g}", v), 11, svg::Anchor::kEnd);
  }
  out += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"none\" "
      "stroke=\"#333\"/>\n",
      kLeft, kTop, plot_w, plot_h);
  out += svg::text(kLeft + plot_w / 2, kHeight - 16, x_label, 13);
  if (x_lo > x_hi) out += svg::text(kLeft + plot_w / 2, kTop + plot_h / 2, "no data", 13);
  if (std::isfinite(options.marker_x) && options.marker_x >= xa.lo && options.marker_x <= xa.hi) {
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#555\" "
        "stroke-dasharray=\"5,4\"/>\n",
        px(options.marker_x), kTop, kTop + plot_h);
    out += svg::text(px(options.marker_x) + 4, kTop + 12, options.marker_label, 11,
                     svg::Anchor::kStart);
  }

  for (size_t s = 0; s < series.size(); ++s) {
    const LineSeries& line = series[s];
    const char* color = kColors[s % std::size(kColors)];
    // A NaN breaks the line: each run of finite points is its own polyline.
    std::string points;
    auto flush = [&] {
      if (!points.empty()) {
        out += fmt::format(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", points,
            color);
      }
      points.clear();
    };
    for (size_t i = 0; i < line.x.size(); ++i) {
      if (!finite(line.x[i], line.y[i])) {
        flush();
        continue;
      }
      points +=
          fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", px(line.x[i]), py(line.y[i]));
      out += fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"{}\"><title>{} {:.6g}: "
          "{:.6g}</title></circle>\n",
          px(line.x[i]), py(line.y[i]), color, svg::escape(line.name), line.x[i], line.y[i]);
    }
    flush();
    const double ly = kTop + 14 + 20.0 * static_cast<double>(s);
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"{3}\" "
        "stroke-width=\"2\"/>\n",
        kLeft + plot_w + 14, ly, kLeft + plot_w + 36, color);
    out += svg::text(kLeft + plot_w + 42, ly + 4, line.name, 12, svg::Anchor::kStart);
  }
  out += svg::end_document();
  return out;
}

}  // namespace physiolite::eval
