// `physiolite export` end to end: the files of a shipped model, and bad input refused with the
// documented exit code and nothing written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "export/tiny_graph.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/export/export.hpp"
#include "physiolite/qgraph/plq_file.hpp"

namespace physiolite::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kRun = fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / ".." / "models/mitbih-wavelet-seed1";

bool have_data() { return fs::is_directory(shared_data_dir() / "mitdb"); }

TEST(ExportCli, We2FilesOfAShippedModel) {
  if (!have_data()) GTEST_SKIP() << "no MIT-BIH data";
  TempDir out;
  const auto r = run_physiolite("export --run " + kRun.string() + " --target we2 -o " +
                                (out / "we2").string() + " --name mitbih");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"mitbih.tflite", "mitbih.input.npy", "mitbih.expected.npy", "mitbih.md"}) {
    EXPECT_TRUE(fs::exists(out / "we2" / f)) << f;
  }
  // The window: 26 channels x 128 samples, NHWC; 4 logits. Header lengths as the format fixes.
  const auto input = read_file_bytes(out / "we2/mitbih.input.npy");
  EXPECT_EQ(input.size(), 128u + 26 * 128);
  const std::string header(input.begin() + 10, input.begin() + 128);
  EXPECT_NE(header.find("'shape': (1, 1, 128, 26)"), std::string::npos) << header;
  EXPECT_EQ(read_file_bytes(out / "we2/mitbih.expected.npy").size(), 128u + 4);
  const std::string md = read_text_file(out / "we2/mitbih.md");
  EXPECT_NE(md.find("validation window 0 of mitbih (record "), std::string::npos);
  EXPECT_NE(md.find("vela --accelerator-config ethos-u55-64"), std::string::npos);
  EXPECT_EQ(fs::directory_iterator(out.path()) != fs::directory_iterator(), true);
  // Nothing left beside DIR: the temporary folder is gone.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(out.path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(ExportCli, OnnxFilesOfAShippedModel) {
  if (!have_data()) GTEST_SKIP() << "no MIT-BIH data";
  TempDir out;
  const auto r = run_physiolite("export --run " + kRun.string() + " --target onnx -o " +
                                out.path().string() + " --check");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out / "tflite-qat.onnx"));
  const auto input = read_file_bytes(out / "tflite-qat.input.npy");
  const std::string header(input.begin() + 10, input.begin() + 128);
  EXPECT_NE(header.find("'shape': (1, 26, 128)"), std::string::npos) << header;
}

// --onnx-form float with --window (a .plq without its run folder): the float window as given and
// our runtime's codes dequantised; the U8 form's files are the codes + 128.
TEST(ExportCli, OnnxFormsWithAGivenWindow) {
  TempDir tmp;
  write_bytes(tmp / "tiny.plq", qgraph::serialize_plq(tiny_tflite_graph()));
  std::vector<float> x(3 * 8);
  for (size_t i = 0; i < x.size(); ++i) x[i] = 0.25f * static_cast<float>(i) - 2.0f;
  std::vector<uint8_t> bytes(x.size() * sizeof(float));
  std::memcpy(bytes.data(), x.data(), bytes.size());
  write_bytes(tmp / "x.f32", bytes);
  for (const std::string form : {"float", "qdq-u8"}) {
    const auto r = run_physiolite("export --int8 " + (tmp / "tiny.plq").string() +
                                  " --target onnx --onnx-form " + form + " --window " +
                                  (tmp / "x.f32").string() + " -o " + (tmp / form).string());
    ASSERT_EQ(r.exit_code, 0) << form << ": " << r.err;
    const auto input = read_file_bytes(tmp / form / "tiny.input.npy");
    const auto expected = read_file_bytes(tmp / form / "tiny.expected.npy");
    const std::string in_header(input.begin() + 10, input.begin() + 128);
    const std::string out_header(expected.begin() + 10, expected.begin() + 128);
    const std::string type = form == "float" ? "'<f4'" : "'|u1'";
    EXPECT_NE(in_header.find("'descr': " + type), std::string::npos) << in_header;
    EXPECT_NE(in_header.find("'shape': (1, 3, 8)"), std::string::npos) << in_header;
    EXPECT_NE(out_header.find("'descr': " + type), std::string::npos) << out_header;
    if (form == "float") {  // the window as given, channel-first as the file holds it
      ASSERT_EQ(input.size(), 128 + bytes.size());
      EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), input.begin() + 128));
    }
    EXPECT_NE(read_text_file(tmp / form / "tiny.md").find("given window 0 of x.f32"),
              std::string::npos);
  }
  // The window quantised by hand: q = round(x / 0.05) + 3, channel-first; window[0] = -2.0
  // -> -37, + 128 = 91; window[23] = 3.75 -> 78, + 128 = 206.
  const auto u8 = read_file_bytes(tmp / "qdq-u8/tiny.input.npy");
  EXPECT_EQ(u8[128], 91);
  EXPECT_EQ(u8[128 + 23], 206);
}

