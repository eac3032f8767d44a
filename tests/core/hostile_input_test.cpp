// Bounded reads, bounded JSON and short escaped excerpts: what every reader relies on when the
// input is hostile (a device, a FIFO, a huge or deeply nested file, terminal escape sequences).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <functional>
#include <string>

#include "common/error_message.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/core/json_text.hpp"

namespace physiolite {
namespace {

using testing::message_of;
using testing::TempDir;
using testing::write_text;

TEST(Excerpt, EscapesControlBytesAndCutsLongText) {
  EXPECT_EQ(excerpt("abc"), "abc");
  EXPECT_EQ(excerpt("\x1b[2J\x07"), "\\x1b[2J\\x07");
  // UTF-8 letters stay; the C1 control U+009B (CSI, "\xc2\x9b") does not.
  EXPECT_EQ(excerpt("\xc2\xb5V \xc2\x9b"), "\xc2\xb5V \\xc2\\x9b");
  const std::string big(1000, 'x');
  EXPECT_EQ(excerpt(big), std::string(80, 'x') + "... (1000 bytes in all)");
  EXPECT_EQ(escape_controls(big), big);
}

TEST(Excerpt, InputErrorQuotesOnlyAnExcerpt) {
  const InputError e(InputLocation::at_line("x.hea", 1), "format", "16",
                     "\x1b]0;owned\x07" + std::string(500, 'y'));
  const std::string what = e.what();
  EXPECT_EQ(what.find('\x1b'), std::string::npos) << what;
  EXPECT_LT(what.size(), 200u) << what;
  EXPECT_NE(what.find("\\x1b]0;owned\\x07yyy"), std::string::npos) << what;
  EXPECT_NE(what.find("(510 bytes in all)"), std::string::npos) << what;
  EXPECT_EQ(e.found().size(), 510u);  // the caller still gets everything
}

TEST(BoundedRead, RefusesDevicesFifosAndDirectories) {
  TempDir dir;
  EXPECT_NE(message_of([] { read_file_bytes("/dev/zero"); })
                .find("expected a regular file, got "
                      "'a character device'"),
            std::string::npos);
  const auto fifo = dir / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // No writer ever opens the FIFO: the read must not hang.
  EXPECT_NE(message_of([&] { read_text_file(fifo); }).find("got 'a FIFO (pipe)'"),
            std::string::npos);
  EXPECT_NE(message_of([&] { read_text_file(dir.path()); }).find("got 'a directory'"),
            std::string::npos);
  EXPECT_NE(message_of([&] { read_text_file(dir / "none"); }).find("No such file"),
            std::string::npos);
}

TEST(BoundedRead, RefusesAFileAboveTheCapAndReadsAPrefix) {
  TempDir dir;
  write_text(dir / "f.txt", "0123456789");
  EXPECT_EQ(read_text_file(dir / "f.txt", 10), "0123456789");
  EXPECT_EQ(message_of([&] { read_text_file(dir / "f.txt", 9); }),
            (dir / "f.txt").string() +
                ": field 'file size': expected at most 9 bytes, got '10 "
                "bytes'");
  EXPECT_EQ(read_file_prefix(dir / "f.txt", 4), (std::vector<uint8_t>{'0', '1', '2', '3'}));
  EXPECT_EQ(read_file_prefix(dir / "f.txt", 100).size(), 10u);
  EXPECT_THROW(read_file_prefix("/dev/zero", 4), InputError);
}

std::string nested(int levels) { return std::string(levels, '[') + std::string(levels, ']'); }

TEST(BoundedJson, DeepNestingIsRefusedBeforeParsingWithAShortMessage) {
  EXPECT_EQ(parse_json_text(nested(kMaxJsonDepth), "c.json", "config").size(), 1u);
  const std::string deep = nested(70000);
  const std::string what = message_of([&] { parse_json_text(deep, "c.json", "config"); });
  // Byte 64 opens level 65.
  EXPECT_TRUE(what.starts_with(
      "c.json: byte 64: field 'config': expected JSON nested at most 64 levels deep, got '[[["))
      << what;
  EXPECT_LT(what.size(), 250u) << what;
  // Brackets inside strings do not count.
  const std::string quoted = "{\"a\": \"" + std::string(100, '[') + "\"}";
  EXPECT_EQ(parse_json_text(quoted, "c.json", "config")["a"].get<std::string>().size(), 100u);
  EXPECT_THROW(try_parse_json_value(deep, "--set train.lr"), UsageError);
}

TEST(BoundedJson, SyntaxErrorsNameTheByte) {
  EXPECT_EQ(message_of([] { parse_json_text("{\"a\": 1,, }", "c.json", "config"); }),
            "c.json: byte 8: field 'config': expected a JSON document, got ', }'");
  EXPECT_FALSE(try_parse_json_value("mitbih", "--set data.dataset").has_value());
  EXPECT_EQ(try_parse_json_value("[1, 2]", "--set x")->size(), 2u);
}

// 1E400 overflows a double; nlohmann reports it as out_of_range, not parse_error (found by the
// json_config fuzz target).
TEST(BoundedJson, NumberOverflowIsAnInputError) {
  EXPECT_EQ(
      message_of([] { parse_json_text("{\"lr\": 1E400}", "c.json", "config"); }),
      "c.json: field 'config': expected JSON numbers that fit a double, got '{\"lr\": 1E400}'");
  EXPECT_FALSE(try_parse_json_value("1E400", "--set train.lr").has_value());
}

}  // namespace
}  // namespace physiolite
