// The C source form of a model: the bytes back out of the array, the sizes in the header.
#include "physiolite/qgraph/c_array.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::qgraph {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CArray, BytesAndSizes) {
  testing::TempDir dir;
  const std::vector<uint8_t> bytes = {0x50, 0x4c, 0x51, 0x4d, 0x00, 0xff, 0x10, 0x7f, 0x80,
                                      1,    2,    3,    4,    5,    6,    7,    8,    9};
  const auto paths = write_c_array(bytes, 1234, "ecg_model", dir.path());
  ASSERT_EQ(paths.size(), 2u);
  const std::string h = read(dir / "ecg_model.h");
  EXPECT_NE(h.find("#define ECG_MODEL_SIZE 18u"), std::string::npos) << h;
  EXPECT_NE(h.find("#define ECG_MODEL_ARENA_SIZE 1234u"), std::string::npos) << h;
  EXPECT_NE(h.find("extern const uint8_t ecg_model[ECG_MODEL_SIZE];"), std::string::npos) << h;
  const std::string c = read(dir / "ecg_model.c");
  EXPECT_NE(c.find("PLQ_ALIGN4 const uint8_t ecg_model[ECG_MODEL_SIZE] = {"), std::string::npos);
  std::vector<uint8_t> back;
  const std::regex hex("0x([0-9a-f]{2}),");
  for (auto it = std::sregex_iterator(c.begin(), c.end(), hex); it != std::sregex_iterator();
       ++it) {
    back.push_back(static_cast<uint8_t>(std::stoi((*it)[1].str(), nullptr, 16)));
  }
  EXPECT_EQ(back, bytes);
  EXPECT_EQ(dir.file_count(), 2u);
}

TEST(CArray, Identifiers) {
  EXPECT_EQ(c_identifier("mitbih-max78000"), "mitbih_max78000");
  EXPECT_EQ(c_identifier("8ch.model"), "model_8ch_model");
  testing::TempDir dir;
  EXPECT_THROW(write_c_array({1}, 4, "bad-name", dir.path()), UsageError);
}

}  // namespace
}  // namespace physiolite::qgraph
