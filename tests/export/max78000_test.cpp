// The MAX78000 export of a tiny hand-built POW2 graph: its izer layers by hand, the checkpoint
// read back by Python's torch.load and the YAML by PyYAML (independent readers), the refusals;
// and, labelled `vendor`, izer itself on the tiny graph and on every shipped max78000 model with
// no error, no layout warning and a bit-exact output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/export/max78000.hpp"
#include "physiolite/qgraph/arena.hpp"
#include "physiolite/qgraph/plq_file.hpp"

namespace physiolite::exporter {
namespace {

using qgraph::Graph;
using qgraph::Op;
using qgraph::OpType;

int tensor(Graph& g, int channels, int length) {
  g.tensors.push_back({"", channels, length, 1.0f / 128, 0, 0});
  return static_cast<int>(g.tensors.size()) - 1;
}

Op conv(int in, int out, int ci, int co, int k, int pad, bool relu, int output_shift, int seed) {
  Op op{.type = OpType::kConv1d, .inputs = {in}, .output = out, .kernel = k, .pad = pad};
  if (relu) op.act_min = 0;
  for (int i = 0; i < co * k * ci; ++i) {
    op.weights.push_back(static_cast<int8_t>((i * 37 + seed * 11) % 61 - 30));
  }
  op.shift.assign(static_cast<size_t>(co), 7 - output_shift);
  op.weight_scale.assign(static_cast<size_t>(co), 0.01f);
  return op;
}

// input 8x16 -> pool 2 -> stem k3 (8) -> branches k3 (4, ReLU) and k1 (4, ReLU) -> concat (8)
// -> k1 ReLU (8) = skip -> k1 (8) -> ADD(conv, skip) -> pool 8 -> classifier k1 (3, wide).
Graph tiny_graph() {
  Graph g;
  g.scheme = qgraph::Scheme::kMax78000;
  const int in = tensor(g, 8, 16), pooled = tensor(g, 8, 8), stem = tensor(g, 8, 8);
  const int b0 = tensor(g, 4, 8), b1 = tensor(g, 4, 8), cat = tensor(g, 8, 8);
  const int skip = tensor(g, 8, 8), c3 = tensor(g, 8, 8), sum = tensor(g, 8, 8);
  const int gap = tensor(g, 8, 1), logits = tensor(g, 3, 1);
  g.input = in;
  g.output = logits;
  g.input_channels.assign(8, {1.0f / 128, 0});
  g.ops.push_back({.type = OpType::kAvgPool1d,
                   .inputs = {in},
                   .output = pooled,
                   .kernel = 2,
                   .stride = 2,
                   .truncate = true});
  g.ops.push_back(conv(pooled, stem, 8, 8, 3, 1, false, 0, 1));
  g.ops.push_back(conv(stem, b0, 8, 4, 3, 1, true, -1, 2));
  g.ops.push_back(conv(stem, b1, 8, 4, 1, 0, true, 1, 3));
  g.ops.push_back({.type = OpType::kConcat, .inputs = {b0, b1}, .output = cat});
  g.ops.push_back(conv(cat, skip, 8, 8, 1, 0, true, 0, 4));
  g.ops.push_back(conv(skip, c3, 8, 8, 1, 0, false, 0, 5));
  g.ops.push_back({.type = OpType::kAdd, .inputs = {c3, skip}, .output = sum});
  g.ops.push_back({.type = OpType::kAvgPool1d,
                   .inputs = {sum},
                   .output = gap,
                   .kernel = 8,
                   .stride = 1,
                   .truncate = true});
  g.ops.push_back(conv(gap, logits, 8, 3, 1, 0, false, 0, 6));
  qgraph::plan_arena(g);
  return g;
}

// A fixed pseudo-random window of int8 codes (channel-last), negative sums included so that the
// pools' truncation toward zero is exercised.
std::vector<int8_t> codes(size_t n, uint32_t seed) {
  std::vector<int8_t> v(n);
  uint32_t x = seed;
  for (auto& c : v) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<int8_t>(static_cast<int>(x >> 24) - 128);
  }
  return v;
}

std::filesystem::path source_dir() { return PHYSIOLITE_TEST_SOURCE_DIR; }
std::filesystem::path izer_path() { return source_dir() / "../../shared/tools/izer/izer"; }

bool have_torch() {
  return testing::run_command("/usr/bin/python3 -c 'import torch, yaml'").exit_code == 0;
}

TEST(Max78000Plan, TinyGraphLayersByHand) {
  const Max78000Plan p = plan_max78000(tiny_graph(), "tiny");
  ASSERT_EQ(p.layers.size(), 8u);
  using K = Max78000Layer::Kind;
  // l0: front pool fused into the stem; reads the input on processors 0-7 at offset 0.
  EXPECT_EQ(p.layers[0].pool, 2);
  EXPECT_EQ(p.layers[0].pool_stride, 2);
  EXPECT_EQ(p.layers[0].processors, 0xffu);
  EXPECT_EQ(p.layers[0].in_offset, 0u);
  EXPECT_FALSE(p.layers[0].relu);
  // Input 16 samples x 4 bytes = 0x40; the stem writes after it.
  EXPECT_EQ(p.layers[0].out_offset, 0x40u);
  // l1, l2: both branches read the stem (l2 names it: it is not the previous layer) and write
  // the concatenation's two parts side by side: processors 0-3 and 4-7 at one offset.
  EXPECT_TRUE(p.layers[1].in_sequences.empty());
  EXPECT_EQ(p.layers[2].in_sequences, std::vector<int>{0});
  EXPECT_EQ(p.layers[1].output_processors, 0x0fu);
  EXPECT_EQ(p.layers[2].output_processors, 0xf0u);
  EXPECT_EQ(p.layers[1].out_offset, p.layers[2].out_offset);
  EXPECT_EQ(p.layers[1].output_shift, -1);
  EXPECT_EQ(p.layers[2].output_shift, 1);
  // l3 reads the concatenation.
  EXPECT_EQ(p.layers[3].in_sequences, (std::vector<int>{1, 2}));
  EXPECT_EQ(p.layers[3].processors, 0xffu);
  // The add: conv operand with write_gap 1, the skip copied next to it (+4), then `op: add`.
  EXPECT_EQ(p.layers[4].write_gap, 1);
  EXPECT_EQ(p.layers[5].kind, K::kPassthrough);
  EXPECT_EQ(p.layers[5].in_sequences, std::vector<int>{3});
  EXPECT_EQ(p.layers[5].out_offset, p.layers[4].out_offset + 4);
  EXPECT_EQ(p.layers[5].write_gap, 1);
  EXPECT_EQ(p.layers[6].kind, K::kAdd);
  EXPECT_EQ(p.layers[6].in_sequences, (std::vector<int>{4, 5}));
  EXPECT_EQ(p.layers[6].in_offset, p.layers[4].out_offset);
  // The classifier: global pool fused, 32-bit output.
  EXPECT_EQ(p.layers[7].pool, 8);
  EXPECT_TRUE(p.layers[7].wide_output);
  // Weights transposed from [o][k][c] to [o][c][k]: stem weight (o=1, c=2, k=0) is the graph's
  // index (1*3 + 0)*8 + 2 = 26 -> (26*37 + 11) % 61 - 30 = 973 % 61 - 30 = 58 - 30 = 28.
  EXPECT_EQ(p.layers[0].weights[(1 * 8 + 2) * 3 + 0],
            static_cast<int8_t>((26 * 37 + 11) % 61 - 30));
  EXPECT_EQ(p.weight_bytes(), 8 * 8 * 3 + 4 * 8 * 3 + 4 * 8 + 64 + 64 + 3 * 8);
}

// The wide output by hand: input codes (t=0: 5, -6; t=1: 7, 8), conv k2 with weights
// w[o][k][c] = o=0: (1, 2 | 3, -4), o=1: (-1, 0 | 0, 1) and bias (128, -256):
//   o0 = 5 - 12 + 21 - 32 + 128 = 110,  o1 = -5 + 8 - 256 = -253
// The int8 outputs (shift 7: 0.86 -> 1, -1.98 -> -2) would round these; the wide output does not.
TEST(Max78000Plan, WideOutputByHand) {
  Graph g;
  g.scheme = qgraph::Scheme::kMax78000;
  const int in = tensor(g, 2, 2), out = tensor(g, 2, 1);
  g.input = in;
  g.output = out;
  g.input_channels.assign(2, {1.0f / 128, 0});
  Op c{.type = OpType::kConv1d, .inputs = {in}, .output = out, .kernel = 2};
  c.weights = {1, 2, 3, -4, -1, 0, 0, 1};
  c.bias = {128, -256};
  c.shift = {7, 7};
  c.weight_scale = {0.01f, 0.01f};
  g.ops.push_back(c);
  qgraph::plan_arena(g);
  EXPECT_EQ(max78000_wide_output(g, {5, -6, 7, 8}), (std::vector<int32_t>{110, -253}));
  // izer's checkpoint stores the bias as codes (x 128 in the file): 1 and -2.
  EXPECT_EQ(plan_max78000(g, "one").layers[0].bias, (std::vector<int8_t>{1, -2}));
}

TEST(Max78000Plan, RefusesWhatTheChipCannotRun) {
  auto message = [](const Graph& g) {
    try {
      plan_max78000(g, "tiny");
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  Graph tflite = tiny_graph();
  tflite.scheme = qgraph::Scheme::kTflite;
  EXPECT_NE(message(tflite).find("tflite scheme"), std::string::npos) << message(tflite);
  Graph floor_pool = tiny_graph();
  floor_pool.ops[0].truncate = false;
  EXPECT_NE(message(floor_pool).find("op 0 (AVGPOOL1D): the MAX78000 truncates"), std::string::npos)
      << message(floor_pool);
  Graph big_shift = tiny_graph();
  big_shift.ops[1].shift.assign(8, 7 - 16);
  // r = 7 - 16 = -9 is outside the format's [-8, 22] = output_shift [-15, 15] already.
  EXPECT_NE(message(big_shift).find("op 1 (CONV1D) shift"), std::string::npos)
      << message(big_shift);
  Graph uneven = tiny_graph();
  uneven.ops[1].shift[3] = 6;
  EXPECT_NE(message(uneven).find("op 1 (CONV1D): the shift differs"), std::string::npos);
  Graph clamp = tiny_graph();
  clamp.ops[1].act_min = -5;
  EXPECT_NE(message(clamp).find("op 1 (CONV1D): output clamp [-5, 127]"), std::string::npos);
  EXPECT_THROW(plan_max78000(tiny_graph(), "bad-name"), UsageError);
}

// Writes the export and reads it back with Python: torch.load for the checkpoint, yaml.safe_load
// for the YAML, numpy.load for the .npy files; the script prints what it found, checked below
// against the plan's hand-checked values.
TEST(Max78000Plan, ArchNameFromAFileStem) {
  EXPECT_EQ(max78000_arch_name("max78000-qat"), "max78000_qat");
  EXPECT_EQ(max78000_arch_name("my model.v2"), "my_model_v2");
  EXPECT_EQ(max78000_arch_name("already_ok1"), "already_ok1");
}

TEST(Max78000Export, FilesReadByTorchYamlAndNumpy) {
  if (!have_torch()) GTEST_SKIP() << "/usr/bin/python3 lacks torch or yaml (python3-torch)";
  testing::TempDir dir;
  const Graph g = tiny_graph();
  const std::vector<int8_t> input = codes(8 * 16, 7);
  const Max78000Export e = export_max78000(g, dir.path(), "tiny", input);
  ASSERT_EQ(e.files.size(), 4u);
  const std::string script = R"PY(
import sys, torch, yaml, numpy as np
d = sys.argv[1]
c = torch.load(d + '/tiny-q.pth.tar')
sd = c['state_dict']
print('epoch', c['epoch'], 'arch', c['arch'])
print('keys', ' '.join(k for k in sd if k.endswith('.op.weight')))
w = sd['l0.op.weight']
print('l0', tuple(w.shape), w.dtype, int(w[1, 2, 0]), int(w.abs().max()))
print('shifts', ' '.join(str(int(sd['l%d.output_shift' % i][0])) for i in (0, 1, 2, 3, 4, 7)))
print('bits', int(sd['l1.weight_bits'][0]), int(sd['l1.bias_bits'][0]))
y = yaml.safe_load(open(d + '/tiny.yaml'))
L = y['layers']
print('yaml', y['arch'], len(L), L[0]['avg_pool'], L[0]['data_format'], hex(L[2]['output_processors']))
print('add', L[6]['op'], L[6]['in_sequences'], L[4]['write_gap'], L[5]['out_offset'] - L[4]['out_offset'])
print('last', L[7]['output_width'], L[7]['avg_pool'])
x = np.load(d + '/tiny.input.npy')
print('input', x.shape, x.dtype, int(x[2, 5]))
print('expected', np.load(d + '/tiny.expected.npy').shape)
)PY";
  const auto py = dir / "read.py";
  std::ofstream(py) << script;
  const auto r =
      testing::run_command("/usr/bin/python3 '" + py.string() + "' '" + dir.path().string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& o = r.out;
  EXPECT_NE(o.find("epoch 0 arch tiny"), std::string::npos) << o;
  // Weights only for the convs, in layer order (izer assigns them by order).
  EXPECT_NE(o.find("keys l0.op.weight l1.op.weight l2.op.weight l3.op.weight l4.op.weight "
                   "l7.op.weight\n"),
            std::string::npos)
      << o;
  // (26 * 37 + 11) % 61 - 30 = 28 (see TinyGraphLayersByHand); codes up to |-30|.
  EXPECT_NE(o.find("l0 (8, 8, 3) torch.float32 28 30"), std::string::npos) << o;
  EXPECT_NE(o.find("shifts 0 -1 1 0 0 0"), std::string::npos) << o;
  EXPECT_NE(o.find("bits 8 8"), std::string::npos) << o;
  EXPECT_NE(o.find("yaml tiny 8 2 HWC 0xf0"), std::string::npos) << o;
  EXPECT_NE(o.find("add add [4, 5] 1 4"), std::string::npos) << o;
  EXPECT_NE(o.find("last 32 8"), std::string::npos) << o;
  // Channel 2 at t = 5 is the channel-last code input[5 * 8 + 2].
  EXPECT_NE(o.find("input (8, 16) int64 " + std::to_string(input[5 * 8 + 2])), std::string::npos)
      << o;
  EXPECT_NE(o.find("expected (3,)"), std::string::npos) << o;
  // Nothing but the four files is left behind.
  int n = 0;
  for ([[maybe_unused]] const auto& f : std::filesystem::directory_iterator(dir.path())) ++n;
  EXPECT_EQ(n, 5);  // + read.py
}

TEST(Max78000Export, RuleBrokenWritesNothing) {
  testing::TempDir dir;
  Graph g = tiny_graph();
  g.ops[1].kernel = 11;
  EXPECT_THROW(export_max78000(g, dir.path(), "tiny", codes(8 * 16, 1)), UsageError);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

// izer: the tiny graph, every construct of the real model, on one window.
TEST(Max78000Vendor, TinyGraphIzerBitExact) {
  if (!std::filesystem::exists(izer_path())) GTEST_SKIP() << "no ../shared/tools/izer";
  testing::TempDir dir;
  const Graph g = tiny_graph();
  const Max78000Export e = export_max78000(g, dir.path(), "tiny", codes(8 * 16, 7));
  const Max78000Check c = check_max78000(dir.path(), "tiny", izer_path(), e.expected);
  EXPECT_TRUE(c.passed) << ::testing::PrintToString(c.problems) << "\n" << c.log;
  EXPECT_EQ(c.izer_output.size(), 3u);
  EXPECT_EQ(c.hardware_layers, 8);
  EXPECT_GT(c.latency_cycles, 0);
}

// izer refuses a working directory holding an entry named like the network (it takes it for an
// earlier target folder): the check must not depend on where it is run from.
TEST(Max78000Vendor, CheckIgnoresAnEntryNamedLikeTheNetworkInTheWorkingDirectory) {
  if (!std::filesystem::exists(izer_path())) GTEST_SKIP() << "no ../shared/tools/izer";
  testing::TempDir dir;
  testing::TempDir cwd;
  std::filesystem::create_directory(cwd.path() / "tiny");
  const Max78000Export e = export_max78000(tiny_graph(), dir.path(), "tiny", codes(8 * 16, 7));
  const std::filesystem::path izer = std::filesystem::absolute(izer_path());
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path(cwd.path());
  const Max78000Check c = check_max78000(dir.path(), "tiny", izer, e.expected);
  std::filesystem::current_path(before);
  EXPECT_TRUE(c.passed) << ::testing::PrintToString(c.problems);
}

// Every shipped max78000 model: izer accepts it with no layout warning, and its simulated
// output equals ours bit for bit on a window.
TEST(Max78000Vendor, ShippedModelsIzerBitExact) {
  if (!std::filesystem::exists(izer_path())) GTEST_SKIP() << "no ../shared/tools/izer";
  const auto models = source_dir() / "../models";
  const char* only = std::getenv("PHYSIOLITE_MAX78000_MODELS");  // e.g. "mitbih-wavelet-seed1"
  int checked = 0;
  for (const auto& run : std::filesystem::directory_iterator(models)) {
    const auto plq = run.path() / "int8/max78000-qat.plq";
    if (!std::filesystem::exists(plq)) continue;
    if (only != nullptr &&
        std::string(only).find(run.path().filename().string()) == std::string::npos) {
      continue;
    }
    SCOPED_TRACE(plq.string());
    const Graph g = qgraph::read_plq(plq);
    // Shipped files are quantised with the pools truncating as the chip does (the export refuses
    // a floor pool; scripts/quantize_results.sh requantises).
    EXPECT_TRUE(std::none_of(g.ops.begin(), g.ops.end(), [](const Op& op) {
      return op.type == OpType::kAvgPool1d && !op.truncate;
    })) << "quantised with floor pools";
    const auto& in = g.tensors[static_cast<size_t>(g.input)];
    testing::TempDir dir;
    const Max78000Export e =
        export_max78000(g, dir.path(), "physiolite", codes(static_cast<size_t>(in.bytes()), 3));
    const Max78000Check c = check_max78000(dir.path(), "physiolite", izer_path(), e.expected);
    EXPECT_TRUE(c.passed) << ::testing::PrintToString(c.problems);
    std::printf("%s: %d layers, %lld cycles, %lld weight bytes of %lld, %lld MACs\n",
                run.path().filename().c_str(), c.hardware_layers,
                static_cast<long long>(c.latency_cycles), static_cast<long long>(c.weight_bytes),
                static_cast<long long>(c.weight_capacity), static_cast<long long>(c.macs));
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace physiolite::exporter
