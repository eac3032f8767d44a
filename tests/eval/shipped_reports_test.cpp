// The shipped runs' reports (models/<run>/report.md) list every int8 model shipped beside them,
// and no other: the "## int8 models" section `physiolite quantize` keeps up to date (9 shipped
// reports predated it; one listed a .plq that is no longer shipped); and link nothing else that
// is not shipped.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "common/temp_dir.hpp"

namespace physiolite::eval {
namespace {

namespace fs = std::filesystem;

const fs::path kModels = fs::path(PHYSIOLITE_TEST_SOURCE_DIR).parent_path() / "models";

TEST(ShippedReports, ListEveryShippedInt8ModelAndNoOther) {
  int runs = 0;
  for (const auto& run : fs::directory_iterator(kModels)) {
    if (!fs::is_directory(run.path() / "int8")) continue;
    ++runs;
    const std::string md = testing::read_text(run.path() / "report.md");
    const std::string name = run.path().filename().string();
    const size_t begin = md.find("## int8 models\n");
    ASSERT_NE(begin, std::string::npos) << name;
    const std::string section = md.substr(begin, md.find("\n## ", begin + 1) - begin);
    std::set<std::string> shipped, listed;
    for (const auto& f : fs::directory_iterator(run.path() / "int8")) {
      if (f.path().extension() == ".plq") shipped.insert("int8/" + f.path().filename().string());
    }
    for (size_t at = section.find("](int8/"); at != std::string::npos;
         at = section.find("](int8/", at + 1)) {
      listed.insert(section.substr(at + 2, section.find(')', at) - at - 2));
    }
    EXPECT_EQ(listed, shipped) << name;
  }
  EXPECT_GE(runs, 12);
}

TEST(ShippedReports, LinkOnlyFilesThatAreShipped) {
  // Every relative link or figure of every shipped report names a file beside it (three reports
  // showed figures of the validation split that were never shipped).
  for (const auto& run : fs::directory_iterator(kModels)) {
    const std::string md = testing::read_text(run.path() / "report.md");
    for (size_t at = md.find("]("); at != std::string::npos; at = md.find("](", at + 1)) {
      const std::string target = md.substr(at + 2, md.find(')', at) - at - 2);
      if (target.starts_with("http") || target.starts_with("#")) continue;
      EXPECT_TRUE(fs::exists(run.path() / target))
          << run.path().filename().string() << "/report.md links " << target;
    }
  }
}

}  // namespace
}  // namespace physiolite::eval
