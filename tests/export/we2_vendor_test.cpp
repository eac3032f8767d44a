// The WE2 export checked by other people's tools (label "vendor"; each test skips with the reason
// when its tool is absent):
// - TensorFlow Lite 2.2's interpreter (npm node-tflite's libtensorflowlite_c.so) must give our
//   runtime's output codes bit for bit, Arm NN 20.08 (CpuRef) within 1: on the tiny hand-built
//   graph (random windows) and on DS2 test windows of the shipped MIT-BIH model
//   (PHYSIOLITE_TFLITE_WINDOWS: how many, default 200, "all" = the whole split; Arm NN on the
//   first PHYSIOLITE_ARMNN_WINDOWS of them, default 2000, "all"; scripts/tflite_crosscheck.sh);
// - Vela 3.10 (../shared/tools/vela) must place every operator of every shipped TFLITE model on
//   the WE2's NPU, through `physiolite export --check`.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "export/tiny_graph.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/export/npy.hpp"
#include "physiolite/export/sample_window.hpp"
#include "physiolite/export/tflite_writer.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "physiolite/qgraph/runtime_model.hpp"

namespace physiolite::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kRepo = fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / "..";
const fs::path kVela = kRepo / ".." / "shared/tools/vela/vela";

fs::path npm_cache() {
  const char* v = std::getenv("PHYSIOLITE_NPM_CACHE");
  return v ? fs::path(v) : fs::path(std::getenv("HOME")) / ".cache/physiolite-npm";
}

bool have_tflite() {
  return fs::exists(npm_cache() /
                    "node_modules/node-tflite/tflite/linux_x86_64/libtensorflowlite_c.so");
}

bool have_armnn() {
  return run_command("/usr/bin/python3 -c 'import pyarmnn' 2>/dev/null").exit_code == 0;
}

