// build_mitbih_windows on a synthetic record whose beats and waveform are known by construction,
// and on the real DS2 split against the published class counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "common/temp_dir.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/aami.hpp"
#include "physiolite/data/mitbih.hpp"

namespace physiolite::data {
namespace {

using physiolite::testing::TempDir;

// A 20 s, 360 Hz, format-16 record: a narrow 1 mV spike at each beat, beats (N, N, V, N, N, N)
// at known samples; annotation words written by hand (N = code 1, V = code 5).
struct SyntheticRecord {
  std::vector<int64_t> beats = {700, 1000, 1240, 1600, 1960, 2320};
  std::vector<int> codes = {1, 1, 5, 1, 1, 1};

  void write(const std::filesystem::path& dir) const {
    const int n = 7200;
    std::vector<uint8_t> dat(2 * n, 0);
    for (int64_t b : beats) {
      for (int k = -2; k <= 2; ++k) {
        int16_t v = static_cast<int16_t>(k == 0 ? 200 : 100);  // gain 200: 1 mV peak
        dat[2 * (b + k)] = static_cast<uint8_t>(v & 0xFF);
        dat[2 * (b + k) + 1] = static_cast<uint8_t>((v >> 8) & 0xFF);
      }
    }
    testing::write_bytes(dir / "900.dat", dat);
    testing::write_text(dir / "900.hea", "900 1 360 7200\n900.dat 16 200 16 0 0 0 0 MLII\n");
    std::vector<uint8_t> atr;
    int64_t t = 0;
    for (size_t i = 0; i < beats.size(); ++i) {
      int word = (codes[i] << 10) | static_cast<int>(beats[i] - t);
      t = beats[i];
      atr.push_back(static_cast<uint8_t>(word & 0xFF));
      atr.push_back(static_cast<uint8_t>(word >> 8));
    }
    atr.push_back(0);
    atr.push_back(0);
    testing::write_bytes(dir / "900.atr", atr);
  }
};

MitBihOptions synthetic_options(const std::filesystem::path& dir) {
  MitBihOptions o;
  o.mitdb_dir = dir;
  o.validation_records = {};
  return o;
}

// The windows of the synthetic record, written into `dir`, with `change` applied to the options.
template <class Change>
WindowSet synthetic_windows(const std::filesystem::path& dir, Change change) {
  SyntheticRecord{}.write(dir);
  MitBihOptions o = synthetic_options(dir);
  change(o);
  return build_mitbih_windows({900}, o);
}

TEST(MitBihWindows, OneWindowPerBeatWithTheBeatAtTheFixedOffset) {
  TempDir dir;
  SyntheticRecord rec;
  rec.write(dir.path());
  MitBihOptions o = synthetic_options(dir.path());
  WindowSet set = build_mitbih_windows({900}, o);
  ASSERT_EQ(set.n, 6);
  EXPECT_EQ(set.c, 1);
  EXPECT_EQ(set.t, 512);
  EXPECT_DOUBLE_EQ(set.fs_hz, 180.0);
  EXPECT_EQ(set.labels, (std::vector<int64_t>{0, 0, 2, 0, 0, 0}));  // N N V N N N with NSVF
  for (int64_t i = 0; i < set.n; ++i) {
    const float* w = set.window(i);
    // Every spike is the same, so the beat under test (at beat_offset, ±1 sample of the 2:1
    // resampling) is as high as the window's highest neighbour, and a local maximum.
    float peak = std::max({w[255], w[256], w[257]});
    EXPECT_GE(peak, 0.99f * *std::max_element(w, w + set.t)) << "window " << i;
    EXPECT_GT(peak, w[246]) << "window " << i;
    EXPECT_GT(peak, w[266]) << "window " << i;
    EXPECT_EQ(set.begin_sample[static_cast<size_t>(i)],
              rec.beats[static_cast<size_t>(i)] / 2 - 256);
    EXPECT_EQ(set.source[static_cast<size_t>(i)], "900");
  }
}

TEST(MitBihWindows, RrSideInputsAreHandComputable) {
  TempDir dir;
  SyntheticRecord rec;
  rec.write(dir.path());
  WindowSet set = build_mitbih_windows({900}, synthetic_options(dir.path()));
  ASSERT_EQ(set.side_dim, 4);
  // Intervals (samples): 300, 240, 360, 360, 360; mean RR = (2320 - 700) / 5 = 324 samples.
  const double mean = 324.0;
  auto side = [&](int beat, int k) { return set.side[static_cast<size_t>(beat * 4 + k)]; };
  EXPECT_NEAR(side(2, 0), 240 / mean, 1e-6);                // pre-RR of the V beat (premature)
  EXPECT_NEAR(side(2, 1), 360 / mean, 1e-6);                // post-RR (compensatory pause)
  EXPECT_NEAR(side(2, 2), (300 + 240) / 2.0 / mean, 1e-6);  // mean of the previous intervals
  EXPECT_NEAR(side(2, 3), mean / 360.0, 1e-6);              // seconds
  EXPECT_NEAR(side(0, 0), 300 / mean, 1e-6);  // first beat: pre-RR taken from the next interval
  EXPECT_NEAR(side(5, 1), 360 / mean, 1e-6);  // last beat: post-RR = pre-RR
}

TEST(MitBihWindows, RrRatiosAreHandComputable) {
  TempDir dir;
  WindowSet set = synthetic_windows(dir.path(), [](MitBihOptions& o) { o.rr_ratios = true; });
  ASSERT_EQ(set.side_dim, 6);
  EXPECT_EQ(set.side_names[4], "rr_pre_over_local");
  EXPECT_EQ(set.side_names[5], "rr_post_over_pre");
  auto side = [&](int beat, int k) { return set.side[static_cast<size_t>(beat * 6 + k)]; };
  // Intervals (samples): 300, 240, 360, 360, 360. The V beat (2): pre 240, post 360, local mean
  // of the previous intervals (300 + 240) / 2 = 270.
  EXPECT_NEAR(side(2, 4), 240.0 / 270.0, 1e-6);
  EXPECT_NEAR(side(2, 5), 360.0 / 240.0, 1e-6);
  // Beat 4: pre 360, post 360, local (300 + 240 + 360 + 360) / 4 = 315.
  EXPECT_NEAR(side(4, 4), 360.0 / 315.0, 1e-6);
  EXPECT_NEAR(side(4, 5), 1.0, 1e-6);
  // The first four inputs are unchanged by the option.
  WindowSet plain = synthetic_windows(dir.path(), [](MitBihOptions&) {});
  for (int b = 0; b < 6; ++b) {
    for (int k = 0; k < 4; ++k) EXPECT_EQ(side(b, k), plain.side[static_cast<size_t>(b * 4 + k)]);
  }
}

TEST(MitBihWindows, RrVariabilityIsTheCoefficientOfVariationBeforeThePreRr) {
  TempDir dir;
  WindowSet set = synthetic_windows(dir.path(), [](MitBihOptions& o) { o.rr_variability = true; });
  ASSERT_EQ(set.side_dim, 5);
  EXPECT_EQ(set.side_names[4], "rr_previous_cv");
  auto cv = [&](int beat) { return set.side[static_cast<size_t>(beat * 5 + 4)]; };
  // Intervals (samples): 300, 240, 360, 360, 360.
  EXPECT_EQ(cv(0), 0.0f);  // no interval before the pre-RR
  EXPECT_EQ(cv(2), 0.0f);  // one interval (300): no spread to measure
  // Beat 4: 360, 240, 300 -> mean 300, population sd sqrt(2400).
  EXPECT_NEAR(cv(4), std::sqrt(2400.0) / 300.0, 1e-6);
  // Beat 5: 360, 360, 240, 300 -> mean 315, sd sqrt(2475).
  EXPECT_NEAR(cv(5), std::sqrt(2475.0) / 315.0, 1e-6);
}

TEST(MitBihWindows, RrRobustUsesMediansForTheRecordAndLocalRr) {
  TempDir dir;
  WindowSet set = synthetic_windows(dir.path(), [](MitBihOptions& o) { o.rr_robust = true; });
  ASSERT_EQ(set.side_dim, 4);
  auto side = [&](int beat, int k) { return set.side[static_cast<size_t>(beat * 4 + k)]; };
  // Intervals (samples): 300, 240, 360, 360, 360 -> record median 360 (the mean is 324).
  const double median = 360.0;
  EXPECT_NEAR(side(2, 0), 240 / median, 1e-6);
  EXPECT_NEAR(side(2, 2), (240 + 300) / 2.0 / median, 1e-6);  // median of two: their mean
  EXPECT_NEAR(side(4, 2), (300 + 360) / 2.0 / median, 1e-6);  // of 360, 360, 240, 300
  EXPECT_NEAR(side(5, 2), 360 / median, 1e-6);                // of 360, 360, 360, 240, 300
  EXPECT_NEAR(side(0, 3), median / 360.0, 1e-6);              // seconds at 360 Hz
}

TEST(MitBihWindows, TemplateBeatsTakesTheMedianOfTheNeighbouringBeatsOnly) {
  TempDir dir;
  WindowSet set = synthetic_windows(dir.path(), [](MitBihOptions& o) {
    o.template_channel = true;
    o.template_beats = 1;  // the beat and one neighbour on each side
  });
  WindowSet plain = synthetic_windows(dir.path(), [](MitBihOptions&) {});
  ASSERT_EQ(set.n, 6);
  for (int64_t k = 0; k < set.t; ++k) {
    auto x = [&](int64_t i) { return plain.window(i)[k]; };
    for (int64_t i = 0; i < set.n; ++i) {
      float median;
      if (i == 0 || i == set.n - 1) {  // two beats at the ends: their mean
        median = 0.5f * (x(i) + x(i == 0 ? 1 : i - 1));
      } else {  // three beats: the one between the other two
        std::array<float, 3> v = {x(i - 1), x(i), x(i + 1)};
        std::sort(v.begin(), v.end());
        median = v[1];
      }
      ASSERT_FLOAT_EQ(set.window(i)[set.t + k], x(i) - median) << "beat " << i << " sample " << k;
    }
  }
}

TEST(MitBihWindows, RrIrregularityIsTheMedianSuccessiveDifferenceAroundTheBeat) {
  TempDir dir;
  WindowSet set = synthetic_windows(dir.path(), [](MitBihOptions& o) {
    o.rr_irregularity = true;
    o.local_rr_beats = 2;  // two intervals on each side of the beat
  });
  ASSERT_EQ(set.side_dim, 5);
  EXPECT_EQ(set.side_names[4], "rr_local_irregularity");
  auto irregularity = [&](int beat) { return set.side[static_cast<size_t>(beat * 5 + 4)]; };
  // Intervals (samples): 300, 240, 360, 360, 360; interval k ends at beat k.
  EXPECT_EQ(irregularity(0), 0.0f);  // intervals 300, 240: one difference only
  // Beat 1: 300, 240, 360 -> differences 60, 120 -> median 90; median interval 300.
  EXPECT_NEAR(irregularity(1), 90.0 / 300.0, 1e-6);
  // Beat 2: 300, 240, 360, 360 -> differences 60, 120, 0 -> 60; median interval 330.
  EXPECT_NEAR(irregularity(2), 60.0 / 330.0, 1e-6);
  // Beat 3: 240, 360, 360, 360 -> differences 120, 0, 0 -> 0 (one premature beat is not irregular).
  EXPECT_EQ(irregularity(3), 0.0f);
  EXPECT_EQ(irregularity(5), 0.0f);  // intervals 360, 360: one difference only
}

TEST(MitBihWindows, RrSecondsOffDropsTheRecordsRrInSeconds) {
  TempDir dir;
  WindowSet set = synthetic_windows(dir.path(), [](MitBihOptions& o) { o.rr_seconds = false; });
  WindowSet plain = synthetic_windows(dir.path(), [](MitBihOptions&) {});
  ASSERT_EQ(set.side_dim, 3);
  EXPECT_EQ(set.side_names, std::vector<std::string>({"rr_pre", "rr_post", "rr_local"}));
  for (int64_t i = 0; i < set.n; ++i) {
    for (size_t k = 0; k < 3; ++k) {
      EXPECT_EQ(set.side[static_cast<size_t>(i) * 3 + k],
                plain.side[static_cast<size_t>(i) * 4 + k]);
    }
  }
}

TEST(MitBihWindows, TemplateChannelIsTheWindowMinusTheRecordsMedianBeat) {
  TempDir dir;
  WindowSet set =
      synthetic_windows(dir.path(), [](MitBihOptions& o) { o.template_channel = true; });
  ASSERT_EQ(set.c, 2);
  WindowSet plain = synthetic_windows(dir.path(), [](MitBihOptions&) {});
  ASSERT_EQ(set.n, plain.n);
  for (int64_t k = 0; k < set.t; ++k) {
    // Median of 6 values: the mean of the 3rd and 4th smallest.
    std::vector<float> column;
    for (int64_t i = 0; i < set.n; ++i) column.push_back(plain.window(i)[k]);
    std::sort(column.begin(), column.end());
    const float median = 0.5f * (column[2] + column[3]);
    for (int64_t i = 0; i < set.n; ++i) {
      ASSERT_EQ(set.window(i)[k], plain.window(i)[k]) << "beat " << i << " sample " << k;
      ASSERT_FLOAT_EQ(set.window(i)[set.t + k], plain.window(i)[k] - median)
          << "beat " << i << " sample " << k;
    }
  }
}

TEST(MitBihWindows, MissingLeadNamesTheHeader) {
  TempDir dir;
  SyntheticRecord rec;
  rec.write(dir.path());
  MitBihOptions o = synthetic_options(dir.path());
  o.lead = "V5";
  try {
    build_mitbih_windows({900}, o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("900.hea"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'V5'"), std::string::npos) << e.what();
  }
  o.first_signal_if_lead_missing = true;
  EXPECT_EQ(build_mitbih_windows({900}, o).n, 6);
}

TEST(MitBihWindows, OptionsAreValidated) {
  MitBihOptions o;
  o.mitdb_dir = "x";
  o.validation_records = {100};  // a DS2 record
  EXPECT_THROW(o.validate(), UsageError);
  o.validation_records = {};
  o.beat_offset = 600;
  EXPECT_THROW(o.validate(), UsageError);
  o.beat_offset = 256;
  o.classes = "NNX";
  EXPECT_THROW(o.validate(), UsageError);
}

TEST(MitBihWindows, SplitsAreWholeDs1RecordsAndDs2) {
  MitBihOptions o;
  auto train = mitbih_split_records(MitBihSplit::kTrain, o);
  auto val = mitbih_split_records(MitBihSplit::kValidation, o);
  EXPECT_EQ(train.size() + val.size(), 22u);
  for (int r : val) EXPECT_EQ(std::count(train.begin(), train.end(), r), 0);
  auto test = mitbih_split_records(MitBihSplit::kTest, o);
  auto ds2 = mitbih_ds2_records();
  EXPECT_TRUE(std::equal(test.begin(), test.end(), ds2.begin(), ds2.end()));
}

TEST(MitBihWindows, Ds2WindowsCarryThePublishedClassCounts) {
  MitBihOptions o;
  o.mitdb_dir = shared_data_dir() / "mitdb";
  WindowSet set = build_mitbih_windows(mitbih_split_records(MitBihSplit::kTest, o), o);
  std::vector<int64_t> counts(4, 0);
  for (int64_t l : set.labels) ++counts[static_cast<size_t>(l)];
  EXPECT_EQ(counts, (std::vector<int64_t>{44259, 1837, 3221, 388}));  // de Chazal 2004, DS2
  for (float v : set.data) ASSERT_TRUE(std::isfinite(v));
}

}  // namespace
}  // namespace physiolite::data
