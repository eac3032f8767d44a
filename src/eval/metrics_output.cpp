// ClassificationReport as JSON (metrics.json, the trainer's logs) and as a fixed-width text table.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "number_text.hpp"
#include "physiolite/eval/metrics.hpp"

namespace physiolite::eval {

namespace {

nlohmann::json to_json(const Averages& a) {
  return {{"precision", a.precision}, {"recall", a.recall}, {"f1", a.f1}};
}

nlohmann::json to_json(const ClassMetrics& m) {
  return {{"name", m.name},
          {"support", m.support},
          {"predicted", m.predicted},
          {"tp", m.tp},
          {"fp", m.fp},
          {"fn", m.fn},
          {"tn", m.tn},
          {"sensitivity", m.sensitivity},
          {"positive_predictivity", m.positive_predictivity},
          {"f1", m.f1},
          {"auroc", json_number(m.auroc)},
          {"average_precision", json_number(m.average_precision)}};
}

}  // namespace

nlohmann::json to_json(const ClassificationReport& report) {
  nlohmann::json classes = nlohmann::json::array();
  for (const ClassMetrics& m : report.classes) classes.push_back(to_json(m));
  return {{"multi_label", report.multi_label},
          {"num_samples", report.num_samples},
          {"accuracy", report.accuracy},
          {"classes", classes},
          {"micro", to_json(report.micro)},
          {"macro", to_json(report.macro)},
          {"weighted", to_json(report.weighted)},
          {"auroc_micro", json_number(report.auroc_micro)},
          {"auroc_macro", json_number(report.auroc_macro)},
          {"ap_micro", json_number(report.ap_micro)},
          {"ap_macro", json_number(report.ap_macro)},
          {"confusion", report.confusion}};
}

std::string format_report(const ClassificationReport& report) {
  size_t width = 8;
  for (const ClassMetrics& m : report.classes) width = std::max(width, m.name.size());
  std::string out =
      fmt::format("{} samples, {}; accuracy {:.4f}\n", report.num_samples,
                  report.multi_label ? "multi-label" : "single-label", report.accuracy);
  out += fmt::format("{:<{}} {:>8} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7}\n", "class", width,
                     "support", "predicted", "Se", "+P", "F1", "AUROC", "AP");
  for (const ClassMetrics& m : report.classes) {
    out +=
        fmt::format("{:<{}} {:>8} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7}\n", m.name, width, m.support,
                    m.predicted, fixed4(m.sensitivity), fixed4(m.positive_predictivity),
                    fixed4(m.f1), fixed4(m.auroc), fixed4(m.average_precision));
  }
  out += fmt::format("{:<{}} {:>9} {:>7} {:>7}\n", "average", width, "precision", "recall", "F1");
  for (const auto& [name, a] :
       {std::pair{"micro", report.micro}, {"macro", report.macro}, {"weighted", report.weighted}}) {
    out += fmt::format("{:<{}} {:>9} {:>7} {:>7}\n", name, width, fixed4(a.precision),
                       fixed4(a.recall), fixed4(a.f1));
  }
  out += fmt::format("AUROC micro {} macro {}; AP micro {} macro {}\n", fixed4(report.auroc_micro),
                     fixed4(report.auroc_macro), fixed4(report.ap_micro), fixed4(report.ap_macro));
  if (!report.confusion.empty()) {
    out += "confusion (rows: true, columns: predicted)\n";
    out += fmt::format("{:<{}}", "", width);
    for (const ClassMetrics& m : report.classes) out += fmt::format(" {:>8}", m.name);
    out += "\n";
    for (size_t t = 0; t < report.confusion.size(); ++t) {
      out += fmt::format("{:<{}}", report.classes[t].name, width);
      for (int64_t count : report.confusion[t]) out += fmt::format(" {:>8}", count);
      out += "\n";
    }
  }
  return out;
}

}  // namespace physiolite::eval