TEST(ExportCli, OnnxFormIsAUsageErrorElsewhereAndWhenUnknown) {
  TempDir out;
  for (const std::string args :
       {"--target we2 --onnx-form float", "--target onnx --onnx-form u8"}) {
    const auto r = run_physiolite("export --int8 " + (kRun / "int8/tflite-qat.plq").string() + " " +
                                  args + " -o " + (out / "o").string());
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_NE(r.err.find("--onnx-form"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out / "o"));
  }
}

// --run picks int8/max78000-qat.plq; izer needs its name as an identifier, so the default NAME
// is max78000_qat (a '-' would be refused as a --name).
TEST(ExportCli, Max78000FilesOfAShippedModelGetAnIdentifierName) {
  if (!have_data()) GTEST_SKIP() << "no MIT-BIH data";
  TempDir out;
  const auto r = run_physiolite("export --run " + kRun.string() + " --target max78000 -o " +
                                out.path().string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"max78000_qat-q.pth.tar", "max78000_qat.yaml", "max78000_qat.input.npy",
                        "max78000_qat.expected.npy", "max78000_qat.md"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
  }
  const auto bad = run_physiolite("export --run " + kRun.string() + " --target max78000 -o " +
                                  (out / "bad").string() + " --name max78000-qat");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("expected letters, digits and '_'"), std::string::npos) << bad.err;
}

TEST(ExportCli, Pow2ModelToWe2IsAUsageError) {
  TempDir out;
  const auto r = run_physiolite("export --int8 " + (kRun / "int8/max78000-qat.plq").string() +
                                " --target we2 -o " + (out / "o").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("max78000 scheme"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out / "o" / "max78000-qat.tflite"));
}

TEST(ExportCli, CorruptModelIsBadData) {
  TempDir tmp;
  auto bytes = read_file_bytes(kRun / "int8/tflite-qat.plq");
  bytes[bytes.size() / 2] ^= 0x5a;  // the CRC no longer matches
  fs::create_directories(tmp / "run/int8");
  write_bytes(tmp / "run/int8/tflite-qat.plq", bytes);
  fs::copy_file(kRun / "config.json", tmp / "run/config.json");
  const auto r = run_physiolite("export --run " + (tmp / "run").string() + " --target we2 -o " +
                                (tmp / "out").string());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("crc32"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "out"));
}

TEST(ExportCli, UnwritableDirIsAUsageError) {
  if (!have_data()) GTEST_SKIP() << "no MIT-BIH data";
  TempDir tmp;
  write_text(tmp / "file", "x");
  const auto r = run_physiolite("export --run " + kRun.string() + " --target we2 -o " +
                                (tmp / "file/out").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("cannot create or write the output folder"), std::string::npos) << r.err;
}

TEST(ExportLibrary, RuleBreakingGraphWritesNothing) {
  TempDir tmp;
  qgraph::Graph g = tiny_tflite_graph();
  g.ops[5].pad = 1;  // k4 pad 1: no TFLite padding does that
  exporting::SampleWindow sample{.channels = 3,
                                 .length = 8,
                                 .input = std::vector<int8_t>(24),
                                 .real_input = std::vector<float>(24),
                                 .logits = {0, 0},
                                 .origin = "a zero window",
                                 .layout = ""};
  const exporting::ExportRequest request{
      .graph = g, .dir = tmp / "out", .name = "tiny", .sample = sample, .source = "tiny.plq"};
  try {
    exporting::export_we2(request);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("op 5 (CONV1D) pad"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(tmp / "out"));
}

}  // namespace
}  // namespace physiolite::testing
