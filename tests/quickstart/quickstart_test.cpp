// README's "Quick start" run as written: every ```sh block of that section, in order, from a
// copy of the repository's layout (models/, configs/, runtime/ linked, ../shared/data linked to
// the data) with the built physiolite first on the PATH, as a user would run them. Its own CTest
// label (quickstart): it exports MIT-BIH's splits, trains two short epochs, quantises and
// compiles the firmware example, about a minute on 2 cores.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"

namespace physiolite::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kRepo = fs::path(PHYSIOLITE_TEST_SOURCE_DIR).parent_path();

// The ```sh blocks between "## Quick start" and the next "## " heading.
std::vector<std::string> quick_start_blocks(const std::string& readme) {
  const size_t begin = readme.find("\n## Quick start\n");
  if (begin == std::string::npos) return {};
  const size_t end = readme.find("\n## ", begin + 1);
  const std::string section = readme.substr(begin, end - begin);
  std::vector<std::string> blocks;
  for (size_t at = section.find("```sh\n"); at != std::string::npos;
       at = section.find("```sh\n", at)) {
    const size_t close = section.find("\n```", at + 6);
    blocks.push_back(section.substr(at + 6, close - at - 6));
    at = close + 4;
  }
  return blocks;
}

TEST(QuickStart, TheReadmeSectionHasBothJourneys) {
  const std::vector<std::string> blocks = quick_start_blocks(read_text(kRepo / "README.md"));
  ASSERT_EQ(blocks.size(), 6u);
  std::string all;
  for (const auto& b : blocks) all += b + "\n";
  for (const char* step : {"predict", "record write", "data export --config", "train --config",
                           "quantize", "--c-array", "classify"}) {
    EXPECT_NE(all.find(step), std::string::npos) << step;
  }
}

TEST(QuickStart, EveryCommandRunsAsWritten) {
  if (run_physiolite("--help").out.find("\n  predict ") == std::string::npos) {
    GTEST_SKIP() << "physiolite built without LibTorch";
  }
  TempDir dir;
  const fs::path repo = dir / "repo";
  fs::create_directories(repo);
  fs::create_directories(dir / "shared");
  for (const char* sub : {"models", "configs", "runtime"}) {
    fs::create_directory_symlink(kRepo / sub, repo / sub);
  }
  fs::create_directory_symlink(fs::absolute(PHYSIOLITE_SHARED_DATA_DEFAULT),
                               dir / "shared" / "data");
  const std::string prelude = "cd '" + repo.string() + "' || exit 1\nexport PATH='" +
                              fs::path(PHYSIOLITE_CLI).parent_path().string() +
                              "':\"$PATH\"\nunset PHYSIOLITE_DATA\nset -e\n";
  const std::vector<std::string> blocks = quick_start_blocks(read_text(kRepo / "README.md"));
  ASSERT_FALSE(blocks.empty());
  std::vector<std::string> outputs;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const fs::path script = dir / ("block" + std::to_string(i) + ".sh");
    write_text(script, prelude + blocks[i] + "\n");
    const CommandResult r = run_command("sh '" + script.string() + "'");
    ASSERT_EQ(r.exit_code, 0) << "block " << i << ":\n" << blocks[i] << "\n" << r.err << r.out;
    outputs.push_back(r.out);
  }
  // Record 100 against its .atr: 2 273 beats, 2 239 N, 33 S (A), 1 V (MIT-BIH's directory of
  // records).
  EXPECT_NE(outputs[0].find("of 2273 annotated beats"), std::string::npos) << outputs[0];
  EXPECT_TRUE(fs::exists(repo / "my" / "100.predictions.csv"));
  // The CSV recording: classified beside it, no .atr so no reference table.
  EXPECT_TRUE(fs::exists(repo / "my" / "recording.max78000-qat.predictions.csv"));
  EXPECT_EQ(outputs[1].find("agreement"), std::string::npos) << outputs[1];
  // The exported validation windows carry labels: 9 188 windows compared.
  EXPECT_NE(outputs[2].find("of 9188 annotated beats"), std::string::npos) << outputs[2];
  EXPECT_TRUE(fs::exists(repo / "my" / "run" / "int8" / "max78000.plq"));
  EXPECT_TRUE(fs::exists(repo / "my" / "firmware" / "plrt_model_data.h"));
  EXPECT_NE(outputs.back().find("class"), std::string::npos) << outputs.back();
}

}  // namespace
}  // namespace physiolite::testing
