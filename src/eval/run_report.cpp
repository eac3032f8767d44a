#include "physiolite/eval/run_report.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <utility>

#include <fmt/format.h>

#include "number_text.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/core/json_file.hpp"
#include "physiolite/eval/svg_plots.hpp"

namespace physiolite::eval {

namespace {

using nlohmann::json;

json to_json(const EpochRecord& e) {
  return {{"epoch", e.epoch},
          {"train_loss", json_number(e.train_loss)},
          {"val_loss", json_number(e.val_loss)},
          {"val_metric_name", e.val_metric_name},
          {"val_metric", json_number(e.val_metric)},
          {"lr", json_number(e.lr)},
          {"seconds", e.seconds}};
}

// The named reports that exist, in the order they are reported.
std::vector<std::pair<std::string, const ClassificationReport*>> splits(const RunReportInput& in) {
  std::vector<std::pair<std::string, const ClassificationReport*>> out;
  if (in.validation) out.emplace_back("validation", &*in.validation);
  if (in.test) out.emplace_back("test", &*in.test);
  return out;
}

std::string confusion_file(const std::string& split) {
  return split == "validation" ? "confusion_val.svg" : "confusion_" + split + ".svg";
}

json metrics_json(const RunReportInput& in) {
  json history = json::array();
  for (const EpochRecord& e : in.history) history.push_back(to_json(e));
  json j{{"run_name", in.run_name},
         {"best_epoch", in.best_epoch},
         {"parameter_count", in.parameter_count},
         {"history", history}};
  for (const auto& [split, report] : splits(in)) j[split] = to_json(*report);
  j.merge_patch(in.extra_metrics);
  return j;
}

std::vector<std::string> class_names(const ClassificationReport& r) {
  std::vector<std::string> names;
  for (const ClassMetrics& m : r.classes) names.push_back(m.name);
  return names;
}

// Markdown table cells must not contain a bare '|'.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string markdown_split(const std::string& split, const ClassificationReport& r) {
  std::string md = fmt::format("## {} ({} windows{})\n\n", split, r.num_samples,
                               r.multi_label ? ", multi-label" : "");
  md += fmt::format(
      "Accuracy {}, macro-F1 {}, weighted-F1 {}; AUROC macro {} / micro {}; AP macro {} / "
      "micro {}.\n\n",
      fixed4(r.accuracy), fixed4(r.macro.f1), fixed4(r.weighted.f1), fixed4(r.auroc_macro),
      fixed4(r.auroc_micro), fixed4(r.ap_macro), fixed4(r.ap_micro));
  md += "| class | support | predicted | Se | +P | F1 | AUROC | AP |\n";
  md += "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const ClassMetrics& m : r.classes) {
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", cell(m.name), m.support,
                      m.predicted, fixed4(m.sensitivity), fixed4(m.positive_predictivity),
                      fixed4(m.f1), fixed4(m.auroc), fixed4(m.average_precision));
  }
  md += "\n| average | precision | recall | F1 |\n|---|---:|---:|---:|\n";
  for (const auto& [name, a] :
       {std::pair{"micro", r.micro}, {"macro", r.macro}, {"weighted", r.weighted}}) {
    md += fmt::format("| {} | {} | {} | {} |\n", name, fixed4(a.precision), fixed4(a.recall),
                      fixed4(a.f1));
  }
  if (!r.confusion.empty()) {
    md +=
        "\nConfusion matrix (rows: true class, columns: predicted class)\n\n| true \\ predicted |";
    for (const ClassMetrics& m : r.classes) md += fmt::format(" {} |", cell(m.name));
    md += "\n|---|";
    for (size_t c = 0; c < r.classes.size(); ++c) md += "---:|";
    md += "\n";
    for (size_t t = 0; t < r.confusion.size(); ++t) {
      md += fmt::format("| {} |", cell(r.classes[t].name));
      for (int64_t count : r.confusion[t]) md += fmt::format(" {} |", count);
      md += "\n";
    }
    md += fmt::format("\n![{} confusion matrix]({})\n", split, confusion_file(split));
  }
  return md + "\n";
}

std::string markdown_report(const RunReportInput& in) {
  std::string md = fmt::format("# Training run {}\n\n", in.run_name);
  // model.type names the network: the chip-legal student unless the run trained the teacher.
  const nlohmann::json* model =
      in.config.is_object() && in.config.contains("model") ? &in.config.at("model") : nullptr;
  const bool teacher = model != nullptr && model->is_object() &&
                       model->value("type", std::string("physiolite")) == "transformer";
  md += fmt::format("{} network, {} parameters.\n\n",
                    teacher ? "Transformer teacher" : "PhysioLite", in.parameter_count);
  if (!in.dataset_description.empty()) {
    md += "Data:\n\n";
    for (const std::string& line : in.dataset_description) md += "- " + line + "\n";
    md += "\n";
  }
  double seconds = 0;
  for (const EpochRecord& e : in.history) seconds += e.seconds;
  md += fmt::format("{} epochs in {:.0f} s", in.history.size(), seconds);
  for (const EpochRecord& e : in.history) {
    if (e.epoch != in.best_epoch) continue;
    md +=
        fmt::format("; kept epoch {} (train loss {}, validation loss {}, {} {})", e.epoch,
                    fixed4(e.train_loss), fixed4(e.val_loss),
                    e.val_metric_name.empty() ? "metric" : e.val_metric_name, fixed4(e.val_metric));
  }
  md += ".\n\n![loss per epoch](curves.svg)\n![validation metric per epoch](metric.svg)\n\n";
  for (const auto& [split, report] : splits(in)) md += markdown_split(split, *report);
  md += "## Configuration\n\n```json\n" + in.config.dump(2) + "\n```\n";
  return md;
}