// Runs scripts/tflite_peers.py on `windows` int8 inputs (n x L x C) against our codes (n x K).
json peers(const std::vector<uint8_t>& tflite, const std::vector<int8_t>& inputs, int64_t n,
           int64_t length, int64_t channels, const std::vector<int8_t>& ours, int64_t k,
           int64_t armnn_windows = 0) {
  TempDir tmp;
  write_bytes(tmp / "m.tflite", tflite);
  const std::vector<int64_t> in_shape{n, 1, length, channels}, out_shape{n, k};
  write_bytes(tmp / "x.npy", exporting::npy_bytes(std::span<const int8_t>(inputs), in_shape));
  write_bytes(tmp / "y.npy", exporting::npy_bytes(std::span<const int8_t>(ours), out_shape));
  const auto r = run_command(
      "/usr/bin/python3 " + (kRepo / "scripts/tflite_peers.py").string() + " " +
      (tmp / "m.tflite").string() + " " + (tmp / "x.npy").string() + " " +
      (tmp / "y.npy").string() +
      (have_armnn() ? " --armnn --armnn-windows " + std::to_string(armnn_windows) : ""));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

// TFLite: equal bit for bit. Arm NN requantises in float: its pools agree with TFLite's on the
// quantiser's pooled tensors (zero point 0, 14-bit scale mantissa), its convolutions part within
// 8e-3 LSB of a tie (float32 sums); each op alone is within 1 LSB (scripts/armnn_layers.py), and
// through the 27 ops of the MIT-BIH model the +-1 is carried (measured: at most 2 on the logits,
// 19 of 198,820 on all DS2 windows, docs/export.md), so `armnn_bound` is per graph.
void expect_agreement(const json& report, int64_t logits, int armnn_bound) {
  EXPECT_EQ(report["logits"], logits);
  EXPECT_EQ(report["tflite"]["differ"], 0) << report.dump();
  if (report.contains("armnn")) {
    EXPECT_LE(report["armnn"]["max_abs_diff"], armnn_bound) << report.dump();
    std::cout << "Arm NN CpuRef: " << report["armnn"]["differ"] << " of " << logits
              << " logits differ (max " << report["armnn"]["max_abs_diff"] << ")\n";
  } else {
    std::cout << "Arm NN skipped: no python3-pyarmnn\n";
  }
}

TEST(VendorTflite, TinyGraphEqualsOurRuntime) {
  if (!have_tflite())
    GTEST_SKIP() << "no node-tflite in " << npm_cache() << " (scripts/install_npm_peers.sh)";
  const qgraph::Graph g = tiny_tflite_graph();
  const qgraph::RuntimeModel runtime(qgraph::serialize_plq(g), "tiny");
  constexpr int64_t kWindows = 500;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> value(-128, 127);
  std::vector<int8_t> x(static_cast<size_t>(kWindows * 8 * 3));
  for (auto& v : x) v = static_cast<int8_t>(value(rng));
  const auto ours = runtime.run_quantized(x.data(), kWindows, PLRT_KERNELS_REFERENCE);
  expect_agreement(peers(exporting::tflite_bytes(g, "tiny"), x, kWindows, 8, 3, ours, 2),
                   kWindows * 2, 1);
}

TEST(VendorTflite, ShippedMitbihModelOnDs2EqualsOurRuntime) {
  if (!have_tflite())
    GTEST_SKIP() << "no node-tflite in " << npm_cache() << " (scripts/install_npm_peers.sh)";
  if (!fs::is_directory(shared_data_dir() / "mitdb")) GTEST_SKIP() << "no MIT-BIH data";
  const fs::path run = kRepo / "models/mitbih-wavelet-seed1";
  const fs::path plq = run / "int8/tflite-qat.plq";
  const qgraph::RuntimeModel runtime = qgraph::RuntimeModel::load(plq);
  const qgraph::Graph g = qgraph::read_plq(plq);
  const exporting::SplitInputs test =
      exporting::run_split_inputs(run, data::Split::kTest, shared_data_dir());
  int64_t n = std::min<int64_t>(test.n, 200);
  if (const char* v = std::getenv("PHYSIOLITE_TFLITE_WINDOWS")) {
    n = std::string(v) == "all" ? test.n : std::min<int64_t>(test.n, std::atoll(v));
  }
  const auto x = runtime.quantize(test.x.data(), n);
  const auto ours = runtime.run_quantized(x.data(), n, PLRT_KERNELS_OPTIMIZED);
  std::cout << "DS2 test windows: " << n << " of " << test.n << "\n";
  int64_t armnn_windows = std::min<int64_t>(n, 2000);
  if (const char* v = std::getenv("PHYSIOLITE_ARMNN_WINDOWS")) {
    armnn_windows = std::string(v) == "all" ? n : std::min<int64_t>(n, std::atoll(v));
  }
  const json report = peers(exporting::tflite_bytes(g, plq.string()), x, n, test.length,
                            test.channels, ours, g.num_classes(), armnn_windows);
  std::cout << report.dump() << "\n";
  expect_agreement(report, n * g.num_classes(), 2);
}

TEST(VendorVela, EveryShippedTfliteModelRunsWhollyOnTheNpu) {
  if (!fs::exists(kVela)) GTEST_SKIP() << "no " << kVela;
  if (!fs::is_directory(shared_data_dir())) GTEST_SKIP() << "no shared data";
  int checked = 0;
  for (const auto& run : fs::directory_iterator(kRepo / "models")) {
    for (const char* scheme : {"tflite-qat", "tflite-ptq"}) {
      const fs::path plq = run.path() / "int8" / (std::string(scheme) + ".plq");
      if (!fs::exists(plq)) continue;
      TempDir out;
      const auto r = run_physiolite("export --int8 " + plq.string() + " --target we2 -o " +
                                    out.path().string() + " --check --vela " + kVela.string());
      ASSERT_EQ(r.exit_code, 0) << plq << "\n" << r.out << r.err;
      EXPECT_NE(r.out.find(", 0 CPU operators;"), std::string::npos) << r.out;
      for (const char* ext : {".tflite", ".input.npy", ".expected.npy", ".md", "_per-layer.csv"}) {
        EXPECT_TRUE(fs::exists(out / (std::string(scheme) + ext))) << plq << " " << ext;
      }
      const std::string md = read_text_file(out / (std::string(scheme) + ".md"));
      EXPECT_NE(md.find("**Accepted**"), std::string::npos);
      ++checked;
    }
  }
  EXPECT_GE(checked, 2);
}

}  // namespace
}  // namespace physiolite::testing
