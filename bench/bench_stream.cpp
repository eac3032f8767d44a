// The streaming pipeline (plrt_ecg) end to end.
//   bench_stream ds2 RUN_DIR... [--int8 NAME]   (NAME default max78000-qat)
//     streams the 22 DS2 records through each run's int8 model, beats found by our detector, and
//     scores them against the reference annotations: +/-150 ms matching, a missed beat (or one
//     left unclassified) counts as missed for its class, an extra detection as a false one for
//     the class it got. Prints macro-F1 (N, S, V, F) beside the annotation-driven int8 score of
//     the same file (RUN_DIR/int8/eval_NAME.json, `physiolite eval`), then mean +- sd.
//   bench_stream speed RECORD RUN_DIR [--int8 NAME] [--repeat N]
//     one core: the whole C pipeline over the record vs the C++ predict path doing the same job
//     (detector, zero-phase windows, the same int8 model in the same runtime); median of N runs,
//     as multiples of real time (CPU time of this single-threaded process).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "physiolite/arch/positional.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/data/aami.hpp"
#include "physiolite/data/beat_matching.hpp"
#include "physiolite/data/beat_windows.hpp"
#include "physiolite/data/benchmark.hpp"
#include "physiolite/io/annotation.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/stream/ecg_stream.hpp"
#include "physiolite/stream/qrs_detector.hpp"

using namespace physiolite;
namespace fs = std::filesystem;