std::pair<std::string, std::string> curve_figures(const RunReportInput& in) {
  LineSeries train, val, metric;
  train.name = "train loss";
  val.name = "validation loss";
  std::string metric_name = "validation metric";
  for (const EpochRecord& e : in.history) {
    for (LineSeries* s : {&train, &val, &metric}) s->x.push_back(e.epoch);
    train.y.push_back(e.train_loss);
    val.y.push_back(e.val_loss);
    metric.y.push_back(e.val_metric);
    if (!e.val_metric_name.empty()) metric_name = "validation " + e.val_metric_name;
  }
  metric.name = metric_name;
  const std::string title = in.run_name.empty() ? "" : in.run_name + ": ";
  ChartOptions options;
  options.integer_x = true;
  if (in.best_epoch > 0) {
    options.marker_x = in.best_epoch;
    options.marker_label = fmt::format("kept: epoch {}", in.best_epoch);
  }
  ChartOptions score = options;
  // Every selection metric but the loss is a score in [0, 1].
  if (metric_name.find("loss") == std::string::npos) score.y_max = 1;
  return {line_chart_svg(title + "loss", "epoch", {train, val}, options),
          line_chart_svg(title + metric_name, "epoch", {metric}, score)};
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  write_file_atomically(path, [&](std::ostream& out) { out << text; });
}

}  // namespace

void write_run_report(const std::filesystem::path& run_dir, const RunReportInput& input) {
  if (!std::filesystem::is_directory(run_dir)) {
    throw UsageError(
        fmt::format("write_run_report: run directory '{}' does not exist", run_dir.string()));
  }
  // Everything is rendered before the first file is written.
  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back("metrics.json", metrics_json(input).dump(2) + "\n");
  for (const auto& [split, report] : splits(input)) {
    if (report->confusion.empty()) continue;
    files.emplace_back(
        confusion_file(split),
        confusion_matrix_svg(report->confusion, class_names(*report),
                             fmt::format("{}: {} confusion matrix", input.run_name, split)));
  }
  auto [curves, metric] = curve_figures(input);
  files.emplace_back("curves.svg", std::move(curves));
  files.emplace_back("metric.svg", std::move(metric));
  files.emplace_back("report.md", markdown_report(input));
  for (const auto& [name, text] : files) write_text(run_dir / name, text);
}

namespace {

std::string score_cell(const nlohmann::json& j, const char* kind, const char* split) {
  if (!j.contains(kind) || !j[kind].contains(split)) return "";
  const nlohmann::json& e = j[kind][split];
  return e.contains("scored_macro_f1") && e["scored_macro_f1"].is_number()
             ? fmt::format("{:.4f}", e["scored_macro_f1"].get<double>())
             : "";
}

std::string int8_section(const std::filesystem::path& run_dir, int& rows) {
  std::vector<std::filesystem::path> files;
  for (const auto& dir : {run_dir, run_dir / "int8"}) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name.size() > 9 && name.ends_with(".plq.json")) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::string md =
      "## int8 models\n\n"
      "Written by `physiolite quantize`; scores are the scored macro-F1 of the float model and "
      "of the int8 graph (bit-exact with the C runtime) on the same windows.\n\n"
      "| model | scheme | calibration | QAT epoch kept | validation float / int8 | test float / "
      "int8 | weight B | arena B |\n|---|---|---|---:|---:|---:|---:|---:|\n";
  rows = 0;
  for (const auto& file : files) {
    nlohmann::json j;
    try {
      j = read_json_file(file, "summary");
    } catch (const InputError&) {
      continue;  // not a summary `physiolite quantize` wrote: no row
    }
    if (!j.is_object()) continue;
    const std::string summary = std::filesystem::relative(file, run_dir).generic_string();
    const std::string link = summary.substr(0, summary.size() - 5);  // the .plq, without ".json"
    std::string calibration;
    if (j.contains("calibration") && j["calibration"].is_object()) {
      const nlohmann::json& c = j["calibration"];
      calibration = c.value("method", std::string());
      if (calibration == "percentile" && c.contains("percentile")) {
        calibration += fmt::format(" {:g}", c["percentile"].get<double>());
      }
    }
    const int qat_epochs = j.contains("qat") ? j["qat"].value("epochs", 0) : 0;
    const int kept = j.contains("qat") ? j["qat"].value("selected_epoch", 0) : 0;
    md += fmt::format("| [{}]({}) | {} | {} | {} | {} / {} | {} / {} | {} | {} |\n", link, link,
                      j.value("scheme", std::string()), calibration,
                      qat_epochs > 0 ? fmt::format("{} of {}", kept, qat_epochs) : "PTQ",
                      score_cell(j, "float", "validation"), score_cell(j, "int8", "validation"),
                      score_cell(j, "float", "test"), score_cell(j, "int8", "test"),
                      j.value("weight_bytes", int64_t{0}), j.value("arena_bytes", int64_t{0}));
    ++rows;
  }
  return md + "\n";
}

}  // namespace

int update_int8_report_section(const std::filesystem::path& run_dir) {
  const std::filesystem::path report = run_dir / "report.md";
  if (!std::filesystem::exists(report)) return 0;
  int rows = 0;
  const std::string section = int8_section(run_dir, rows);
  std::string md = read_text_file(report);
  const size_t begin = md.find("## int8 models\n");
  if (begin != std::string::npos) {
    const size_t end = md.find("\n## ", begin + 1);
    md.erase(begin, end == std::string::npos ? std::string::npos : end + 1 - begin);
  }
  const size_t config = md.find("## Configuration\n");
  md.insert(config == std::string::npos ? md.size() : config, section);
  write_text(report, md);
  return rows;
}

}  // namespace physiolite::eval
