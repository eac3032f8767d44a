#include "physiolite/core/error.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "physiolite/core/atomic_file.hpp"

namespace physiolite {
namespace {

TEST(InputError, MessageNamesFileLineFieldExpectedAndFound) {
  InputError e(InputLocation::at_line("100.hea", 2), "fmt", "a supported format (16, 212)", "999");
  EXPECT_STREQ(e.what(),
               "100.hea:2: field 'fmt': expected a supported format (16, 212), got '999'");
  EXPECT_EQ(e.where().line, 2);
  EXPECT_EQ(e.field(), "fmt");
}

TEST(InputError, ByteOffsetLocation) {
  InputError e(InputLocation::at_byte("100.dat", 1950000), "samples", "650000 samples",
               "end of file");
  EXPECT_STREQ(
      e.what(),
      "100.dat: byte 1950000: field 'samples': expected 650000 samples, got 'end of file'");
}

TEST(PlCheck, ThrowsWithOurFileAndLine) {
  try {
    PL_CHECK(1 + 1 == 3, "arithmetic");
    FAIL() << "PL_CHECK did not throw";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("error_test.cpp"), std::string::npos) << what;
    EXPECT_NE(what.find("arithmetic"), std::string::npos) << what;
  }
}

TEST(AtomicFile, WriterThatThrowsLeavesNothingBehind) {
  auto dir = std::filesystem::temp_directory_path() / "physiolite_atomic_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto path = dir / "out.txt";
  { std::ofstream(path) << "old contents"; }
  EXPECT_THROW(write_file_atomically(path,
                                     [](std::ostream& out) {
                                       out << "half";
                                       throw Error("interrupted");
                                     }),
               Error);
  std::ifstream in(path);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, "old contents");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);

  write_file_atomically(path, [](std::ostream& out) { out << "new"; });
  std::ifstream in2(path);
  std::string contents2((std::istreambuf_iterator<char>(in2)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents2, "new");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace physiolite