namespace {

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

struct ClassCounts {
  int64_t tp[4] = {}, fp[4] = {}, fn[4] = {};
  double macro_f1() const {
    double sum = 0;
    for (int c = 0; c < 4; ++c) {
      const double d = static_cast<double>(2 * tp[c] + fp[c] + fn[c]);
      sum += d > 0 ? 2.0 * static_cast<double>(tp[c]) / d : 0.0;
    }
    return sum / 4;
  }
};

// Scores one record's streamed beats against its annotations (classes N S V F; beats of other
// classes are matched, so that detecting them is no error, but not scored).
void score_record(const fs::path& record, const stream::StreamedRecord& r, ClassCounts& counts) {
  std::vector<int64_t> ref, det;
  std::vector<int> ref_class;
  for (const auto& a : io::read_annotations(record)) {
    if (!io::is_beat_code(a.code)) continue;
    ref.push_back(a.sample);
    const auto c = data::aami_class_of_code(a.code);
    ref_class.push_back(c && *c != data::AamiClass::kQ ? static_cast<int>(*c) : -1);
  }
  for (const auto& b : r.beats) det.push_back(b.sample);
  const auto tol = static_cast<int64_t>(std::lround(0.150 * r.fs_hz));
  const data::BeatMatching m = data::match_beats(ref, det, tol);
  std::vector<bool> matched(det.size(), false);
  for (size_t i = 0; i < ref.size(); ++i) {
    const int64_t d = m.detection_of_reference[i];
    if (d >= 0) matched[static_cast<size_t>(d)] = true;
    const int truth = ref_class[i];
    if (truth < 0) continue;
    const int got = d >= 0 ? r.beats[static_cast<size_t>(d)].label : -1;
    if (got == truth) {
      ++counts.tp[truth];
    } else {
      ++counts.fn[truth];
      if (got >= 0) ++counts.fp[got];
    }
  }
  for (size_t j = 0; j < det.size(); ++j) {
    if (!matched[j] && r.beats[j].label >= 0) ++counts.fp[r.beats[j].label];
  }
}

// Classes of C++ windows through the int8 model (the side inputs standardised as the run says,
// the positional channels appended), as `physiolite predict --int8` assembles them.
std::vector<int> classify_windows(const data::WindowSet& set, const qgraph::RuntimeModel& model,
                                  const nlohmann::json& config) {
  const auto offset = config["model"]["side_offset"].get<std::vector<double>>();
  const auto scale = config["model"]["side_scale"].get<std::vector<double>>();
  const int pos_freqs = config["model"].value("pos_freqs", 8);
  const auto pos = arch::positional_channels(static_cast<int>(set.t), pos_freqs,
                                             config["model"].value("pe_scale", 0.1));
  const int64_t c_total = set.c + set.side_dim + 2 * pos_freqs, t = set.t;
  std::vector<float> x(static_cast<size_t>(set.n * c_total * t));
  for (int64_t i = 0; i < set.n; ++i) {
    float* w = x.data() + i * c_total * t;
    std::copy_n(set.window(i), set.c * t, w);
    for (int64_t s = 0; s < set.side_dim; ++s) {
      const auto k = static_cast<size_t>(s);
      std::fill_n(
          w + (set.c + s) * t, t,
          (set.side[static_cast<size_t>(i * set.side_dim + s)] - static_cast<float>(offset[k])) /
              static_cast<float>(scale[k]));
    }
    std::copy(pos.begin(), pos.end(), w + (set.c + set.side_dim) * t);
  }
  const auto codes = model.run(x.data(), set.n, PLRT_KERNELS_OPTIMIZED);
  const int k = model.num_classes();
  std::vector<int> classes;
  for (int64_t i = 0; i < set.n; ++i) {
    const int8_t* l = codes.data() + i * k;
    classes.push_back(static_cast<int>(std::max_element(l, l + k) - l));
  }
  return classes;
}

// Annotation-driven macro-F1 of the windows made with `causal` definitions (every annotated beat,
// N S V F scored): separates what the causal preprocessing costs from what detection costs.
double annotated_macro_f1(const qgraph::RuntimeModel& model, const nlohmann::json& config,
                          bool causal) {
  data::MitBihOptions o = data::mitbih_options_from_json(config["data"], shared_data_dir());
  o.causal = causal;
  ClassCounts counts;
  for (int rec : data::mitbih_ds2_records()) {
    const fs::path record = shared_data_dir() / "mitdb" / std::to_string(rec);
    std::vector<int64_t> beats;
    std::vector<int> truth;
    for (const auto& a : io::read_annotations(record)) {
      if (!io::is_beat_code(a.code)) continue;
      beats.push_back(a.sample);
      const auto c = data::aami_class_of_code(a.code);
      truth.push_back(c && *c != data::AamiClass::kQ ? static_cast<int>(*c) : -1);
    }
    const auto got = classify_windows(data::build_beat_windows(record, beats, o), model, config);
    for (size_t i = 0; i < beats.size(); ++i) {
      if (truth[i] < 0) continue;
      if (got[i] == truth[i]) {
        ++counts.tp[truth[i]];
      } else {
        ++counts.fn[truth[i]];
        ++counts.fp[got[i]];
      }
    }
  }
  return counts.macro_f1();
}

double mean_of(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
double sd_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = mean_of(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}

int run_ds2(const std::vector<std::string>& runs, const std::string& name) {
  std::vector<double> streamed, annotated;
  for (const auto& run : runs) {
    const fs::path plq = fs::path(run) / "int8" / (name + ".plq");
    const auto model = qgraph::RuntimeModel::load(plq);
    const auto pre =
        stream::ecg_preprocessing_from_run(read_json(fs::path(run) / "config.json"), run);
    ClassCounts counts;
    int64_t beats = 0, unclassified = 0;
    for (int rec : data::mitbih_ds2_records()) {
      const fs::path record = shared_data_dir() / "mitdb" / std::to_string(rec);
      const auto r = stream::stream_record(record, model, pre);
      for (const auto& b : r.beats) unclassified += b.label < 0;
      beats += static_cast<int64_t>(r.beats.size());
      score_record(record, r, counts);
    }
    const double f1 = counts.macro_f1();
    const double ann = read_json(fs::path(run) / "int8" / ("eval_" + name + ".json"))
                           .at("scored_macro_f1")
                           .get<double>();
    streamed.push_back(f1);
    annotated.push_back(ann);
    const auto config = read_json(fs::path(run) / "config.json");
    std::printf(
        "%s %s: annotated beats through the C++ windows: record-wide definitions %.1f, "
        "causal definitions (data.causal) %.1f\n",
        run.c_str(), name.c_str(), 100 * annotated_macro_f1(model, config, false),
        100 * annotated_macro_f1(model, config, true));
    std::printf(
        "%s %s: end-to-end macro-F1 %.1f (annotation-driven int8 %.1f); %lld beats "
        "reported, %lld unclassified; per class TP/FP/FN N %lld/%lld/%lld S "
        "%lld/%lld/%lld V %lld/%lld/%lld F %lld/%lld/%lld\n",
        run.c_str(), name.c_str(), 100 * f1, 100 * ann, static_cast<long long>(beats),
        static_cast<long long>(unclassified), static_cast<long long>(counts.tp[0]),
        static_cast<long long>(counts.fp[0]), static_cast<long long>(counts.fn[0]),
        static_cast<long long>(counts.tp[1]), static_cast<long long>(counts.fp[1]),
        static_cast<long long>(counts.fn[1]), static_cast<long long>(counts.tp[2]),
        static_cast<long long>(counts.fp[2]), static_cast<long long>(counts.fn[2]),
        static_cast<long long>(counts.tp[3]), static_cast<long long>(counts.fp[3]),
        static_cast<long long>(counts.fn[3]));
    std::fflush(stdout);
  }
  std::vector<double> gap;
  for (size_t i = 0; i < runs.size(); ++i) gap.push_back(streamed[i] - annotated[i]);
  std::printf(
      "mean +- sd over %zu runs: end-to-end %.2f +- %.2f, annotation-driven %.2f +- %.2f, "
      "end-to-end minus annotation-driven %+.2f +- %.2f\n",
      runs.size(), 100 * mean_of(streamed), 100 * sd_of(streamed), 100 * mean_of(annotated),
      100 * sd_of(annotated), 100 * mean_of(gap), 100 * sd_of(gap));
  return 0;
}

// Median over `repeat` runs of the process's CPU time (one thread: the machine may be shared, so
// wall time would count other processes' turns).
template <class F>
double median_seconds(int repeat, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < repeat; ++i) {
    const std::clock_t start = std::clock();
    f();
    t.push_back(static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

int run_speed(const fs::path& record, const std::string& run, const std::string& name, int repeat) {
  const auto model = qgraph::RuntimeModel::load(fs::path(run) / "int8" / (name + ".plq"));
  const auto config = read_json(fs::path(run) / "config.json");
  const auto pre = stream::ecg_preprocessing_from_run(config, run);
  const io::WfdbRecord rec = io::read_wfdb_record(record);
  const double seconds = static_cast<double>(rec.physical(0).samples.size()) / rec.header.fs_hz;
  size_t c_beats = 0, cxx_beats = 0;
  const double c_s = median_seconds(
      repeat, [&] { c_beats = stream::stream_record(record, model, pre).beats.size(); });
  const data::MitBihOptions o = data::mitbih_options_from_json(config["data"], shared_data_dir());
  const double cxx_s = median_seconds(repeat, [&] {
    const io::WfdbRecord r = io::read_wfdb_record(record);
    std::vector<int64_t> beats;
    for (const auto& b : stream::detect_qrs(r.physical(r.find_signal(o.lead))).beats)
      beats.push_back(b.sample);
    cxx_beats = classify_windows(data::build_beat_windows(record, beats, o), model, config).size();
  });
  std::printf(
      "record %s: %.0f s of signal; C plrt_ecg (detector + preprocessing + int8) "
      "median_s=%.4f realtime=%.0fx beats=%zu; C++ predict path median_s=%.4f "
      "realtime=%.0fx beats=%zu; ratio C++/C %.2f\n",
      record.string().c_str(), seconds, c_s, seconds / c_s, c_beats, cxx_s, seconds / cxx_s,
      cxx_beats, cxx_s / c_s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string name = "max78000-qat";
  int repeat = 5;
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--int8" && i + 1 < args.size()) {
      name = args[++i];
    } else if (args[i] == "--repeat" && i + 1 < args.size()) {
      repeat = std::stoi(args[++i]);
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.size() >= 2 && positional[0] == "ds2") {
    return run_ds2(std::vector<std::string>(positional.begin() + 1, positional.end()), name);
  }
  if (positional.size() == 3 && positional[0] == "speed") {
    return run_speed(positional[1], positional[2], name, repeat);
  }
  std::fprintf(stderr,
               "usage: bench_stream ds2 RUN_DIR... [--int8 NAME]\n"
               "       bench_stream speed RECORD RUN_DIR [--int8 NAME] [--repeat N]\n");
  return 2;
}
