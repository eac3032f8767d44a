// to_json and format_report of a small hand-made report.
#include <gtest/gtest.h>

#include <vector>

#include "physiolite/eval/metrics.hpp"

namespace physiolite::eval {
namespace {

// Two classes; class 1 is never true, so its AUROC and AP are NaN.
ClassificationReport make_report() {
  const std::vector<float> scores = {.9f, .1f, .3f, .7f, .6f, .4f};
  const std::vector<int64_t> labels = {0, 0, 0};
  return evaluate_single_label(scores, labels, 2, {"N", "V"});
}

TEST(MetricsToJson, CarriesCountsAndTurnsNaNIntoNull) {
  const nlohmann::json j = to_json(make_report());
  EXPECT_EQ(j["num_samples"], 3);
  EXPECT_EQ(j["multi_label"], false);
  EXPECT_NEAR(j["accuracy"].get<double>(), 2.0 / 3, 1e-12);  // rows 0 and 2 predict N
  EXPECT_EQ(j["classes"][0]["name"], "N");
  EXPECT_EQ(j["classes"][0]["tp"], 2);
  EXPECT_EQ(j["classes"][1]["fp"], 1);
  EXPECT_TRUE(j["classes"][1]["auroc"].is_null());
  EXPECT_TRUE(j["classes"][0]["auroc"].is_null());  // class 0 has no negatives
  EXPECT_EQ(j["confusion"], nlohmann::json::parse("[[2, 1], [0, 0]]"));
  EXPECT_NEAR(j["macro"]["f1"].get<double>(), 0.4, 1e-12);  // (4/5 + 0) / 2
  EXPECT_TRUE(j["auroc_macro"].is_null());
}

TEST(FormatReport, ListsClassesAveragesAndConfusion) {
  const std::string text = format_report(make_report());
  EXPECT_NE(text.find("3 samples, single-label; accuracy 0.6667"), std::string::npos) << text;
  EXPECT_NE(text.find("N               3         2  0.6667  1.0000  0.8000       -  1.0000"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("macro       0.5000  0.3333  0.4000"), std::string::npos) << text;
  EXPECT_NE(text.find("confusion (rows: true, columns: predicted)"), std::string::npos) << text;
  EXPECT_NE(text.find("V               0        0"), std::string::npos) << text;
}

}  // namespace
}  // namespace physiolite::eval
