// LineSink: straight through to a stream, or nothing on disk until finish() writes the file.
#include "physiolite/core/line_sink.hpp"

#include <gtest/gtest.h>

#include "common/temp_dir.hpp"

namespace physiolite {
namespace {

using testing::read_text;
using testing::TempDir;

TEST(LineSink, StreamGetsEachPieceAtOnce) {
  TempDir dir;
  std::FILE* f = std::fopen((dir / "out.txt").c_str(), "w");
  ASSERT_NE(f, nullptr);
  LineSink sink("", f);
  EXPECT_FALSE(sink.to_file());
  sink.add("a,b\n");
  // Flushed: another reader of the file sees it before finish().
  EXPECT_EQ(read_text(dir / "out.txt"), "a,b\n");
  sink.add("1,2\n");
  sink.finish();
  EXPECT_EQ(read_text(dir / "out.txt"), "a,b\n1,2\n");
  std::fclose(f);
}

TEST(LineSink, FileAppearsWholeAtFinishAndNotWithoutIt) {
  TempDir dir;
  {
    LineSink sink((dir / "beats.csv").string());
    EXPECT_TRUE(sink.to_file());
    sink.add("sample,time\n");
    sink.add("360,1.000\n");
    EXPECT_EQ(dir.file_count(), 0u) << "nothing on disk before finish()";
    sink.finish();
  }
  EXPECT_EQ(read_text(dir / "beats.csv"), "sample,time\n360,1.000\n");
  {
    LineSink abandoned((dir / "beats.csv").string());
    abandoned.add("partial\n");  // no finish(): the old file stays
  }
  EXPECT_EQ(read_text(dir / "beats.csv"), "sample,time\n360,1.000\n");
  EXPECT_EQ(dir.file_count(), 1u);
}

}  // namespace
}  // namespace physiolite
