// Figures the docs state about the shipped MIT-BIH model agree with the model file: every line of
// README.md or docs/*.md that names `models/mitbih-wavelet-seed1/int8` and a MAC count states
// the count of the shipped file (a stale 9 377 920 of the earlier 512-sample model stood there).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "physiolite/qgraph/plq_file.hpp"

namespace physiolite::qgraph {
namespace {

namespace fs = std::filesystem;

const fs::path kRepo = fs::path(PHYSIOLITE_TEST_SOURCE_DIR).parent_path();

// 2 380 928: `physiolite info --run models/mitbih-wavelet-seed1` (the layer table's sum) and
// izer's count for the same network (docs/export_max78000.md).
constexpr int64_t kShippedMitBihMacs = 2380928;

TEST(ShippedFigures, DocsStateTheShippedMitBihModelsMacCount) {
  const fs::path plq = kRepo / "models/mitbih-wavelet-seed1/int8/max78000-qat.plq";
  ASSERT_TRUE(fs::exists(plq)) << plq;
  EXPECT_EQ(read_plq(plq).macs(), kShippedMitBihMacs);

  std::vector<fs::path> files = {kRepo / "README.md"};
  for (const auto& e : fs::directory_iterator(kRepo / "docs")) {
    if (e.path().extension() == ".md") files.push_back(e.path());
  }
  // "9 377 920 MACs", "2,380,928 MACs" or "2.38 M MACs".
  const std::regex exact(R"((\d{1,3}(?:[ ,]\d{3})+|\d+) MACs)");
  const std::regex millions(R"((\d+\.\d+) M MACs)");
  int checked = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (line.find("models/mitbih-wavelet-seed1/int8") == std::string::npos) continue;
      const std::string where = file.filename().string() + ":" + std::to_string(n);
      for (std::sregex_iterator m(line.begin(), line.end(), exact), end; m != end; ++m) {
        std::string digits = (*m)[1];
        std::erase_if(digits, [](char c) { return c == ' ' || c == ','; });
        EXPECT_EQ(std::stoll(digits), kShippedMitBihMacs) << where << ": " << line;
        ++checked;
      }
      for (std::sregex_iterator m(line.begin(), line.end(), millions), end; m != end; ++m) {
        EXPECT_NEAR(std::stod((*m)[1]), kShippedMitBihMacs / 1e6, 0.005) << where << ": " << line;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 2);  // README's benchmark row and docs/int8_runtime.md's numbers
}

}  // namespace
}  // namespace physiolite::qgraph
