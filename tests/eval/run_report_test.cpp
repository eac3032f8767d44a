// write_run_report on a fixture run: every file exists, parses, and carries the numbers.
#include "physiolite/eval/run_report.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/temp_dir.hpp"
#include "eval/xml_check.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::eval {
namespace {

using testing::read_text;

// Validation: 4 windows, classes N and V; rows .9 .1 -> N (true N), .2 .8 -> V (true V),
// .6 .4 -> N (true V), .3 .7 -> V (true N): confusion [[1, 1], [1, 1]], accuracy 1/2.
RunReportInput fixture() {
  const std::vector<float> scores = {.9f, .1f, .2f, .8f, .6f, .4f, .3f, .7f};
  const std::vector<int64_t> labels = {0, 1, 1, 0};
  RunReportInput in;
  in.run_name = "mitbih_fixture";
  in.config = {{"model", {{"front_pool", 4}}}, {"train", {{"lr", 0.001}}}};
  in.history = {{.epoch = 1,
                 .train_loss = 0.9,
                 .val_loss = 0.8,
                 .val_metric_name = "macro_f1",
                 .val_metric = 0.4,
                 .lr = 1e-3,
                 .seconds = 12.5},
                {.epoch = 2,
                 .train_loss = 0.6,
                 .val_loss = 0.7,
                 .val_metric_name = "macro_f1",
                 .val_metric = 0.5,
                 .lr = 5e-4,
                 .seconds = 12.0}};
  in.best_epoch = 2;
  in.validation = evaluate_single_label(scores, labels, 2, {"N", "V"});
  in.parameter_count = 291520;
  in.dataset_description = {"MIT-BIH DS1 records, 4 validation windows"};
  in.extra_metrics = {{"validation", {{"scored_macro_f1", 0.5}}}};
  return in;
}

TEST(WriteRunReport, WritesEveryFileWithTheNumbers) {
  PHYSIOLITE_SKIP_WITHOUT_PYTHON();
  testing::TempDir dir;
  write_run_report(dir.path(), fixture());
  // No test report: no confusion_test.svg.
  EXPECT_EQ(dir.file_count(), 5u);
  for (const char* svg : {"confusion_val.svg", "curves.svg", "metric.svg"}) {
    EXPECT_EQ(testing::svg_file_problem(dir / svg), "") << svg;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "confusion_test.svg"));

  const nlohmann::json j = nlohmann::json::parse(read_text(dir / "metrics.json"));
  EXPECT_EQ(j["run_name"], "mitbih_fixture");
  EXPECT_EQ(j["best_epoch"], 2);
  EXPECT_EQ(j["parameter_count"], 291520);
  EXPECT_EQ(j["history"].size(), 2u);
  EXPECT_EQ(j["history"][1]["val_metric"], 0.5);
  EXPECT_EQ(j["validation"]["accuracy"], 0.5);
  EXPECT_EQ(j["validation"]["confusion"], nlohmann::json::parse("[[1, 1], [1, 1]]"));
  EXPECT_EQ(j["validation"]["scored_macro_f1"], 0.5);  // merged from extra_metrics
  EXPECT_EQ(j["validation"]["classes"][1]["name"], "V");
  EXPECT_FALSE(j.contains("test"));

