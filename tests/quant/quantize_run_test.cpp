// quantize_run, what `physiolite quantize` calls, in-process on a tiny run trained on the sine
// problem: the files it writes, the recipe's calibration by default, int8 scores that keep the
// float ones, and the option errors that must stop it before anything is written.
#include "physiolite/quant/quantize_run.hpp"

#include <gtest/gtest.h>

#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "train/run_training.hpp"
#include "train/synthetic_data.hpp"

namespace physiolite::quant {
namespace {

namespace fs = std::filesystem;

// One trained run for the suite (a few seconds).
class QuantizeRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    trained_ = testing::train(testing::tiny_config(dir_->path())).finished;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(trained_); }
  static fs::path run() { return *dir_ / "run"; }
  static QuantizeRunOptions options(const std::string& name) {
    QuantizeRunOptions o;
    o.run = run();
    o.output = run() / "int8" / (name + ".plq");
    return o;
  }

  static testing::TempDir* dir_;
  static bool trained_;
};

testing::TempDir* QuantizeRun::dir_ = nullptr;
bool QuantizeRun::trained_ = false;

TEST_F(QuantizeRun, WritesTheModelItsSummaryTheReportSectionAndTheCArray) {
  QuantizeRunOptions o = options("max78000");
  o.c_array = *dir_ / "firmware";  // created
  o.c_name = "plrt_model_data";
  const QuantizeRunResult r = quantize_run(o);

  // The file holds the graph returned, and passes the reader's (the C runtime's) verifier.
  EXPECT_EQ(qgraph::serialize_plq(qgraph::read_plq(o.output)), qgraph::serialize_plq(r.graph));
  EXPECT_EQ(testing::read_json(o.output.string() + ".json"), r.summary);
  // Not a MIT-BIH run: the recipe's percentile 99.9, on a 2048-window subset at most (192 here).
  EXPECT_EQ(r.summary["calibration"]["method"], "percentile");
  EXPECT_EQ(r.summary["calibration"]["percentile"], 99.9);
  EXPECT_EQ(r.summary["pool_rounding"], "truncate");
  EXPECT_EQ(r.summary["scheme"], "max78000");
  // tiny_config has no test split: validation only, the 96 windows of val.h5.
  ASSERT_EQ(r.scores.size(), 1u);
  EXPECT_EQ(r.scores[0].fp.split, "validation");
  EXPECT_EQ(r.summary["int8"]["validation"]["windows"], 96);
  // The trainer's own test reaches >= 0.95 on this problem; int8 keeps it within a few points.
  EXPECT_GE(r.scores[0].fp.report.accuracy, 0.95);
  EXPECT_GE(r.scores[0].q.report.accuracy, 0.9);
  EXPECT_EQ(r.summary["weight_bytes"].get<int64_t>(), r.graph.weight_bytes());
  EXPECT_TRUE(r.summary["max78000"]["weights_fit"].get<bool>());
  EXPECT_NE(r.text.find("per-class F1 (validation, float -> int8): slow"), std::string::npos)
      << r.text;
  // Written into the run: its report gets the int8 section naming the file.
  EXPECT_TRUE(r.report_updated);
  EXPECT_NE(testing::read_text(run() / "report.md").find("max78000.plq"), std::string::npos);
  ASSERT_EQ(r.c_files.size(), 2u);
  EXPECT_EQ(r.c_files[0].filename(), "plrt_model_data.h");
  EXPECT_EQ(r.c_files[1].filename(), "plrt_model_data.c");
}

TEST_F(QuantizeRun, OptionErrorsNameTheFlagAndWriteNothing) {
  const auto usage_error = [](const QuantizeRunOptions& o) -> std::string {
    try {
      (void)quantize_run(o);
    } catch (const UsageError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no UsageError";
    return "";
  };
  QuantizeRunOptions o = options("bad");
  o.output = *dir_ / "bad" / "m.plq";
  o.pool_rounding = "ceil";
  EXPECT_NE(usage_error(o).find("--pool-rounding: expected truncate, floor or half-up, got 'ceil'"),
            std::string::npos);
  o.pool_rounding = "truncate";
  o.run = *dir_ / "no-such-run";
  EXPECT_NE(usage_error(o).find("--run: "), std::string::npos);
  o.run = run();
  testing::write_text(*dir_ / "a-file", "x");
  o.c_array = *dir_ / "a-file";
  EXPECT_NE(usage_error(o).find("--c-array: "), std::string::npos);
  o.c_array.clear();
  o.calibration = "median";
  EXPECT_NE(usage_error(o).find("--calibration"), std::string::npos);
  EXPECT_FALSE(fs::exists(*dir_ / "bad")) << "nothing written for a refused option";
}

TEST(QuantizeRunTable, ScoresAndDropByHand) {
  SplitScores s;
  s.fp.split = s.q.split = "test";
  s.fp.report.accuracy = 0.9;
  s.q.report.accuracy = 0.85;
  s.fp.scored_macro_f1 = 0.8;
  s.q.scored_macro_f1 = 0.725;
  s.fp.report.classes.resize(1);
  s.q.report.classes.resize(1);
  s.fp.report.classes[0].name = s.q.report.classes[0].name = "N";
  s.fp.report.classes[0].f1 = 0.5;
  s.q.report.classes[0].f1 = 0.25;
  EXPECT_EQ(comparison_table({s}),
            "split        float acc  int8 acc    float F1     int8 F1    F1 drop\n"
            "test            0.9000    0.8500      0.8000      0.7250    +0.0750\n"
            "per-class F1 (test, float -> int8): N 0.500 -> 0.250\n");
}

}  // namespace
}  // namespace physiolite::quant
