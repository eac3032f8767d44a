#include "physiolite/data/benchmark.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/aami.hpp"
#include "physiolite/io/annotation.hpp"

namespace physiolite::data {
namespace {

void expect_usage_error(Benchmark& b, const std::string& assignment, const std::string& fragment) {
  try {
    b.apply_assignments({assignment});
    FAIL() << "accepted " << assignment;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Benchmark, OptionsOverrideByKeyWithTypeChecks) {
  Benchmark b("mitbih", "/data");
  b.apply_assignments(
      {"window_length=256", "beat_offset=128", "lead=V5", "validation_records=[118, 223]"});
  EXPECT_EQ(b.options()["window_length"], 256);
  EXPECT_EQ(b.options()["lead"], "V5");
  EXPECT_EQ(b.split_sources(Split::kValidation), (std::vector<std::string>{"118", "223"}));
  EXPECT_EQ(b.split_sources(Split::kTrain).size(), 20u);
  EXPECT_EQ(b.split_sources(Split::kTest).size(), 22u);  // DS2
}

TEST(Benchmark, MitBihTestRecordsHoldDs1RecordsOutOfTraining) {
  Benchmark b("mitbih", "/data");
  b.apply_assignments({"validation_records=[118, 223]", "test_records=[101, 106]"});
  EXPECT_EQ(b.split_sources(Split::kTest), (std::vector<std::string>{"101", "106"}));
  const auto train = b.split_sources(Split::kTrain);
  EXPECT_EQ(train.size(), 18u);
  for (const char* held_out : {"101", "106", "118", "223"}) {
    EXPECT_EQ(std::count(train.begin(), train.end(), held_out), 0) << held_out;
  }
}

// Record 101 alone in training, 106 as the test split (the other DS1 records validate).
WindowSet build_101_106(Split split, double af_rhythm_fraction,
                        const std::string& train_beats = "annotated") {
  Benchmark b("mitbih", shared_data_dir());
  b.apply_assignments(
      {"validation_records=[108, 109, 112, 114, 115, 116, 118, 119, 122, 124, 201, "
       "203, 205, 207, 208, 209, 215, 220, 223, 230]",
       "test_records=[106]", "rr_irregularity=true",
       "af_rhythm_fraction=" + std::to_string(af_rhythm_fraction), "train_beats=" + train_beats});
  return b.build(split);
}

TEST(Benchmark, SyntheticIrregularRhythmChangesTrainingBeatsOnly) {
  const WindowSet train = build_101_106(Split::kTrain, 0.5);
  const WindowSet plain_train = build_101_106(Split::kTrain, 0.0);
  ASSERT_EQ(train.n, plain_train.n);
  EXPECT_EQ(train.data, plain_train.data);  // waveforms untouched
  EXPECT_NE(train.side, plain_train.side);
  EXPECT_EQ(build_101_106(Split::kTest, 0.5).side, build_101_106(Split::kTest, 0.0).side);
}

// Record 101's annotations (shared data README, AAMI counts): N 1860, S 3 of 1,865 beats.
std::vector<int64_t> annotated_101(std::vector<int64_t>& labels) {
  std::vector<int64_t> samples;
  for (const auto& a : io::read_annotations(shared_data_dir() / "mitdb" / "101")) {
    if (!io::is_beat_code(a.code)) continue;
    const auto c = aami_class_of_code(a.code);
    samples.push_back(a.sample);
    labels.push_back(c && *c <= AamiClass::kF ? static_cast<int64_t>(*c) : -1);
  }
  return samples;
}

TEST(Benchmark, DetectedTrainingBeatsTakeTheMatchedAnnotationsClass) {
  const WindowSet detected = build_101_106(Split::kTrain, 0.0, "detected");
  const WindowSet annotated = build_101_106(Split::kTrain, 0.0);
  ASSERT_EQ(annotated.n, 1863);  // N 1860 + S 3
  std::vector<int64_t> labels;
  const std::vector<int64_t> beats = annotated_101(labels);
  // The detector finds 101's beats; every window is at a detection within 150 ms (54 samples
  // at 360 Hz) of an annotated beat of its label's class, each annotated beat used once.
  EXPECT_GE(detected.n, 1860);
  EXPECT_LE(detected.n, 1863);
  std::vector<bool> used(beats.size(), false);
  int64_t moved = 0;
  for (int64_t i = 0; i < detected.n; ++i) {
    // the beat at the window's offset, back at 360 Hz (180 Hz model rate), +-1 sample
    const int64_t at = 2 * (detected.begin_sample[static_cast<size_t>(i)] + 256);
    const auto near = std::lower_bound(beats.begin(), beats.end(), at - 56);
    ASSERT_TRUE(near != beats.end() && *near <= at + 56) << "window " << i << " at " << at;
    const auto k = static_cast<size_t>(near - beats.begin());
    EXPECT_EQ(detected.labels[static_cast<size_t>(i)], labels[k]) << "window " << i;
    EXPECT_FALSE(used[k]);
    used[k] = true;
    moved += detected.begin_sample[static_cast<size_t>(i)] + 256 != (*near + 1) / 2;
  }
  EXPECT_GT(moved, 0);  // the device's fiducials are not the annotators'
  // The test split is the benchmark's: the annotated beats, whatever the training beats.
  const WindowSet test_detected = build_101_106(Split::kTest, 0.0, "detected");
  const WindowSet test_annotated = build_101_106(Split::kTest, 0.0);
  EXPECT_EQ(test_detected.begin_sample, test_annotated.begin_sample);
  EXPECT_EQ(test_detected.data, test_annotated.data);
  EXPECT_EQ(test_detected.labels, test_annotated.labels);
}

TEST(Benchmark, BadOverridesNameTheKey) {
  Benchmark b("mitbih", "/data");
  expect_usage_error(b, "window_lenght=256", "mitbih.window_lenght: unknown option");
  expect_usage_error(b, "window_length=big", "mitbih.window_length: expected number");
  expect_usage_error(b, "window_length=2.5", "mitbih.window_length");
  expect_usage_error(b, "validation_records=[100]", "DS1 records only");
  expect_usage_error(b, "test_records=[100]", "mitbih.test_records: expected DS1 records only");
  expect_usage_error(b, "test_records=[114]", "records not in validation_records");
  expect_usage_error(b, "beat_offset=9999", "mitbih.beat_offset");
  expect_usage_error(b, "template_beats=-1", "mitbih.template_beats: expected 0 to");
  expect_usage_error(b, "af_rhythm_fraction=1.5",
                     "mitbih.af_rhythm_fraction: expected a number in [0, 1]");
  expect_usage_error(b, "rr_irregularity=3", "mitbih.rr_irregularity");
  expect_usage_error(b, "noequals", "expected key=value");
  expect_usage_error(b, "train_beats=found",
                     "mitbih.train_beats: expected \"annotated\" or \"detected\", got \"found\"");
  expect_usage_error(b, "causal_max_post_ms=5000",
                     "mitbih.causal_max_post_ms: expected 300 to 3000 ms");
  Benchmark u("uci", "/data");
  expect_usage_error(u, "test_subjects=[1]", "each subject in one split only");
  EXPECT_THROW(Benchmark("ptb", "/data"), UsageError);  // ptbxl is one now
  // A refused override leaves the options as they were.
  EXPECT_EQ(b.options()["window_length"], 512);
}

TEST(Benchmark, AbsentSourcesOfThisCopy) {
  EXPECT_EQ(Benchmark("uci", shared_data_dir()).absent_sources(),
            (std::vector<std::string>{"11", "13", "30"}));
  EXPECT_TRUE(Benchmark("mitbih", shared_data_dir()).absent_sources().empty());
  EXPECT_EQ(Benchmark("mitbih", "/nonexistent").absent_sources().size(), 44u);  // DS1 + DS2
}

TEST(Benchmark, SplitNames) {
  EXPECT_EQ(parse_split("val"), Split::kValidation);
  EXPECT_STREQ(split_name(Split::kTest), "test");
  EXPECT_THROW(parse_split("dev"), UsageError);
}

TEST(Benchmark, ClassCountsSingleAndMultiLabel) {
  WindowSet s;
  s.labels = {0, 2, 2, 1, 2};
  EXPECT_EQ(class_counts(s), (std::vector<int64_t>{1, 1, 3}));
  WindowSet m;
  m.num_label_columns = 3;
  m.labels = {1, 0, 1, 0, 0, 1};
  EXPECT_EQ(class_counts(m), (std::vector<int64_t>{1, 0, 2}));
}

}  // namespace
}  // namespace physiolite::data
