// The ONNX export of the tiny graph: onnx.checker (in onnx_bytes, and again by Python's onnx
// with a full check) and ONNX Runtime (npm onnxruntime-node, label "vendor") against our
// runtime. ONNX Runtime requantises in float with round-half-to-even, our TFLITE scheme in
// integers: codes may differ by 1 on ties, per op; the test bounds the whole graph's difference.
#include <gtest/gtest.h>

#include <random>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "export/tiny_graph.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/export/onnx_writer.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "physiolite/qgraph/runtime_model.hpp"

namespace physiolite::testing {
namespace {

namespace fs = std::filesystem;
const fs::path kRepo = fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / "..";

TEST(OnnxWriter, TinyGraphPassesPythonOnnxChecker) {
  if (run_command("/usr/bin/python3 -c 'import onnx'").exit_code != 0) {
    GTEST_SKIP() << "no python3-onnx";
  }
  TempDir tmp;
  write_bytes(tmp / "m.onnx", exporting::onnx_bytes(tiny_tflite_graph(), "tiny"));
  const auto r = run_command(
      "/usr/bin/python3 -c \"import onnx, sys; m = onnx.load(sys.argv[1]); "
      "onnx.checker.check_model(m, full_check=True); "
      "print(len(m.graph.node), [o.version for o in m.opset_import][0], "
      "m.graph.input[0].type.tensor_type.elem_type)\" " +
      (tmp / "m.onnx").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 6 ops; opset 13; input elem_type 3 = INT8.
  EXPECT_NE(r.out.find(" 13 3"), std::string::npos) << r.out;
}

TEST(VendorOnnxRuntime, TinyGraphWithinOneOfOurRuntime) {
  const fs::path cache = std::getenv("PHYSIOLITE_NPM_CACHE")
                             ? fs::path(std::getenv("PHYSIOLITE_NPM_CACHE"))
                             : fs::path(std::getenv("HOME")) / ".cache/physiolite-npm";
  if (!fs::exists(cache / "node_modules/onnxruntime-node")) {
    GTEST_SKIP() << "no onnxruntime-node in " << cache << " (scripts/install_npm_peers.sh)";
  }
  const qgraph::Graph g = tiny_tflite_graph();
  const qgraph::RuntimeModel runtime(qgraph::serialize_plq(g), "tiny");
  constexpr int64_t kWindows = 300;
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> value(-128, 127);
  std::vector<int8_t> x(static_cast<size_t>(kWindows * 8 * 3));  // (L, C) per window
  for (auto& v : x) v = static_cast<int8_t>(value(rng));
  const auto ours = runtime.run_quantized(x.data(), kWindows, PLRT_KERNELS_REFERENCE);
  std::vector<uint8_t> cf(x.size());  // channel-first for ONNX
  for (int64_t w = 0; w < kWindows; ++w) {
    for (int64_t t = 0; t < 8; ++t) {
      for (int64_t c = 0; c < 3; ++c) {
        cf[static_cast<size_t>(w * 24 + c * 8 + t)] =
            static_cast<uint8_t>(x[static_cast<size_t>(w * 24 + t * 3 + c)]);
      }
    }
  }
  TempDir tmp;
  write_bytes(tmp / "m.onnx", exporting::onnx_bytes(g, "tiny"));
  write_bytes(tmp / "x.bin", cf);
  const auto r =
      run_command("ONNX_INPUT_SHAPE='[1,3,8]' node " + (kRepo / "scripts/onnx_run.js").string() +
                  " " + (tmp / "m.onnx").string() + " " + (tmp / "x.bin").string() + " " +
                  std::to_string(kWindows) + " " + (tmp / "y.bin").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto y = read_file_bytes(tmp / "y.bin");
  ASSERT_EQ(y.size(), ours.size());
  int differ = 0, worst = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const int d = std::abs(static_cast<int8_t>(y[i]) - ours[i]);
    differ += d > 0;
    worst = std::max(worst, d);
  }
  std::cout << "ONNX Runtime: " << differ << " of " << y.size() << " logits differ, max " << worst
            << "\n";
  EXPECT_LE(worst, 1);
}

}  // namespace
}  // namespace physiolite::testing
