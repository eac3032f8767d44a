// The C source form of a model: the bytes back out of the array, the sizes in the header (the
// graph's, computed independently by the C++ side), a refused model and bad names.
#include "physiolite/qgraph/c_array.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>

#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "test_graphs.hpp"

namespace physiolite::qgraph {
namespace {

using testing::read_text;

TEST(CArray, BytesAndSizesInACreatedDirectory) {
  testing::TempDir dir;
  const Graph g = testing::every_op_tflite_graph();
  const std::vector<uint8_t> bytes = serialize_plq(g);
  const auto out = dir / "firmware" / "model";  // created
  const auto paths = write_c_array(bytes, "ecg_model", out, "ecg.plq");
  ASSERT_EQ(paths.size(), 2u);
  const std::string h = read_text(out / "ecg_model.h");
  EXPECT_NE(h.find(fmt::format("#define ECG_MODEL_SIZE {}u", bytes.size())), std::string::npos)
      << h;
  EXPECT_NE(h.find(fmt::format("#define ECG_MODEL_ARENA_SIZE {}u", g.arena_size)),
            std::string::npos)
      << h;
  // The graph's input is 2 x 4 and its output 2 logits (test_graphs.hpp).
  EXPECT_NE(h.find("#define ECG_MODEL_INPUT_CHANNELS 2u"), std::string::npos) << h;
  EXPECT_NE(h.find("#define ECG_MODEL_INPUT_LENGTH 4u"), std::string::npos) << h;
  EXPECT_NE(h.find("#define ECG_MODEL_NUM_CLASSES 2u"), std::string::npos) << h;
  EXPECT_NE(h.find(fmt::format("#define ECG_MODEL_MACS {}u", g.macs())), std::string::npos) << h;
  EXPECT_NE(h.find("extern const uint8_t ecg_model[];"), std::string::npos) << h;
  const std::string c = read_text(out / "ecg_model.c");
  EXPECT_NE(c.find("ECG_MODEL_ALIGN const uint8_t ecg_model[ECG_MODEL_SIZE] = {"),
            std::string::npos)
      << c;
  std::vector<uint8_t> back;
  const std::regex hex("0x([0-9a-f]{2}),");
  for (auto it = std::sregex_iterator(c.begin(), c.end(), hex); it != std::sregex_iterator();
       ++it) {
    back.push_back(static_cast<uint8_t>(std::stoi((*it)[1].str(), nullptr, 16)));
  }
  EXPECT_EQ(back, bytes);
  // No temporaries left.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out), {}), 2);
}

TEST(CArray, RefusesWhatTheVerifierRefusesAndBadNames) {
  testing::TempDir dir;
  EXPECT_THROW(write_c_array({1, 2, 3, 4}, "m", dir.path(), "junk.plq"), InputError);
  EXPECT_EQ(dir.file_count(), 0u);
  const std::vector<uint8_t> bytes = serialize_plq(testing::every_op_tflite_graph());
  EXPECT_THROW(write_c_array(bytes, "bad-name", dir.path(), "m.plq"), UsageError);
  EXPECT_EQ(dir.file_count(), 0u);
}

TEST(CArray, Identifiers) {
  EXPECT_EQ(c_identifier("mitbih-max78000"), "mitbih_max78000");
  EXPECT_EQ(c_identifier("8ch.model"), "model_8ch_model");
}

}  // namespace
}  // namespace physiolite::qgraph
