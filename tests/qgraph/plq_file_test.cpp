// The .plq writer and reader: a round trip of every field, the byte layout of the header, and
// one refusal per kind of damage, each naming the file, the byte offset and the field.
#include "physiolite/qgraph/plq_file.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "qgraph/test_graphs.hpp"

namespace physiolite::qgraph {
namespace {

template <typename T>
T get(const std::vector<uint8_t>& b, size_t offset) {
  T v;
  std::memcpy(&v, b.data() + offset, sizeof(T));
  return v;
}

template <typename T>
void put(std::vector<uint8_t>& b, size_t offset, T v) {
  std::memcpy(b.data() + offset, &v, sizeof(T));
}

// Re-seals the CRC so that a test reaches the check behind it.
void reseal(std::vector<uint8_t>& b) {
  put<uint32_t>(b, 12, crc32_ieee(std::span<const uint8_t>(b).subspan(16)));
}

std::string refusal(const std::vector<uint8_t>& bytes) {
  try {
    parse_plq(bytes, "m.plq");
  } catch (const InputError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(Crc32, IeeeCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32_ieee({reinterpret_cast<const uint8_t*>(s.data()), s.size()}), 0xCBF43926u);
}

TEST(PlqFile, HeaderLayout) {
  const Graph g = testing::every_op_tflite_graph();
  const std::vector<uint8_t> b = serialize_plq(g);
  EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "PLQM");
  EXPECT_EQ(get<uint16_t>(b, 4), 1);
  EXPECT_EQ(get<uint8_t>(b, 6), 2);  // tflite
  EXPECT_EQ(get<uint32_t>(b, 8), b.size());
  EXPECT_EQ(get<uint32_t>(b, 16), 8u);                     // tensors
  EXPECT_EQ(get<uint32_t>(b, 20), 7u);                     // ops
  EXPECT_EQ(get<uint32_t>(b, 24), 64u);                    // tensor table right after the header
  EXPECT_EQ(get<uint32_t>(b, 28), 64u + 8 * 24);           // then the op table
  EXPECT_EQ(get<uint32_t>(b, 52), 64u + 8 * 24 + 7 * 64);  // then 2 input channels
  EXPECT_EQ(get<uint32_t>(b, 32), 64u + 8 * 24 + 7 * 64 + 2 * 8);
  EXPECT_EQ(get<uint32_t>(b, 40), g.arena_size);
  EXPECT_EQ(get<uint32_t>(b, 56), 2u);  // classes
  // Data: conv 18 weights (padded to 20) + 3 bias + 3 mult + 3 shift + 3 scales = 68 B; conv
  // 2 weights (4) + 3 x 4 = 16 B; add 3 + 3 int32 = 24 B; head 16 + 3 x 8 = 40 B.
  EXPECT_EQ(get<uint32_t>(b, 36), 68u + 16u + 24u + 40u);
  // op 1 (RELU) has no arrays: every array field is 0xFFFFFFFF.
  const size_t relu = 64 + 8 * 24 + 64;
  for (size_t f = 36; f <= 52; f += 4) EXPECT_EQ(get<uint32_t>(b, relu + f), 0xFFFFFFFFu);
}

TEST(PlqFile, RoundTripKeepsEveryField) {
  const Graph g = testing::every_op_tflite_graph();
  testing::TempDir dir;
  write_plq(g, dir / "m.plq");
  EXPECT_EQ(dir.file_count(), 1u);  // no temporary left behind
  const Graph r = read_plq(dir / "m.plq");
  EXPECT_EQ(r.scheme, g.scheme);
  EXPECT_EQ(r.input, g.input);
  EXPECT_EQ(r.output, g.output);
  EXPECT_EQ(r.arena_size, g.arena_size);
  ASSERT_EQ(r.tensors.size(), g.tensors.size());
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    EXPECT_EQ(r.tensors[i].channels, g.tensors[i].channels);
    EXPECT_EQ(r.tensors[i].length, g.tensors[i].length);
    EXPECT_EQ(r.tensors[i].scale, g.tensors[i].scale);
    EXPECT_EQ(r.tensors[i].zero_point, g.tensors[i].zero_point);
    EXPECT_EQ(r.tensors[i].arena_offset, g.tensors[i].arena_offset);
  }
  ASSERT_EQ(r.input_channels.size(), 2u);
  EXPECT_EQ(r.input_channels[1].scale, 0.0625f);
  ASSERT_EQ(r.ops.size(), g.ops.size());
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const Op &a = r.ops[i], &b = g.ops[i];
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.inputs, b.inputs);
    EXPECT_EQ(a.output, b.output);
    EXPECT_EQ(a.kernel, b.kernel);
    EXPECT_EQ(a.stride, b.stride);
    EXPECT_EQ(a.pad, b.pad);
    EXPECT_EQ(a.act_min, b.act_min);
    EXPECT_EQ(a.act_max, b.act_max);
    EXPECT_EQ(a.weights, b.weights);
    EXPECT_EQ(a.bias, b.bias);
    EXPECT_EQ(a.multiplier, b.multiplier);
    EXPECT_EQ(a.shift, b.shift);
    EXPECT_EQ(a.weight_scale, b.weight_scale);
    EXPECT_EQ(a.left_shift, b.left_shift);
  }
  // Writing what was read gives the same bytes.
  EXPECT_EQ(serialize_plq(r), serialize_plq(g));
}

