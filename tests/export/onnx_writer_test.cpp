// The ONNX export of the tiny graph in every form: onnx.checker (in onnx_bytes, and again by
// Python's onnx with a full check) and ONNX Runtime (npm onnxruntime-node, label "vendor",
// through bench/peers/ort_latency.js --io) against independent numbers: our C runtime's int8
// logits for the QDQ forms (within 1: ONNX Runtime requantises in float, rounding half to even,
// our TFLITE scheme in integers, rounding ties away from zero), and for the float form
// bench/peers/plq.py's float64 forward (run_float, numpy, written from the format spec alone) of
// the same .plq on the same windows.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "export/tiny_graph.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/export/onnx_writer.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "physiolite/qgraph/runtime_model.hpp"

namespace physiolite::testing {
namespace {

namespace fs = std::filesystem;
using exporting::OnnxForm;
const fs::path kRepo = fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / "..";
constexpr int64_t kC = 3, kL = 8, kK = 2;  // the tiny graph's input and classes
constexpr OnnxForm kForms[] = {OnnxForm::kQdq, OnnxForm::kQdqU8, OnnxForm::kQdqU8S8,
                               OnnxForm::kFloat};

TEST(OnnxWriter, EveryFormPassesPythonOnnxChecker) {
  if (run_command("/usr/bin/python3 -c 'import onnx'").exit_code != 0) {
    GTEST_SKIP() << "no python3-onnx";
  }
  // Input elem_type: 3 = INT8, 2 = UINT8, 1 = FLOAT (onnx.TensorProto).
  const std::map<OnnxForm, std::string> expected{{OnnxForm::kQdq, "input 3 logits 3"},
                                                 {OnnxForm::kQdqU8, "input_u8 2 logits_u8 2"},
                                                 {OnnxForm::kQdqU8S8, "input_u8 2 logits_u8 2"},
                                                 {OnnxForm::kFloat, "input 1 logits 1"}};
  TempDir tmp;
  for (OnnxForm form : kForms) {
    write_bytes(tmp / "m.onnx", exporting::onnx_bytes(tiny_tflite_graph(), "tiny", form));
    const auto r = run_command(
        "/usr/bin/python3 -c \"import onnx, sys; m = onnx.load(sys.argv[1]); "
        "onnx.checker.check_model(m, full_check=True); i, o = m.graph.input[0], "
        "m.graph.output[0]; print([s.version for s in m.opset_import][0], i.name, "
        "i.type.tensor_type.elem_type, o.name, o.type.tensor_type.elem_type, "
        "sorted(set(n.op_type for n in m.graph.node)))\" " +
        (tmp / "m.onnx").string());
    ASSERT_EQ(r.exit_code, 0) << to_string(form) << ": " << r.err;
    EXPECT_EQ(r.out.rfind("13 " + expected.at(form) + " ", 0), 0u) << r.out;
    // The float form has no QuantizeLinear / DequantizeLinear; the QDQ forms have them.
    EXPECT_EQ(r.out.find("QuantizeLinear") == std::string::npos, form == OnnxForm::kFloat) << r.out;
  }
}

TEST(OnnxWriter, FloatFormRefusesPerChannelZeroPointsItCannotFold) {
  qgraph::Graph g = tiny_tflite_graph();
  g.input_channels[1].zero_point = 4;  // the input tensor's is 3
  try {
    exporting::onnx_bytes(g, "tiny.plq", OnnxForm::kFloat);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("input channel 1 zero point"), std::string::npos)
        << e.what();
  }
  EXPECT_NO_THROW(exporting::onnx_bytes(g, "tiny.plq", OnnxForm::kQdq));
}

fs::path npm_cache() {
  return std::getenv("PHYSIOLITE_NPM_CACHE")
             ? fs::path(std::getenv("PHYSIOLITE_NPM_CACHE"))
             : fs::path(std::getenv("HOME")) / ".cache/physiolite-npm";
}

// Runs `model` over DIR/<input>.bin with ONNX Runtime; returns DIR/<output>.bin.
std::vector<uint8_t> run_ort(const fs::path& dir, const std::vector<uint8_t>& model,
                             OnnxForm form) {
  write_bytes(dir / "m.onnx", model);
  const auto r =
      run_command("node " + (kRepo / "bench/peers/ort_latency.js").string() + " " +
                  (dir / "m.onnx").string() + " --warmup 0 --runs 1 --io " + dir.string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return read_file_bytes(dir / (exporting::onnx_output_name(form) + ".bin"));
}

class VendorOnnxRuntime : public ::testing::Test {
 protected:
  static constexpr int64_t kWindows = 300;

  void SetUp() override {
    if (!fs::exists(npm_cache() / "node_modules/onnxruntime-node")) {
      GTEST_SKIP() << "no onnxruntime-node in " << npm_cache() << " (scripts/install_npm_peers.sh)";
    }
  }

  // Random int8 windows (L, C) each, our runtime's logits, and the windows channel-first with
  // `offset` added, as the QDQ forms take them.
  void int8_windows(int offset) {
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> value(-128, 127);
    x_.resize(static_cast<size_t>(kWindows * kC * kL));
    for (auto& v : x_) v = static_cast<int8_t>(value(rng));
    ours_ = runtime_.run_quantized(x_.data(), kWindows, PLRT_KERNELS_REFERENCE);
    cf_.resize(x_.size());
    for (int64_t w = 0; w < kWindows; ++w) {
      for (int64_t t = 0; t < kL; ++t) {
        for (int64_t c = 0; c < kC; ++c) {
          cf_[static_cast<size_t>((w * kC + c) * kL + t)] =
              static_cast<uint8_t>(x_[static_cast<size_t>((w * kL + t) * kC + c)] + offset);
        }
      }
    }
  }

  // ONNX Runtime's codes (less `offset`) against ours: {logits that differ, the largest |d|}.
  std::pair<int, int> qdq_against_ours(OnnxForm form, int offset) {
    int8_windows(offset);
    write_bytes(tmp_ / (exporting::onnx_input_name(form) + ".bin"), cf_);
    const auto y = run_ort(tmp_.path(), exporting::onnx_bytes(g_, "tiny", form), form);
    EXPECT_EQ(y.size(), ours_.size());
    int differ = 0, worst = 0;
    for (size_t i = 0; i < std::min(y.size(), ours_.size()); ++i) {
      const int code = offset != 0 ? static_cast<int>(y[i]) - offset : static_cast<int8_t>(y[i]);
      const int d = std::abs(code - ours_[i]);
      differ += d > 0;
      worst = std::max(worst, d);
    }
    std::cout << to_string(form) << ": ONNX Runtime vs our runtime, " << differ << " of "
              << y.size() << " logits differ, max " << worst << "\n";
    return {differ, worst};
  }

  const qgraph::Graph g_ = tiny_tflite_graph();
  const qgraph::RuntimeModel runtime_{qgraph::serialize_plq(g_), "tiny"};
  TempDir tmp_;
  std::vector<int8_t> x_, ours_;
  std::vector<uint8_t> cf_;
};

TEST_F(VendorOnnxRuntime, QdqInt8WithinOneOfOurRuntime) {
  EXPECT_LE(qdq_against_ours(OnnxForm::kQdq, 0).second, 1);
}

// Exact integer products (U8U8), but ONNX Runtime still requantises in float and rounds half to
// even (its average pool too), where the TFLITE scheme rounds ties away from zero: measured 129 of
// 600 logits 1 off (ONNX Runtime 1.31.1), none further.
TEST_F(VendorOnnxRuntime, QdqU8WithinOneOfOurRuntime) {
  EXPECT_LE(qdq_against_ours(OnnxForm::kQdqU8, 128).second, 1);
}

TEST_F(VendorOnnxRuntime, QdqU8S8WithinOneOfOurRuntime) {
  EXPECT_LE(qdq_against_ours(OnnxForm::kQdqU8S8, 128).second, 1);
}

TEST_F(VendorOnnxRuntime, FloatFormEqualsNumpyFloatForward) {
  if (run_command("/usr/bin/python3 -c 'import numpy'").exit_code != 0) {
    GTEST_SKIP() << "no python3-numpy";
  }
  // Per-channel input scales unlike the input tensor's (0.05), so that the export must fold
  // s_t / s_c = 1, 0.5, 2 into the first conv (through the average pool).
  qgraph::Graph g = g_;
  g.input_channels = {{0.05f, 3}, {0.1f, 3}, {0.025f, 3}};
  // Real windows (N, C, L): channel c ~ N(0, (40 s_c)^2), most of the int8 range.
  std::mt19937 rng(5);
  std::vector<float> x(static_cast<size_t>(kWindows * kC * kL));
  for (size_t i = 0; i < x.size(); ++i) {
    const auto c = static_cast<size_t>(static_cast<int64_t>(i) / kL % kC);
    x[i] = std::normal_distribution<float>(0.0f, 40 * g.input_channels[c].scale)(rng);
  }
  std::vector<uint8_t> bytes(x.size() * sizeof(float));
  std::memcpy(bytes.data(), x.data(), bytes.size());
  write_bytes(tmp_ / "input.bin", bytes);
  const auto y =
      run_ort(tmp_.path(), exporting::onnx_bytes(g, "tiny", OnnxForm::kFloat), OnnxForm::kFloat);
  write_bytes(tmp_ / "tiny.plq", qgraph::serialize_plq(g));
  const auto r = run_command(
      "/usr/bin/python3 -c \"import sys; sys.path.insert(0, sys.argv[1]); import numpy as np, "
      "plq; m = plq.read_plq(open(sys.argv[2], 'rb').read()); "
      "x = np.fromfile(sys.argv[3], np.float32).reshape(-1, 3, 8); "
      "plq.run_float(m, x).astype(np.float32).tofile(sys.argv[4])\" " +
      (kRepo / "bench/peers").string() + " " + (tmp_ / "tiny.plq").string() + " " +
      (tmp_ / "input.bin").string() + " " + (tmp_ / "ref.bin").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto ref_bytes = read_file_bytes(tmp_ / "ref.bin");
  ASSERT_EQ(y.size(), ref_bytes.size());
  ASSERT_EQ(y.size(), static_cast<size_t>(kWindows * kK) * sizeof(float));
  std::vector<float> ort(static_cast<size_t>(kWindows * kK)), ref(ort.size());
  std::memcpy(ort.data(), y.data(), y.size());
  std::memcpy(ref.data(), ref_bytes.data(), ref_bytes.size());
  double span = 0, worst = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    span = std::max(span, std::abs(static_cast<double>(ref[i])));
    worst = std::max(worst, std::abs(static_cast<double>(ort[i]) - ref[i]));
  }
  std::cout << "float: ONNX Runtime vs plq.py run_float, max |diff| " << worst
            << " of the largest logit " << span << "\n";
  EXPECT_GT(span, 1.0);  // the windows reach well past the first output step
  EXPECT_LE(worst, 1e-4 * span);
}

}  // namespace
}  // namespace physiolite::testing