  const std::string md = read_text(dir / "report.md");
  EXPECT_NE(md.find("# Training run mitbih_fixture"), std::string::npos) << md;
  EXPECT_NE(md.find("PhysioLite network, 291520 parameters"), std::string::npos);
  EXPECT_NE(md.find("- MIT-BIH DS1 records, 4 validation windows"), std::string::npos);
  EXPECT_NE(md.find("2 epochs in 24 s; kept epoch 2 (train loss 0.6000, validation loss 0.7000, "
                    "macro_f1 0.5000)"),
            std::string::npos)
      << md;
  // Each class: TP 1, FP 1, FN 1 -> Se = +P = F1 = 1/2; AUROC of N: positives .9 .3 vs
  // negatives .2 .6 -> (2 + 1)/4.
  EXPECT_NE(md.find("| N | 2 | 2 | 0.5000 | 0.5000 | 0.5000 | 0.7500 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| macro | 0.5000 | 0.5000 | 0.5000 |"), std::string::npos);
  EXPECT_NE(md.find("| true \\ predicted | N | V |\n|---|---:|---:|\n| N | 1 | 1 |\n| V | 1 | 1 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("![validation confusion matrix](confusion_val.svg)"), std::string::npos);
  EXPECT_NE(md.find("(curves.svg)"), std::string::npos);
  EXPECT_NE(md.find("(metric.svg)"), std::string::npos);
  EXPECT_NE(md.find("\"lr\": 0.001"), std::string::npos);  // the configuration block

  const std::string metric = read_text(dir / "metric.svg");
  EXPECT_NE(metric.find(">validation macro_f1<"), std::string::npos);
}

TEST(WriteRunReport, NamesTheTeacherNetworkOfATeacherRun) {
  PHYSIOLITE_SKIP_WITHOUT_PYTHON();
  testing::TempDir dir;
  RunReportInput in = fixture();
  in.config["model"] = {{"type", "transformer"}, {"embed_dim", 256}};
  in.parameter_count = 3711108;
  write_run_report(dir.path(), in);
  const std::string md = read_text(dir / "report.md");
  EXPECT_NE(md.find("Transformer teacher network, 3711108 parameters"), std::string::npos) << md;
  EXPECT_EQ(md.find("PhysioLite network"), std::string::npos);
}

TEST(WriteRunReport, TestReportGetsItsOwnConfusionMatrix) {
  testing::TempDir dir;
  RunReportInput in = fixture();
  in.test = in.validation;
  in.validation.reset();
  write_run_report(dir.path(), in);
  EXPECT_TRUE(std::filesystem::exists(dir / "confusion_test.svg"));
  EXPECT_FALSE(std::filesystem::exists(dir / "confusion_val.svg"));
  EXPECT_NE(read_text(dir / "report.md").find("## test (4 windows)"), std::string::npos);
}

TEST(WriteRunReport, MissingDirectoryIsAnErrorAndWritesNothing) {
  testing::TempDir dir;
  try {
    write_run_report(dir / "absent", fixture());
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("absent' does not exist"), std::string::npos);
  }
  EXPECT_EQ(dir.file_count(), 0u);
}

TEST(WriteRunReport, LinksOnlyFilesItWritesAndMarksTheKeptEpoch) {
  PHYSIOLITE_SKIP_WITHOUT_PYTHON();
  testing::TempDir dir;
  write_run_report(dir.path(), fixture());
  const std::string md = read_text(dir / "report.md");
  // Every ](file) link of the report names a file that is in the run directory.
  for (size_t at = md.find("]("); at != std::string::npos; at = md.find("](", at + 2)) {
    const std::string file = md.substr(at + 2, md.find(')', at) - at - 2);
    EXPECT_TRUE(std::filesystem::exists(dir / file)) << file;
  }
  EXPECT_NE(read_text(dir / "metric.svg").find(">kept: epoch 2<"), std::string::npos);
  EXPECT_NE(read_text(dir / "curves.svg").find(">kept: epoch 2<"), std::string::npos);
}

TEST(WriteRunReport, Int8SectionListsEveryQuantisedModel) {
  testing::TempDir dir;
  EXPECT_EQ(update_int8_report_section(dir.path()), 0);  // no report.md: nothing written
  EXPECT_EQ(dir.file_count(), 0u);
  write_run_report(dir.path(), fixture());
  std::filesystem::create_directories(dir / "int8");
  const nlohmann::json a = {
      {"scheme", "max78000"},
      {"calibration", {{"method", "percentile"}, {"percentile", 99.99}}},
      {"qat", {{"epochs", 4}, {"selected_epoch", 0}}},
      {"float",
       {{"validation", {{"scored_macro_f1", 0.5}}}, {"test", {{"scored_macro_f1", 0.25}}}}},
      {"int8",
       {{"validation", {{"scored_macro_f1", 0.5}}}, {"test", {{"scored_macro_f1", 0.125}}}}},
      {"weight_bytes", 310916},
      {"arena_bytes", 6144}};
  testing::write_text(dir / "int8" / "max78000-qat.plq.json", a.dump());
  testing::write_text(
      dir / "tflite.plq.json",
      nlohmann::json{{"scheme", "tflite"}, {"calibration", {{"method", "minmax"}}}}.dump());
  EXPECT_EQ(update_int8_report_section(dir.path()), 2);
  EXPECT_EQ(update_int8_report_section(dir.path()), 2);  // replaces its section, adds no second
  const std::string md = read_text(dir / "report.md");
  EXPECT_EQ(md.find("## int8 models"), md.rfind("## int8 models"));
  EXPECT_LT(md.find("## int8 models"), md.find("## Configuration"));
  EXPECT_NE(md.find("| [int8/max78000-qat.plq](int8/max78000-qat.plq) | max78000 | percentile "
                    "99.99 | 0 of 4 | 0.5000 / 0.5000 | 0.2500 / 0.1250 | 310916 | 6144 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| [tflite.plq](tflite.plq) | tflite | minmax | PTQ |"), std::string::npos)
      << md;
}

}  // namespace
}  // namespace physiolite::eval
