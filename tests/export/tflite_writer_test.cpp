// The TFLite writer against an independent reader: flatc (Debian's flatbuffers-compiler) dumps
// the bytes of the tiny hand-built graph to JSON with our schema, and every field we wrote is
// checked against the graph's hand-written values. Refusals: message names the op and the rule.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "export/tiny_graph.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/export/tflite_writer.hpp"

namespace physiolite::testing {
namespace {

namespace fs = std::filesystem;
using exporting::tflite_bytes;
using nlohmann::json;

const fs::path kSchema =
    fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / ".." / "src/export/tflite_schema.fbs";

// flatc --json --strict-json --raw-binary: the .tflite as JSON, read with our schema.
json flatc_dump(const std::vector<uint8_t>& bytes) {
  TempDir tmp;
  write_bytes(tmp / "m.tflite", bytes);
  const auto r = run_command("cd " + tmp.path().string() +
                             " && flatc --json --strict-json --raw-binary --defaults-json " +
                             kSchema.string() + " -- m.tflite");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(tmp / "m.json");
  return json::parse(in);
}

std::vector<uint8_t> buffer_bytes(const json& model, const json& tensor) {
  const json& data = model["buffers"][tensor["buffer"].get<size_t>()]["data"];
  return data.get<std::vector<uint8_t>>();
}

TEST(TfliteWriter, TinyGraphReadBackByFlatc) {
  if (run_command("flatc --version").exit_code != 0) GTEST_SKIP() << "no flatc on PATH";
  const qgraph::Graph g = tiny_tflite_graph();
  const std::vector<uint8_t> bytes = tflite_bytes(g, "tiny");
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(std::string(bytes.begin() + 4, bytes.begin() + 8), "TFL3");
  const json m = flatc_dump(bytes);
  EXPECT_EQ(m["version"], 3);
  // Operator codes in order of first use: AVERAGE_POOL_2D 1 (v2), CONV_2D 3 (v3),
  // CONCATENATION 2 (v2), ADD 0 (v2).
  const json& codes = m["operator_codes"];
  ASSERT_EQ(codes.size(), 4u);
  const int expect_code[4][2] = {{1, 2}, {3, 3}, {2, 2}, {0, 2}};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(codes[i]["deprecated_builtin_code"], expect_code[i][0]) << i;
    EXPECT_EQ(codes[i]["version"], expect_code[i][1]) << i;
  }
  EXPECT_TRUE(m["buffers"][0].value("data", json::array()).empty());  // buffer 0: empty
  const json& sg = m["subgraphs"][0];
  EXPECT_EQ(sg["inputs"], json::array({0}));
  EXPECT_EQ(sg["outputs"], json::array({6}));
  const json& t = sg["tensors"];
  // The graph's 7 tensors first, NHWC with N = H = 1.
  EXPECT_EQ(t[0]["shape"], json::array({1, 1, 8, 3}));
  EXPECT_EQ(t[0]["type"], "INT8");
  EXPECT_FLOAT_EQ(t[0]["quantization"]["scale"][0].get<float>(), 0.05f);
  EXPECT_EQ(t[0]["quantization"]["zero_point"][0], 3);
  EXPECT_EQ(t[5]["shape"], json::array({1, 1, 4, 6}));
  EXPECT_EQ(t[5]["quantization"]["zero_point"][0], -100);
  EXPECT_EQ(t[6]["shape"], json::array({1, 1, 1, 2}));

