// The five reference datasets' windows on small copies in their publishers' formats
// (tests/golden/datasets/, written by tests/golden/gen_datasets.py with scipy/json/numpy), checked
// against the windows an independent numpy/scipy/sklearn re-implementation of the reference rules
// computed from the same files (tests/golden/datasets_expected.json, same script).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "physiolite/data/benchmark.hpp"
#include "physiolite/data/ecg_windows.hpp"
#include "physiolite/data/emg_windows.hpp"

namespace physiolite::data {
namespace {

const std::filesystem::path kGolden = std::filesystem::path(PHYSIOLITE_TEST_SOURCE_DIR) / "golden";

nlohmann::json expected() {
  std::ifstream in(kGolden / "datasets_expected.json");
  return nlohmann::json::parse(in);
}

// The options the generator used (shorter windows than the reference's, same rules).
Benchmark fixture_benchmark(const std::string& name, const nlohmann::json& e) {
  Benchmark b(name, kGolden / "datasets");
  const char* group = name == "db5" ? "db5" : name == "epn612" ? "epn612" : "ecg";
  b.set_options(e["options"][group]);
  return b;
}

void expect_matches(const std::string& name) {
  const nlohmann::json e = expected();
  Benchmark b = fixture_benchmark(name, e);
  for (Split split : kAllSplits) {
    SCOPED_TRACE(std::string(name) + " " + split_name(split));
    const nlohmann::json& x = e[name][split_name(split)];
    const WindowSet set = b.build(split);
    ASSERT_EQ(set.n, x["n"].get<int64_t>());
    EXPECT_EQ(set.source, x["source"].get<std::vector<std::string>>());
    EXPECT_EQ(set.begin_sample, x["begin_sample"].get<std::vector<int64_t>>());
    EXPECT_EQ(set.labels, x["labels"].get<std::vector<int64_t>>());
    const auto sums = x["window_sums"].get<std::vector<double>>();
    const auto channel0 = x["channel0"].get<std::vector<double>>();
    ASSERT_EQ(channel0.size(), static_cast<size_t>(set.n * set.t));
    for (int64_t i = 0; i < set.n; ++i) {
      const float* w = set.window(i);
      const double sum = std::accumulate(w, w + set.c * set.t, 0.0);
      EXPECT_NEAR(sum, sums[static_cast<size_t>(i)],
                  2e-4 * (1 + std::abs(sums[static_cast<size_t>(i)])))
          << "window " << i;
      for (int64_t s = 0; s < set.t; ++s) {
        const double want = channel0[static_cast<size_t>(i * set.t + s)];
        ASSERT_NEAR(w[s], want, 2e-6 * (1 + std::abs(want))) << "window " << i << " sample " << s;
      }
    }
  }
}

TEST(ReferenceDatasets, PtbxlMatchesThePythonRules) { expect_matches("ptbxl"); }
TEST(ReferenceDatasets, CpscMatchesThePythonRules) { expect_matches("cpsc"); }
TEST(ReferenceDatasets, ChapmanMatchesThePythonRules) { expect_matches("chapman"); }
TEST(ReferenceDatasets, Db5MatchesThePythonRules) { expect_matches("db5"); }
TEST(ReferenceDatasets, Epn612MatchesThePythonRules) { expect_matches("epn612"); }

TEST(ReferenceDatasets, Db5ClassNamesAreTheMovementsPresent) {
  const nlohmann::json e = expected();
  const WindowSet set = fixture_benchmark("db5", e).build(Split::kValidation);
  // Movements 1, 2 of E1, 13, 14 of E2 (E2-1, E2-2), 30, 31 of E3 and rest, renumbered in order.
  EXPECT_EQ(e["db5_movements"].get<std::vector<int>>(),
            (std::vector<int>{0, 1, 2, 13, 14, 30, 31}));
  EXPECT_EQ(set.class_names,
            (std::vector<std::string>{"rest", "E1-1", "E1-2", "E2-1", "E2-2", "E3-1", "E3-2"}));
}

TEST(ReferenceDatasets, MultiLabelSetsCarryOneColumnPerClass) {
  const nlohmann::json e = expected();
  const WindowSet cpsc = fixture_benchmark("cpsc", e).build(Split::kTrain);
  EXPECT_EQ(cpsc.num_label_columns, 9);
  EXPECT_EQ(cpsc.class_names.front(), "SNR");
  const WindowSet chapman = fixture_benchmark("chapman", e).build(Split::kTest);
  EXPECT_EQ(chapman.num_label_columns, 4);
  EXPECT_EQ(chapman.labels.size(), static_cast<size_t>(chapman.n * 4));
}

// Hand-counted spans of the three tail rules at the reference's sizes.
TEST(EcgWindowSpans, ReferenceSizes) {
  auto spans = ecg_window_spans(5000, 2048, 1024, EcgTail::kStepRemainder);
  ASSERT_EQ(spans.size(), 4u);  // 0, 1024, 2048 and the tail 4096-4999
  EXPECT_EQ(spans[3].begin, 4096);
  EXPECT_EQ(spans[3].length, 904);
  EXPECT_EQ(ecg_window_spans(4096, 2048, 1024, EcgTail::kStepRemainder).size(), 3u);
  // 3000 samples: one full window, then the tail from floor(3000 / 1024) * 1024 = 2048.
  spans = ecg_window_spans(3000, 2048, 1024, EcgTail::kStepRemainder);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[1].begin, 2048);
  EXPECT_EQ(spans[1].length, 952);
  // CPSC: the tail starts where the last full window ended.
  // 3072 samples: 0-2048 and 1024-3072 end at the record's end, so no tail.
  EXPECT_EQ(ecg_window_spans(3072, 2048, 1024, EcgTail::kAfterLastWindow).size(), 2u);
  // With a window a multiple of the step both rules start the tail at floor(n / step) * step;
  // they differ otherwise: window 64, step 24, 100 samples: windows at 0 and 24, then PTB-XL's
  // tail from floor(100 / 24) * 24 = 96, CPSC's from the end of the window at 24, 88.
  EXPECT_EQ(ecg_window_spans(3100, 2048, 1024, EcgTail::kAfterLastWindow).back().begin, 3072);
  EXPECT_EQ(ecg_window_spans(3100, 2048, 1024, EcgTail::kStepRemainder).back().begin, 3072);
  spans = ecg_window_spans(100, 64, 24, EcgTail::kStepRemainder);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[2].begin, 96);
  EXPECT_EQ(spans[2].length, 4);
  spans = ecg_window_spans(100, 64, 24, EcgTail::kAfterLastWindow);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[2].begin, 88);
  EXPECT_EQ(spans[2].length, 12);
  spans = ecg_window_spans(1000, 2048, 1024, EcgTail::kAfterLastWindow);
  ASSERT_EQ(spans.size(), 1u);  // shorter than a window: one padded window from 0
  EXPECT_EQ(spans[0].begin, 0);
  EXPECT_EQ(spans[0].length, 1000);
}

TEST(Db5Labels, OffsetsAndMajority) {
  EXPECT_EQ(db5_movement_label(1, 12), 12);
  EXPECT_EQ(db5_movement_label(2, 1), 13);
  EXPECT_EQ(db5_movement_label(3, 23), 52);
  EXPECT_EQ(db5_movement_label(3, 0), 0);
  const int tie[] = {5, 5, 0, 0};
  EXPECT_EQ(majority_label(tie, 4), 0);
  const int most[] = {7, 3, 7, 3, 7};
  EXPECT_EQ(majority_label(most, 5), 7);
}

TEST(EcgLabels, SnomedCodesAndTokens) {
  EXPECT_EQ(cpsc_labels({"164909002", "17338001", "999"}),
            (std::vector<int64_t>{0, 0, 0, 1, 0, 0, 1, 0, 0}));
  EXPECT_EQ(chapman_labels({"AFL", "427393009"}), (std::vector<int64_t>{0, 1, 0, 1}));
  EXPECT_EQ(chapman_labels({"251146004"}), (std::vector<int64_t>{0, 0, 0, 0}));
}

}  // namespace
}  // namespace physiolite::data