// A POW2 pool that truncates toward zero (the MAX78000's) is format version 2's only addition:
// such a file says version 2, every other file is still written as version 1.
TEST(PlqFile, TruncatingPoolIsVersion2) {
  Graph g;
  g.scheme = qgraph::Scheme::kMax78000;
  g.tensors.push_back({"", 2, 4, 1.0f / 128, 0, 0});
  g.tensors.push_back({"", 2, 1, 1.0f / 128, 0, 0});
  g.input = 0;
  g.output = 1;
  g.input_channels.assign(2, {1.0f / 128, 0});
  g.ops.push_back({.type = qgraph::OpType::kAvgPool1d,
                   .inputs = {0},
                   .output = 1,
                   .kernel = 4,
                   .stride = 4,
                   .truncate = true});
  qgraph::plan_arena(g);
  std::vector<uint8_t> bytes = qgraph::serialize_plq(g);
  EXPECT_EQ(bytes[4], 2);
  EXPECT_EQ(bytes[64 + 2 * 24 + 3], 2);  // the op's flags byte: bit 1
  EXPECT_TRUE(qgraph::parse_plq(bytes, "t.plq").ops[0].truncate);
  g.ops[0].truncate = false;
  bytes = qgraph::serialize_plq(g);
  EXPECT_EQ(bytes[4], 1);
  EXPECT_FALSE(qgraph::parse_plq(bytes, "t.plq").ops[0].truncate);
}