  const json& ops = sg["operators"];
  ASSERT_EQ(ops.size(), 6u);
  // AVGPOOL1D k2 s2 -> filter 1 x 2, stride 1 x 2, VALID.
  EXPECT_EQ(ops[0]["opcode_index"], 0);
  EXPECT_EQ(ops[0]["builtin_options_type"], "Pool2DOptions");
  const json& pool = ops[0]["builtin_options"];
  EXPECT_EQ(pool["padding"], "VALID");
  EXPECT_EQ(pool["filter_width"], 2);
  EXPECT_EQ(pool["filter_height"], 1);
  EXPECT_EQ(pool["stride_w"], 2);
  EXPECT_EQ(pool["stride_h"], 1);
  // CONV1D k3 pad 1 -> SAME; inputs: x, weights, bias.
  EXPECT_EQ(ops[1]["builtin_options_type"], "Conv2DOptions");
  EXPECT_EQ(ops[1]["builtin_options"]["padding"], "SAME");
  EXPECT_EQ(ops[1]["builtin_options"]["stride_w"], 1);
  EXPECT_EQ(ops[1]["builtin_options"]["fused_activation_function"], "NONE");
  const json& w = t[ops[1]["inputs"][1].get<size_t>()];
  EXPECT_EQ(w["shape"], json::array({4, 1, 3, 3}));
  EXPECT_EQ(w["type"], "INT8");
  EXPECT_EQ(w["quantization"]["quantized_dimension"], 0);
  EXPECT_EQ(w["quantization"]["zero_point"], json::array({0, 0, 0, 0}));
  const qgraph::Op& c1 = g.ops[1];
  for (size_t o = 0; o < 4; ++o) {
    EXPECT_FLOAT_EQ(w["quantization"]["scale"][o].get<float>(), c1.weight_scale[o]);
  }
  const std::vector<uint8_t> wb = buffer_bytes(m, w);
  ASSERT_EQ(wb.size(), c1.weights.size());
  for (size_t i = 0; i < wb.size(); ++i) EXPECT_EQ(static_cast<int8_t>(wb[i]), c1.weights[i]);
  const json& bias = t[ops[1]["inputs"][2].get<size_t>()];
  EXPECT_EQ(bias["type"], "INT32");
  EXPECT_EQ(bias["shape"], json::array({4}));
  const std::vector<uint8_t> bb = buffer_bytes(m, bias);
  ASSERT_EQ(bb.size(), 16u);
  // 3000 = 0x00000BB8 little-endian at entry 2; -250 = 0xFFFFFF06 at entry 1.
  EXPECT_EQ(bb[8], 0xB8);
  EXPECT_EQ(bb[9], 0x0B);
  EXPECT_EQ(bb[4], 0x06);
  EXPECT_EQ(bb[7], 0xFF);
  EXPECT_FLOAT_EQ(bias["quantization"]["scale"][0].get<float>(),
                  static_cast<float>(0.05 * static_cast<double>(c1.weight_scale[0])));
  // The pointwise conv has no bias in the graph: zeros.
  const std::vector<uint8_t> zero_bias = buffer_bytes(m, t[ops[2]["inputs"][2].get<size_t>()]);
  EXPECT_EQ(zero_bias, std::vector<uint8_t>(8, 0));
  // CONCAT on channels (axis 3), ADD, last conv k4 pad 0 -> VALID.
  EXPECT_EQ(ops[3]["builtin_options_type"], "ConcatenationOptions");
  EXPECT_EQ(ops[3]["builtin_options"]["axis"], 3);
  EXPECT_EQ(ops[3]["inputs"], json::array({2, 3}));
  EXPECT_EQ(ops[4]["builtin_options_type"], "AddOptions");
  EXPECT_EQ(ops[4]["inputs"], json::array({4, 4}));
  EXPECT_EQ(ops[5]["builtin_options"]["padding"], "VALID");
  EXPECT_EQ(ops[5]["outputs"], json::array({6}));
}

TEST(TfliteWriter, ReluClampIsFusedRelu) {
  if (run_command("flatc --version").exit_code != 0) GTEST_SKIP() << "no flatc on PATH";
  qgraph::Graph g = tiny_tflite_graph();
  g.ops[5].act_min = 7;  // the logits' zero point: ReLU
  const json m = flatc_dump(tflite_bytes(g, "tiny"));
  EXPECT_EQ(m["subgraphs"][0]["operators"][5]["builtin_options"]["fused_activation_function"],
            "RELU");
}

// TFLite derives the multiplier from the float32 scales in the file. A .plq whose weight_scale
// is a few float32 steps off the scale its multiplier came from (stored with less precision) is
// written with the float32 scale that gives the .plq's multiplier back; a multiplier that no
// nearby float32 scale gives is refused (tflite_weight_scale: nullopt).
TEST(TfliteWriter, WeightScaleReproducesTheMultiplier) {
  const float s_in = 0.0156957f, s_out = 0.00818569f, s_w = 0.0123456f;
  auto derive = [&](float w) {
    return qgraph::quantize_multiplier(static_cast<double>(s_in) * w / s_out);
  };
  // Exact already: unchanged.
  const auto m = derive(s_w);
  EXPECT_EQ(exporting::tflite_weight_scale(s_in, s_w, s_out, m.multiplier, m.shift), s_w);
  // The multiplier of a scale 3 float32 steps up: found again from s_w.
  float up3 = s_w;
  for (int i = 0; i < 3; ++i) up3 = std::nextafter(up3, 1.0f);
  const auto m3 = derive(up3);
  ASSERT_NE(m3.multiplier, m.multiplier);
  const auto found = exporting::tflite_weight_scale(s_in, s_w, s_out, m3.multiplier, m3.shift);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(derive(*found).multiplier, m3.multiplier);
  EXPECT_EQ(derive(*found).shift, m3.shift);
  EXPECT_GT(*found, s_w);
  // One multiplier step past s_w's: a float32 step moves the product by ~2^7 steps, so no float32
  // scale nearby gives it.
  EXPECT_EQ(exporting::tflite_weight_scale(s_in, s_w, s_out, m.multiplier + 1, m.shift),
            std::nullopt);
}

std::string refusal(const qgraph::Graph& g) {
  try {
    tflite_bytes(g, "tiny.plq");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(TfliteWriter, RefusesPow2Graphs) {
  qgraph::Graph g = tiny_tflite_graph();
  g.scheme = qgraph::Scheme::kMax78000;
  try {
    tflite_bytes(g, "tiny.plq");
    FAIL() << "accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("max78000 scheme"), std::string::npos) << e.what();
  }
}

TEST(TfliteWriter, RefusesWhatTfliteOrTheNpuCannotRun) {
  qgraph::Graph pad = tiny_tflite_graph();
  pad.ops[5].pad = 1;  // k4 pad 1: neither SAME nor VALID
  EXPECT_NE(refusal(pad).find("op 5 (CONV1D) pad"), std::string::npos) << refusal(pad);
  qgraph::Graph clamp = tiny_tflite_graph();
  clamp.ops[4].act_min = -50;  // neither the int8 range nor the zero point
  EXPECT_NE(refusal(clamp).find("op 4 (ADD) clamp"), std::string::npos) << refusal(clamp);
  qgraph::Graph add = tiny_tflite_graph();
  add.ops[4].multiplier[2] += 1;  // not what TFLite derives from the scales
  EXPECT_NE(refusal(add).find("op 4 (ADD) multiplier[2]"), std::string::npos) << refusal(add);
  qgraph::Graph conv = tiny_tflite_graph();
  conv.ops[1].shift[0] += 3;  // no float32 weight scale gives it
  EXPECT_NE(refusal(conv).find("op 1 (CONV1D) output channel 0 multiplier"), std::string::npos)
      << refusal(conv);
  // A pool of stride 5 over 8 samples: 5 > 3 and neither 8 % 5 nor a 2/3 factor: Vela would
  // leave it on the CPU.
  qgraph::Graph pool = tiny_tflite_graph();
  pool.ops[0].stride = 5;
  pool.ops[0].kernel = 5;
  pool.tensors[1].length = 1;
  EXPECT_EQ(refusal(pool), "(accepted)");  // one output column: Vela takes any stride
  pool.tensors[0].length = 12;
  pool.tensors[1].length = 2;
  EXPECT_NE(refusal(pool).find("we2.avgpool.stride"), std::string::npos) << refusal(pool);
}

}  // namespace
}  // namespace physiolite::testing
