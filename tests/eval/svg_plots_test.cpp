// The SVG figures parse as XML (checked by Python's parser) and show the numbers they plot.
#include "physiolite/eval/svg_plots.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "eval/xml_check.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::eval {
namespace {

using testing::svg_text_problem;

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ConfusionMatrixSvg, WellFormedWithCountsLabelsAndRowShares) {
  PHYSIOLITE_SKIP_WITHOUT_PYTHON();
  // Row "N" holds 90 + 10: the 90 cell is 90 % of its row, the darkest shade but for S's 7/7.
  const std::string svg = confusion_matrix_svg({{90, 10, 0}, {0, 7, 0}, {3, 1, 4}},
                                               {"N", "S<&>", "V"}, "test \"split\"");
  EXPECT_EQ(svg_text_problem(svg), "");
  for (const char* number : {">90<", ">10<", ">7<", ">3<", ">4<", ">100<", ">8<"}) {
    EXPECT_NE(svg.find(number), std::string::npos) << number;  // counts, row totals 100 and 8
  }
  EXPECT_EQ(count(svg, "<rect "), 1 + 9 + 1);  // background, cells, frame
  EXPECT_NE(svg.find(">true<"), std::string::npos);
  EXPECT_NE(svg.find(">predicted<"), std::string::npos);
  EXPECT_NE(svg.find("S&lt;&amp;&gt;"), std::string::npos);  // names are escaped
  EXPECT_NE(svg.find("test &quot;split&quot;"), std::string::npos);
  // Shares 7/7 = 1 -> the full dark blue #08306b; 0 -> #f7fbff; 0.9 -> 247 - 0.9 * 239 = 31.9,
  // 251 - 0.9 * 203 = 68.3, 255 - 0.9 * 148 = 121.8 -> (32, 68, 122) = #20447a.
  EXPECT_NE(svg.find("fill=\"#08306b\""), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#f7fbff\""), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#20447a\""), std::string::npos);
  EXPECT_NE(svg.find("90.0 % of the row"), std::string::npos);
}

TEST(ConfusionMatrixSvg, RejectsNonSquareMatrixAndWrongNames) {
  EXPECT_THROW(confusion_matrix_svg({{1, 2}, {3}}, {}, ""), UsageError);
  EXPECT_THROW(confusion_matrix_svg({{1, 2}, {3, 4}}, {"a"}, ""), UsageError);
}

TEST(ConfusionMatrixSvg, ManyClassesStayWellFormed) {
  PHYSIOLITE_SKIP_WITHOUT_PYTHON();
  std::vector<std::vector<int64_t>> c(53, std::vector<int64_t>(53, 1));
  const std::string svg = confusion_matrix_svg(c, {}, "53 classes");
  EXPECT_EQ(svg_text_problem(svg), "");
  EXPECT_NE(svg.find(">52<"), std::string::npos);  // index names when none are given
}

TEST(LineChartSvg, WellFormedWithLegendTicksAndNaNSkipped) {
  PHYSIOLITE_SKIP_WITHOUT_PYTHON();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::string svg =
      line_chart_svg("loss", "epoch",
                     {{.name = "train loss", .x = {1, 2, 3, 4}, .y = {1.2, 0.8, 0.5, 0.4}},
                      {.name = "validation loss", .x = {1, 2, 3, 4}, .y = {1.3, nan, 0.7, 0.6}}});
  EXPECT_EQ(svg_text_problem(svg), "");
  EXPECT_NE(svg.find(">train loss<"), std::string::npos);
  EXPECT_NE(svg.find(">validation loss<"), std::string::npos);
  EXPECT_NE(svg.find(">epoch<"), std::string::npos);
  // y spans 0.4 .. 1.3: raw step 0.18 -> 0.2, axis 0.4 .. 1.4; x 1 .. 4: step 0.6 -> 1.
  for (const char* tick : {">0.4<", ">0.6<", ">1.2<", ">1.4<", ">1<", ">4<"}) {
    EXPECT_NE(svg.find(tick), std::string::npos) << tick;
  }
  EXPECT_EQ(svg.find(">1.6<"), std::string::npos);
  EXPECT_EQ(count(svg, "<circle "), 7);    // 8 points, one NaN
  EXPECT_EQ(count(svg, "<polyline "), 3);  // the NaN splits validation into two runs
  EXPECT_NE(svg.find("validation loss 3: 0.7"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(LineChartSvg, EmptyAndConstantSeries) {
  PHYSIOLITE_SKIP_WITHOUT_PYTHON();
  EXPECT_EQ(svg_text_problem(line_chart_svg("nothing", "epoch", {})), "");
  const std::string flat = line_chart_svg("flat", "epoch", {{.name = "f1", .x = {1}, .y = {0.5}}});
  EXPECT_EQ(svg_text_problem(flat), "");
  EXPECT_NE(flat.find(">0.5<"), std::string::npos);
  EXPECT_THROW(line_chart_svg("bad", "epoch", {{.name = "f1", .x = {1, 2}, .y = {0.5}}}),
               UsageError);
}

TEST(LineChartSvg, EpochTicksScoreAxisAndKeptEpochMarker) {
  PHYSIOLITE_SKIP_WITHOUT_PYTHON();
  // Two epochs: without integer_x the x step would be 0.2 (ticks 1.2, 1.4, ...). A macro-F1 of
  // 1.0 on a flat line would pad the axis to 0.9 .. 1.1 without y_max.
  const std::string svg = line_chart_svg(
      "f1", "epoch", {{.name = "macro_f1", .x = {1, 2}, .y = {1.0, 1.0}}},
      {.integer_x = true, .y_max = 1, .marker_x = 2, .marker_label = "kept: epoch 2"});
  EXPECT_EQ(svg_text_problem(svg), "");
  EXPECT_NE(svg.find(">1<"), std::string::npos);
  EXPECT_NE(svg.find(">2<"), std::string::npos);
  EXPECT_EQ(svg.find(">1.2<"), std::string::npos);
  EXPECT_EQ(svg.find(">1.5<"), std::string::npos);
  EXPECT_EQ(svg.find(">1.1<"), std::string::npos);  // nothing above 1 on the score axis
  EXPECT_NE(svg.find(">kept: epoch 2<"), std::string::npos);
  EXPECT_EQ(count(svg, "stroke-dasharray"), 1);
}

}  // namespace
}  // namespace physiolite::eval