// The reasons are the C runtime's verifier's (runtime/src/verify.c): the C++ reader calls it.
TEST(PlqFile, DamagedFilesAreRefusedWithTheirReason) {
  const std::vector<uint8_t> good = serialize_plq(testing::every_op_tflite_graph());
  ASSERT_EQ(refusal(good), "accepted");
  struct Case {
    const char* what;
    std::function<void(std::vector<uint8_t>&)> damage;
    std::string message;
  };
  const size_t ops = 64 + 8 * 24;
  const Case cases[] = {
      {"shorter than a header", [](auto& b) { b.resize(40); },
       "m.plq: field 'model': expected a .plq file the runtime's verifier accepts "
       "(docs/int8_model_format.md); it says: file of 40 bytes is shorter than the 64-byte "
       "header, got 'a refused file'"},
      {"truncated", [](auto& b) { b.pop_back(); }, "file truncated: file_size says"},
      {"wrong magic", [](auto& b) { b[0] = 'X'; }, "magic: expected 'PLQM'"},
      {"wrong version", [](auto& b) { put<uint16_t>(b, 4, 3); }, "version: expected 1 to 2, got 3"},
      {"flipped bit", [](auto& b) { b[200] ^= 1; }, "crc32: header says"},
      {"unknown scheme", [](auto& b) { b[6] = 3; },
       "scheme: expected 1 (MAX78000) or 2 (TFLite), got 3"},
      {"tensor table outside",
       [](auto& b) {
         put<uint32_t>(b, 24, 1u << 20);
         reseal(b);
       },
       "tensor table [1048576, "},
      {"data section outside",
       [](auto& b) {
         put<uint32_t>(b, 36, get<uint32_t>(b, 36) + 4);
         reseal(b);
       },
       "data section ["},
      {"op input out of range",
       [&](auto& b) {
         put<uint32_t>(b, ops + 4, 99);
         reseal(b);
       },
       "op 0 (CONV1D): input 0: tensor 99, but n_tensors is 8"},
      {"weights outside the data section",
       [&](auto& b) {
         put<uint32_t>(b, ops + 36, 1u << 16);
         reseal(b);
       },
       "op 0 (CONV1D): weights ["},
      {"unknown op type",
       [&](auto& b) {
         b[ops] = 9;
         reseal(b);
       },
       "op 0: type: expected 1..5"},
      {"requant differs from the scheme",
       [&](auto& b) {
         b[ops + 1] = 1;
         reseal(b);
       },
       "op 0 (CONV1D): requant 1 differs from the header's scheme 2"},
      {"pad >= kernel",
       [&](auto& b) {
         put<uint16_t>(b, ops + 28, 3);
         reseal(b);
       },
       "op 0 (CONV1D): kernel 3, stride 1, pad 3: need kernel >= 1, stride 1, pad < kernel"},
      {"clamp range",
       [&](auto& b) {
         put<int16_t>(b, ops + 30, 200);
         reseal(b);
       },
       "op 0 (CONV1D): clamp [200, "},
      {"conv length",
       [&](auto& b) {
         put<uint16_t>(b, ops + 28, 0);
         reseal(b);
       },
       "op 0 (CONV1D): output length: L_in + 2*pad - kernel + 1 = 2, tensor 1 has 4"},
      {"tensor beyond the arena",
       [](auto& b) {
         put<uint32_t>(b, 40, 8);
         reseal(b);
       },
       "outside the arena of 8 bytes"},
      {"classes",
       [](auto& b) {
         put<uint32_t>(b, 56, 3);
         reseal(b);
       },
       "expected num_classes (3) x 1"},
  };
  for (const Case& c : cases) {
    std::vector<uint8_t> b = good;
    c.damage(b);
    EXPECT_NE(refusal(b).find(c.message), std::string::npos) << c.what << ": " << refusal(b);
  }
}

// Files written by the independent numpy writer (bench/peers/plq.py via tests/golden/gen_plq.py)
// read back; the MAC counts are those of tests/golden/plq/README.md.
TEST(PlqFile, ReadsTheGoldenFilesOfThePythonWriter) {
  const std::filesystem::path dir =
      std::filesystem::path(PHYSIOLITE_TEST_SOURCE_DIR) / "golden" / "plq";
  const Graph pow2 = read_plq(dir / "pow2_small.plq");
  EXPECT_EQ(pow2.scheme, Scheme::kMax78000);
  EXPECT_EQ(pow2.macs(), 79648);
  EXPECT_EQ(pow2.arena_size, 3360u);
  const Graph tflite = read_plq(dir / "tflite_small.plq");
  EXPECT_EQ(tflite.scheme, Scheme::kTflite);
  EXPECT_EQ(tflite.macs(), 79648);
}

TEST(PlqFile, MissingFileNamesIt) {
  testing::TempDir dir;
  try {
    read_plq(dir / "none.plq");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("none.plq"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace physiolite::qgraph
