// Figures of a training run as standalone SVG text (no plotting library): a confusion-matrix
// heat map and line charts of per-epoch curves. Write the string with write_file_atomically.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace physiolite::eval {

// confusion[true][predicted] counts. Each cell shows its count; its shade is the count's share
// of its row (so a rare class's row is as readable as a common one's). Rows are labelled "true",
// columns "predicted"; `class_names` names both (indices when it is empty).
std::string confusion_matrix_svg(const std::vector<std::vector<int64_t>>& confusion,
                                 const std::vector<std::string>& class_names,
                                 const std::string& title);

struct LineSeries {
  std::string name;
  std::vector<double> x, y;  // same length; a point with a NaN (or infinite) coordinate is skipped
};

struct ChartOptions {
  bool integer_x = false;  // x ticks at whole numbers only (epochs)
  // The y axis never extends above this (a score in [0, 1]: no tick at 1.2), unless a point does.
  double y_max = std::numeric_limits<double>::infinity();
  // A dashed vertical line at this x, labelled (the kept epoch); NaN = none.
  double marker_x = std::numeric_limits<double>::quiet_NaN();
  std::string marker_label;
};

// One chart, several series sharing axes with ticks at round numbers, and a legend.
std::string line_chart_svg(const std::string& title, const std::string& x_label,
                           const std::vector<LineSeries>& series, const ChartOptions& options = {});

}  // namespace physiolite::eval
