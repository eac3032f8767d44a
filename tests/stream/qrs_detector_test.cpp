// The C++ glue around the runtime detector: delays, episodes, raw streams, and the detector on
// MIT-BIH record 100 scored against the cardiologists' reference annotations.
#include "physiolite/stream/qrs_detector.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>

#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/stream/qrs_evaluation.hpp"
#include "physiolite/stream/raw_samples.hpp"

namespace physiolite::stream {
namespace {

TEST(DelayStats, MeanAndMaxInMilliseconds) {
  const std::vector<int64_t> delays = {36, 72, 108};  // at 360 Hz: 100, 200, 300 ms
  const auto s = delay_stats(delays, 360.0);
  EXPECT_EQ(s.count, 3);
  EXPECT_NEAR(s.mean_ms, 200.0, 1e-9);
  EXPECT_NEAR(s.max_ms, 300.0, 1e-9);
  EXPECT_EQ(delay_stats({}, 360.0).count, 0);
}

TEST(QrsDetector, RejectsUnsupportedSamplingRates) {
  EXPECT_THROW(QrsDetector(50.0), UsageError);
  EXPECT_THROW(QrsDetector(5000.0), UsageError);
  try {
    QrsDetector d(20.0);
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("100 to 1000 Hz, got 20"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(QrsDetector(128.0));
  EXPECT_NO_THROW(QrsDetector(1000.0));
}

TEST(QrsDetector, FlatLineGivesOneEpisodeAndNoBeats) {
  dsp::Signal flat;
  flat.fs_hz = 250.0;
  flat.samples.assign(250 * 20, 0.7);
  const auto detection = detect_qrs(flat);
  EXPECT_TRUE(detection.beats.empty());
  ASSERT_EQ(detection.episodes.size(), 1u);
  EXPECT_EQ(detection.episodes[0].begin_sample, 74);  // the 75th equal sample = 300 ms
  EXPECT_EQ(detection.episodes[0].end_sample, 250 * 20);
  EXPECT_EQ(describe_condition(detection.episodes[0].condition), "flat line");
}

TEST(QrsDetector, NanRunIsReportedAsOutOfRange) {
  dsp::Signal s;
  s.fs_hz = 360.0;
  s.samples.assign(3600, 0.0);
  for (size_t i = 0; i < s.samples.size(); ++i)
    s.samples[i] = std::sin(0.05 * static_cast<double>(i));
  for (size_t i = 1000; i < 1100; ++i) s.samples[i] = std::numeric_limits<double>::quiet_NaN();
  const auto detection = detect_qrs(s);
  ASSERT_FALSE(detection.episodes.empty());
  EXPECT_EQ(detection.episodes[0].begin_sample, 1000);
  EXPECT_TRUE(detection.episodes[0].condition & PLRT_QRS_COND_OUT_OF_RANGE);
}

TEST(RawSampleReader, TextLinesWithBadLinesBecomeNan) {
  std::istringstream in("1.5\n-2\nabc\n\n3e-1\nnan\n 4 \n");
  std::vector<std::string> messages;
  RawSampleReader reader(in, RawFormat::kText, "stdin",
                         [&](const std::string& m) { messages.push_back(m); });
  std::vector<float> got;
  float x;
  while (reader.next(x)) got.push_back(x);
  ASSERT_EQ(got.size(), 7u);
  EXPECT_EQ(got[0], 1.5f);
  EXPECT_EQ(got[1], -2.0f);
  EXPECT_TRUE(std::isnan(got[2]));
  EXPECT_TRUE(std::isnan(got[3]));
  EXPECT_FLOAT_EQ(got[4], 0.3f);
  EXPECT_TRUE(std::isnan(got[5]));
  EXPECT_EQ(got[6], 4.0f);
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0], "stdin:3: field 'sample': expected a finite number, got 'abc'");
  EXPECT_EQ(messages[1], "stdin:4: field 'sample': expected a finite number, got ''");
  EXPECT_EQ(reader.bad_inputs(), 3);
}

TEST(RawSampleReader, BinaryInt16LittleEndian) {
  const std::string bytes = {'\x01', '\x00', '\xff', '\xff', '\x00', '\x80', '\x07'};
  std::istringstream in(bytes);
  int bad = 0;
  RawSampleReader reader(in, RawFormat::kInt16, "stdin", [&](const std::string&) { ++bad; });
  std::vector<float> got;
  float x;
  while (reader.next(x)) got.push_back(x);
  EXPECT_EQ(got, (std::vector<float>{1.0f, -1.0f, -32768.0f}));
  EXPECT_EQ(bad, 1);  // the odd trailing byte
}

TEST(QrsEvaluation, Record100AgainstTheReferenceAnnotations) {
  const auto record = shared_data_dir() / "mitdb" / "100";
  if (!std::filesystem::exists(record.string() + ".hea")) GTEST_SKIP() << "no MIT-BIH data";
  const auto score = evaluate_qrs_record(record);
  EXPECT_EQ(score.lead, "MLII");
  EXPECT_EQ(score.all.tp + score.all.fn, 2273);  // beats in 100.atr (PhysioNet's count)
  EXPECT_GE(score.all.sensitivity(), 0.995);
  EXPECT_GE(score.all.positive_predictivity(), 0.995);
  EXPECT_EQ(score.vf_excluded_samples, 0);
  EXPECT_EQ(score.bad_signal_episodes, 0);
  // Ordinary beats are emitted ~0.2 s after the R peak; none later than the documented bound.
  EXPECT_GT(score.delay.mean_ms, 100.0);
  EXPECT_LT(score.delay.mean_ms, 300.0);
  EXPECT_LE(score.delay.max_ms,
            1000.0 * static_cast<double>(QrsDetector(360.0).max_delay_samples()) / 360.0 + 150.0);
}

// Issue 10's per-record target on the hardest record: 108 has large P waves (first-degree AV
// block) that pass the threshold ~0.2 s before their QRS, plus noise.
TEST(QrsEvaluation, Record108WithLargePWavesReachesTheTarget) {
  const auto record = shared_data_dir() / "mitdb" / "108";
  if (!std::filesystem::exists(record.string() + ".hea")) GTEST_SKIP() << "no MIT-BIH data";
  const auto score = evaluate_qrs_record(record);
  EXPECT_EQ(score.all.tp + score.all.fn, 1763);  // beats in 108.atr (PhysioNet's count)
  EXPECT_GE(score.all.sensitivity(), 0.98);
  EXPECT_GE(score.all.positive_predictivity(), 0.98);
}

TEST(QrsEvaluation, LeadFallsBackToSignalZeroWithoutMlii) {
  const auto record = shared_data_dir() / "mitdb" / "102";
  if (!std::filesystem::exists(record.string() + ".hea")) GTEST_SKIP() << "no MIT-BIH data";
  const auto score = evaluate_qrs_record(record);
  EXPECT_EQ(score.signal_index, 0);
  EXPECT_EQ(score.lead, "V5");
}

}  // namespace
}  // namespace physiolite::stream
