#include "physiolite/io/annotation.hpp"

#include <gtest/gtest.h>

#include "physiolite/core/error.hpp"

namespace physiolite::io {
namespace {

// Hand-encoded from the MIT format's definition (word = code << 10 | value, little-endian):
std::vector<uint8_t> hand_encoded() {
  return {
      0x0A, 0x04,                                     // N (1), +10            -> t = 10
      0x03, 0xF4,                                     // SUB (61) = 3
      0x14, 0x14,                                     // V (5), +20            -> t = 30
      0x01, 0xF8,                                     // CHN (62) = 1
      0x05, 0xF0,                                     // NUM (60) = 5
      0x05, 0xFC, '(',  'A',  'F',  'I',  'B', 0x00,  // AUX (63), 5 bytes + pad
      0x00, 0xEC, 0x01, 0x00, 0xA0, 0x86,             // SKIP (59): high 0x0001, low 0x86A0 = 100000
      0x02, 0x04,                                     // N, +2                 -> t = 100032
      0x00, 0x70,                                     // + (28), +0            -> t = 100032
      0x00, 0x00,                                     // end of file
  };
}

TEST(Annotations, DecodesEveryPseudoCode) {
  auto anns = parse_annotations(hand_encoded(), "x.atr");
  ASSERT_EQ(anns.size(), 4u);
  EXPECT_EQ(anns[0].sample, 10);
  EXPECT_EQ(anns[0].symbol(), "N");
  EXPECT_EQ(anns[0].subtype, 3);
  EXPECT_EQ(anns[0].chan, 0);
  EXPECT_EQ(anns[1].sample, 30);
  EXPECT_EQ(anns[1].symbol(), "V");
  EXPECT_EQ(anns[1].chan, 1);
  EXPECT_EQ(anns[1].num, 5);
  EXPECT_EQ(anns[1].aux, "(AFIB");
  EXPECT_EQ(anns[1].subtype, 0);
  EXPECT_EQ(anns[2].sample, 100032);
  EXPECT_EQ(anns[2].chan, 1);  // CHN and NUM carry over
  EXPECT_EQ(anns[2].num, 5);
  EXPECT_TRUE(anns[2].aux.empty());
  EXPECT_EQ(anns[3].symbol(), "+");
  EXPECT_EQ(anns[3].sample, 100032);
}

TEST(Annotations, FileCutMidRecordIsAnError) {
  auto bytes = hand_encoded();
  bytes.resize(bytes.size() - 2);  // drop the terminator
  try {
    parse_annotations(bytes, "cut.atr");
    FAIL();
  } catch (const InputError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("cut.atr: byte 28"), std::string::npos) << what;
    EXPECT_NE(what.find("terminator"), std::string::npos) << what;
  }
  bytes.resize(13);  // inside the AUX text
  EXPECT_THROW(parse_annotations(bytes, "cut.atr"), InputError);
  bytes = hand_encoded();
  bytes.resize(21);  // inside the SKIP interval
  EXPECT_THROW(parse_annotations(bytes, "cut.atr"), InputError);
  bytes.resize(1);  // a single byte
  EXPECT_THROW(parse_annotations(bytes, "cut.atr"), InputError);
}

TEST(Annotations, NegativeTimeFromSkipIsRejected) {
  // SKIP of -100 (0xFFFFFF9C) then N +0.
  std::vector<uint8_t> bytes = {0x00, 0xEC, 0xFF, 0xFF, 0x9C, 0xFF, 0x00, 0x04, 0x00, 0x00};
  EXPECT_THROW(parse_annotations(bytes, "neg.atr"), InputError);
}

TEST(Annotations, SymbolTableAndBeatCodes) {
  EXPECT_EQ(annotation_symbol(1), "N");
  EXPECT_EQ(annotation_symbol(12), "/");
  EXPECT_EQ(annotation_symbol(41), "r");
  EXPECT_EQ(annotation_symbol(99), "");
  EXPECT_EQ(annotation_code("V"), 5);
  EXPECT_EQ(annotation_code("nope"), -1);
  EXPECT_TRUE(is_beat_code(annotation_code("E")));
  EXPECT_TRUE(is_beat_code(annotation_code("?")));
  EXPECT_FALSE(is_beat_code(annotation_code("+")));
  EXPECT_FALSE(is_beat_code(annotation_code("~")));
}

TEST(Annotations, MissingFileIsNamed) {
  try {
    read_annotations("/nonexistent/100", "atr");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/100.atr"), std::string::npos);
  }
}

}  // namespace
}  // namespace physiolite::io
