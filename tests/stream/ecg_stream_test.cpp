// The streaming C pipeline (plrt_ecg) against the C++ reference with the same causal definitions
// (data.causal, src/data/causal_windows.cpp, double precision, whole arrays) on whole MIT-BIH
// records with a shipped int8 model: the same beats, and the same class for every beat the C side
// classified but at int8 logit ties, which float32 against double rounding may break either way
// (with the shipped distilled seed-1 model: 0 beats of 2934 in 208, 2 of 1775 in 232; 1 and 1 with
// the model without KD shipped before it). Also the preprocessing read from a run's config.json
// and its refusals.
#include "physiolite/stream/ecg_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "physiolite/arch/positional.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/beat_windows.hpp"
#include "physiolite/data/benchmark.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/stream/qrs_detector.hpp"

namespace physiolite::stream {
namespace {

namespace fs = std::filesystem;

const fs::path kRun = fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / "../models/mitbih-wavelet-seed1";

nlohmann::json run_config() {
  std::ifstream in(kRun / "config.json");
  return nlohmann::json::parse(in);
}

TEST(EcgPreprocessing, FromTheShippedRunConfig) {
  const EcgPreprocessing pre = ecg_preprocessing_from_run(run_config(), "config.json");
  const plrt_ecg_config& c = pre.config;
  EXPECT_EQ(pre.lead, "MLII");
  EXPECT_EQ(c.model_fs_hz, 180.0f);
  EXPECT_EQ(c.leads, 2);
  EXPECT_EQ(c.window_length, 128);
  EXPECT_EQ(c.beat_offset, 64);
  EXPECT_EQ(c.template_channel, 1);
  EXPECT_EQ(c.side, static_cast<uint32_t>(PLRT_ECG_SIDE_RR_RATIOS | PLRT_ECG_SIDE_RR_IRREGULARITY));
  EXPECT_EQ(c.n_side, 6);
  EXPECT_EQ(c.side_offset[0], 0.9967583136934758f);  // config.json model.side_offset[0]
  EXPECT_EQ(c.side_scale[5], 0.1843221997672237f);
  EXPECT_EQ(c.pos_freqs, 8);
  EXPECT_EQ(c.pe_scale, 0.1f);
  EXPECT_EQ(c.low_hz, 0.5f);
  EXPECT_EQ(c.high_hz, 40.0f);
  // made before config.json carried data.causal_max_post_ms: the 2 s it was made with
  EXPECT_EQ(c.max_post_ms, 2000.0f);
  nlohmann::json recorded = run_config();
  recorded["data"]["causal_max_post_ms"] = 3000.0;
  EXPECT_EQ(ecg_preprocessing_from_run(recorded, "config.json").config.max_post_ms, 3000.0f);
}

TEST(EcgPreprocessing, CausalDefaultsAreTheRuntimes) {
  plrt_ecg_config c;
  plrt_ecg_default_config(&c);
  const data::MitBihOptions o;
  EXPECT_EQ(c.norm_seconds, static_cast<float>(o.causal_norm_seconds));
  EXPECT_EQ(c.template_step, static_cast<float>(o.causal_template_step));
  EXPECT_EQ(c.learn_beats, o.causal_learn_beats);
  EXPECT_EQ(c.max_post_ms, static_cast<float>(o.causal_max_post_ms));
  EXPECT_EQ(c.refine_ms, static_cast<float>(o.causal_refine_ms));
}

TEST(EcgPreprocessing, RefusesWhatPlrtEcgDoesNotImplement) {
  auto expect_usage = [](nlohmann::json j, const std::string& part) {
    try {
      ecg_preprocessing_from_run(j, "run/config.json");
      ADD_FAILURE() << "accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  nlohmann::json j = run_config();
  j["data"]["filter_order"] = 3;
  expect_usage(j, "data.filter_order");
  j = run_config();
  j["data"]["dataset"] = "uci";
  expect_usage(j, "data.dataset");
  j = run_config();
  j["model"]["side_offset"] = {1.0, 2.0};
  expect_usage(j, "model.side_offset");
  expect_usage(nlohmann::json::object(), "'data' and 'model'");
}

TEST(EcgPreprocessing, FindsTheRunConfigNextToTheModel) {
  EXPECT_EQ(fs::weakly_canonical(find_run_config(kRun / "int8/max78000-qat.plq", {})),
            fs::weakly_canonical(kRun / "config.json"));
  const fs::path lonely = fs::temp_directory_path() / "physiolite_ecg_test/a/b.plq";
  EXPECT_THROW(find_run_config(lonely, {}), UsageError);
  EXPECT_THROW(find_run_config(lonely, fs::temp_directory_path() / "no_such_run"), UsageError);
}

// The positional codes plrt_ecg computes with its own series equal the C++ channels
// (arch::positional_channels, std::sin in double) quantised by the model.
TEST(EcgStream, PositionalCodesEqualTheCxxChannels) {
  for (const char* file :
       {"max78000-qat.plq", "max78000-ptq.plq", "tflite-qat.plq", "tflite-ptq.plq"}) {
    const auto model = qgraph::RuntimeModel::load(kRun / "int8" / file);
    const EcgPreprocessing pre = ecg_preprocessing_from_run(run_config(), "config.json");
    auto state = std::make_unique<plrt_ecg_state>();
    std::vector<uint8_t> arena(plrt_model_arena_size(&model.model()));
    ASSERT_EQ(plrt_ecg_init(state.get(), &pre.config, nullptr, 360.0f, &model.model(), arena.data(),
                            arena.size()),
              PLRT_OK);
    const auto rows = arch::positional_channels(128, 8, 0.1);
    const uint32_t base = 4 + 6;
    int differ = 0;
    for (uint32_t r = 0; r < 16; ++r) {
      for (int t = 0; t < 128; ++t) {
        differ += state->positional[r][t] !=
                  plrt_quantize_value(&model.model(), base + r, rows[r * 128 + t]);
      }
    }
    EXPECT_EQ(differ, 0) << file;
  }
}

// Classes of the C++ causal windows (detector beats, the same definitions) through the runtime.
std::vector<int> reference_classes(const fs::path& record, const qgraph::RuntimeModel& model,
                                   const std::vector<DetectedBeat>& detected,
                                   const std::vector<int64_t>& beats, std::vector<int8_t>& logits) {
  std::ifstream in(kRun / "config.json");
  const auto config = nlohmann::json::parse(in);
  data::MitBihOptions o = data::mitbih_options_from_json(config["data"], shared_data_dir());
  o.causal = true;
  std::vector<int64_t> known_at;
  for (const auto& b : detected) known_at.push_back(b.emitted_sample);
  const data::WindowSet set = data::build_beat_windows(record, beats, o, known_at);
  const auto offset = config["model"]["side_offset"].get<std::vector<double>>();
  const auto scale = config["model"]["side_scale"].get<std::vector<double>>();
  const auto pos = arch::positional_channels(128, 8, 0.1);
  const int64_t c_total = set.c + set.side_dim + 16, t = set.t;
  std::vector<float> x(static_cast<size_t>(set.n * c_total * t));
  for (int64_t i = 0; i < set.n; ++i) {
    float* w = x.data() + i * c_total * t;
    std::copy_n(set.window(i), set.c * t, w);
    for (int64_t s = 0; s < set.side_dim; ++s) {
      const auto k = static_cast<size_t>(s);
      const float v = set.side[static_cast<size_t>(i * set.side_dim + s)];
      std::fill_n(w + (set.c + s) * t, t,
                  (v - static_cast<float>(offset[k])) / static_cast<float>(scale[k]));
    }
    std::copy(pos.begin(), pos.end(), w + (set.c + set.side_dim) * t);
  }
  const auto codes = model.run(x.data(), set.n, PLRT_KERNELS_OPTIMIZED);
  logits = codes;
  std::vector<int> classes;
  const int k = model.num_classes();
  for (int64_t i = 0; i < set.n; ++i) {
    const int8_t* l = codes.data() + i * k;
    classes.push_back(static_cast<int>(std::max_element(l, l + k) - l));
  }
  return classes;
}

// Whole records: 208 (992 V, 373 F beats) and 232 (long pauses, 1382 A beats).
TEST(EcgStream, WholeRecordsAgreeWithTheCxxCausalWindows) {
  const auto model = qgraph::RuntimeModel::load(kRun / "int8/max78000-qat.plq");
  const EcgPreprocessing pre = ecg_preprocessing_from_run(run_config(), "config.json");
  for (const char* name : {"208", "232"}) {
    const fs::path record = shared_data_dir() / "mitdb" / name;
    if (!fs::exists(record.string() + ".hea")) GTEST_SKIP() << "no MIT-BIH data";
    const StreamedRecord streamed = stream_record(record, model, pre);
    const io::WfdbRecord rec = io::read_wfdb_record(record);
    const dsp::Signal lead = rec.physical(rec.find_signal("MLII"));
    const auto detected = detect_qrs(lead).beats;
    ASSERT_EQ(streamed.beats.size(), detected.size()) << name;
    std::vector<int64_t> beats;
    for (const auto& b : detected) beats.push_back(b.sample);
    const auto options = data::mitbih_options_from_json(run_config()["data"], shared_data_dir());
    beats = data::refine_detected_beats(lead.samples, rec.header.fs_hz, beats, options);
    std::vector<int8_t> ref_logits;
    const std::vector<int> reference =
        reference_classes(record, model, detected, beats, ref_logits);
    int compared = 0, differ = 0, moved = 0;
    for (size_t i = 0; i < detected.size(); ++i) {
      ASSERT_EQ(streamed.beats[i].sample, beats[i]) << name << " beat " << i;
      moved += beats[i] != detected[i].sample;
      if (streamed.beats[i].condition != 0) continue;
      ++compared;
      if (streamed.beats[i].label == reference[i]) continue;
      // float32 (C) against double (C++) may move a logit by a step or two; a class may then
      // differ only where the C or the C++ logits tie or nearly tie (seen with the MIT-BIH model
      // without KD: 5 5 vs 5 6 in 208, 7 7 vs 6 8 in 232; with the distilled one shipped now, in
      // 232: 0 -1 0 1 vs 1 -1 0 1, and 8 11 -7 -12 vs 9 9 -7 -11, a tie on the C++ side).
      ++differ;
      const int8_t* c = streamed.beats[i].logits;
      const int8_t* r = ref_logits.data() + i * 4;
      const auto top_gap = [](const int8_t* l) {
        std::vector<int> sorted(l, l + 4);
        std::sort(sorted.rbegin(), sorted.rend());
        return sorted[0] - sorted[1];
      };
      int worst = 0;
      for (int k = 0; k < 4; ++k) worst = std::max(worst, std::abs(c[k] - r[k]));
      const auto text = [](const int8_t* l) {
        std::string t;
        for (int k = 0; k < 4; ++k) {
          if (k > 0) t += ' ';
          t += std::to_string(l[k]);
        }
        return t;
      };
      const std::string both = std::string(name) + " beat " + std::to_string(i) + ": C logits " +
                               text(c) + ", C++ " + text(r);
      EXPECT_LE(std::min(top_gap(c), top_gap(r)), 1) << both << ": not a tie";
      EXPECT_LE(worst, 2) << both;
    }
    EXPECT_LE(differ, 2) << name << ": " << differ << " of " << compared << " classes differ";
    // The figures the file comment and README state.
    std::printf("%s: %d of %d classes differ\n", name, differ, compared);
    EXPECT_GT(moved, 0) << name << ": no fiducial was refined";
    EXPECT_GT(compared, static_cast<int>(detected.size()) - 20) << name;
  }
}

// The C++ twin of runtime/tests/ecg_test.c's test_fiducial_mapping: Gaussian R waves (sd 10 ms)
// at 360 Hz samples p of both parities, found from a fiducial 7 samples late. The band-passed wave
// peaks 1.95 samples after p, so the largest 180 Hz (even) sample is p + 2 (p even) or p + 1 (p
// odd); less the 2-sample group delay the fiducial is p or p - 1, its window's centre p / 2 or
// (p - 1) / 2 (round(fiducial / 2)). A +-1 uV alternation, removed by the low-pass, as there.
TEST(EcgStream, RefinedFiducialOfAGaussianRWave) {
  const data::MitBihOptions o;
  std::vector<double> lead(7200);
  for (size_t k = 0; k < lead.size(); ++k) lead[k] = k % 2 ? 0.001 : -0.001;
  std::vector<int64_t> peaks, late;
  for (int64_t p = 216; p + 360 < static_cast<int64_t>(lead.size());
       p += 289 + static_cast<int64_t>(peaks.size() % 2)) {
    for (int64_t k = p - 30; k <= p + 30; ++k) {
      const double z = static_cast<double>(k - p) / 3.6;
      lead[static_cast<size_t>(k)] += std::exp(-0.5 * z * z);
    }
    peaks.push_back(p);
    late.push_back(p + 7);
  }
  const std::vector<int64_t> refined = data::refine_detected_beats(lead, 360.0, late, o);
  ASSERT_EQ(refined.size(), peaks.size());
  int odd = 0;
  for (size_t i = 0; i < peaks.size(); ++i) {
    const int64_t p = peaks[i];
    odd += static_cast<int>(p % 2);
    EXPECT_EQ(refined[i], p - p % 2) << "p = " << p;
    EXPECT_EQ((refined[i] + 1) / 2, p / 2) << "p = " << p;  // the window's centre at 180 Hz
  }
  EXPECT_GE(odd, 5);
}

TEST(EcgStream, RefusesRatesOutsideTheRange) {
  const auto model = qgraph::RuntimeModel::load(kRun / "int8/max78000-qat.plq");
  const EcgPreprocessing pre = ecg_preprocessing_from_run(run_config(), "config.json");
  EXPECT_THROW(EcgStream(model, pre.config, 99.0), UsageError);
  EXPECT_THROW(EcgStream(model, pre.config, 1001.0), UsageError);
  EXPECT_NO_THROW(EcgStream(model, pre.config, 128.0));
}

}  // namespace
}  // namespace physiolite::stream
