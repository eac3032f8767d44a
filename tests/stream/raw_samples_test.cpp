// Hostile text streams for `detect -`: CR-only line ends and input without any line break.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "physiolite/stream/raw_samples.hpp"

namespace physiolite::stream {
namespace {

std::vector<float> read_all(const std::string& text, std::vector<std::string>* messages) {
  std::istringstream in(text);
  RawSampleReader reader(in, RawFormat::kText, "stdin",
                         [&](const std::string& m) { messages->push_back(m); });
  std::vector<float> got;
  float x;
  while (reader.next(x)) got.push_back(x);
  return got;
}

TEST(RawSampleReader, CrOnlyCrLfAndLfLineEndsGiveTheSameSamples) {
  std::vector<std::string> messages;
  const std::vector<float> expected{1.0f, 2.5f, -3.0f};
  EXPECT_EQ(read_all("1\r2.5\r-3\r", &messages), expected);
  EXPECT_EQ(read_all("1\r\n2.5\r\n-3\r\n", &messages), expected);
  EXPECT_EQ(read_all("1\n2.5\n-3", &messages), expected);
  EXPECT_TRUE(messages.empty());
  // "\r\r" is an empty line (a bad sample), not one line end.
  const auto got = read_all("1\r\r2", &messages);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(std::isnan(got[1]));
  EXPECT_EQ(messages.size(), 1u);
}

TEST(RawSampleReader, EndlessLineIsCappedReportedAndSkipped) {
  // 10 MB of digits without a line break, then a good line: one bad sample, bounded memory.
  std::string text(10'000'000, '7');
  text += "\n5\n";
  std::vector<std::string> messages;
  const auto got = read_all(text, &messages);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(std::isnan(got[0]));
  EXPECT_EQ(got[1], 5.0f);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0], "stdin:1: field 'sample': expected a line of at most 256 bytes, got '" +
                             std::string(40, '7') + "...'");
}

TEST(RawSampleReader, ControlBytesAreEscapedInMessages) {
  std::vector<std::string> messages;
  read_all("\x1b]0;title\x07\n", &messages);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0],
            "stdin:1: field 'sample': expected a finite number, got '\\x1b]0;title\\x07'");
}

}  // namespace
}  // namespace physiolite::stream
