// The confusion-matrix heat map of svg_plots.hpp.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "physiolite/core/error.hpp"
#include "physiolite/eval/svg_plots.hpp"
#include "svg_document.hpp"

namespace physiolite::eval {

namespace {

// White to dark blue (matplotlib's "Blues" end points) by the share of the row.
std::string shade(double share) {
  auto mix = [&](int from, int to) {
    return static_cast<int>(std::lround(from + (to - from) * share));
  };
  return fmt::format("#{:02x}{:02x}{:02x}", mix(0xf7, 0x08), mix(0xfb, 0x30), mix(0xff, 0x6b));
}

constexpr int kCharWidthPx = 7;  // rough advance of a 12 px sans-serif character

}  // namespace

std::string confusion_matrix_svg(const std::vector<std::vector<int64_t>>& confusion,
                                 const std::vector<std::string>& class_names,
                                 const std::string& title) {
  const int k = static_cast<int>(confusion.size());
  for (const auto& row : confusion) {
    if (row.size() != confusion.size()) {
      throw UsageError(
          fmt::format("confusion_matrix_svg: confusion: expected {0} x {0}, got a row "
                      "of {1}",
                      k, row.size()));
    }
  }
  if (!class_names.empty() && class_names.size() != confusion.size()) {
    throw UsageError(fmt::format("confusion_matrix_svg: class_names: expected {} names, got {}", k,
                                 class_names.size()));
  }
  std::vector<std::string> names = class_names;
  for (int i = static_cast<int>(names.size()); i < k; ++i) names.push_back(std::to_string(i));
  size_t longest = 1;
  for (const std::string& n : names) longest = std::max(longest, n.size());

  const int cell = std::clamp(480 / std::max(k, 1), 18, 64);
  const int count_font = std::clamp(cell * 2 / 5, 8, 14);
  const int name_width = static_cast<int>(longest) * kCharWidthPx;
  const bool rotate_columns = name_width > cell - 4;
  const int left = 34 + name_width + 8;
  const int top = 48;
  const int grid = k * cell;
  const int column_labels = rotate_columns ? name_width * 3 / 4 + 12 : 18;
  const int width = std::max(left + grid + 70, static_cast<int>(title.size()) * 8 + 20);
  const int height = top + grid + column_labels + 34;

  std::string out = svg::begin_document(width, height);
  out += svg::text(width / 2.0, 24, title, 15);
  out += svg::text(left + grid + 8, top - 6, "support", 11, svg::Anchor::kStart, 0, "#555");
  for (int t = 0; t < k; ++t) {
    int64_t support = 0;
    for (int64_t c : confusion[t]) support += c;
    const double y = top + t * cell;
    for (int p = 0; p < k; ++p) {
      const int64_t count = confusion[t][p];
      const double share = support == 0 ? 0.0 : static_cast<double>(count) / support;
      out += fmt::format(
          "<rect x=\"{}\" y=\"{:.0f}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ccc\" "
          "stroke-width=\"0.5\"><title>true {}, predicted {}: {} ({:.1f} % of the row)</title>"
          "</rect>\n",
          left + p * cell, y, cell, cell, shade(share), svg::escape(names[t]),
          svg::escape(names[p]), count, 100 * share);
      out += svg::text(left + (p + 0.5) * cell, y + cell / 2.0 + count_font * 0.35,
                       std::to_string(count), count_font, svg::Anchor::kMiddle, 0,
                       share > 0.5 ? "#fff" : "#000");
    }
    out += svg::text(left - 6, y + cell / 2.0 + 4, names[t], 12, svg::Anchor::kEnd);
    out += svg::text(left + grid + 8, y + cell / 2.0 + 4, std::to_string(support), 11,
                     svg::Anchor::kStart, 0, "#555");
  }
  out += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#333\"/>\n", left,
      top, grid, grid);
  for (int p = 0; p < k; ++p) {
    const double x = left + (p + 0.5) * cell;
    out += rotate_columns ? svg::text(x + 4, top + grid + 12, names[p], 12, svg::Anchor::kEnd, -45)
                          : svg::text(x, top + grid + 15, names[p], 12);
  }
  out += svg::text(left + grid / 2.0, top + grid + column_labels + 22, "predicted", 13);
  out += svg::text(16, top + grid / 2.0, "true", 13, svg::Anchor::kMiddle, -90);
  out += svg::end_document();
  return out;
}

}  // namespace physiolite::eval
