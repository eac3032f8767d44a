// The 48 shipped MIT-BIH records through our readers, against the counts published by
// de Chazal et al. 2004 and verified in shared/data/README.md.
#include <gtest/gtest.h>

#include <map>

#include "physiolite/core/data_dir.hpp"
#include "physiolite/data/aami.hpp"
#include "physiolite/io/annotation.hpp"
#include "physiolite/io/wfdb.hpp"

namespace physiolite::data {
namespace {

std::filesystem::path record_path(int record) {
  return shared_data_dir() / "mitdb" / std::to_string(record);
}

std::array<int, kNumAamiClasses> aami_counts(std::span<const int> records) {
  std::array<int, kNumAamiClasses> counts{};
  for (int r : records) {
    for (const auto& a : io::read_annotations(record_path(r))) {
      if (auto c = aami_class_of_code(a.code)) ++counts[static_cast<size_t>(*c)];
    }
  }
  return counts;
}

TEST(MitBih, AamiCountsOfDs1MatchDeChazal2004) {
  EXPECT_EQ(aami_counts(mitbih_ds1_records()), (std::array<int, 5>{45866, 944, 3788, 415, 8}));
}

TEST(MitBih, AamiCountsOfDs2MatchDeChazal2004) {
  EXPECT_EQ(aami_counts(mitbih_ds2_records()), (std::array<int, 5>{44259, 1837, 3221, 388, 7}));
}

TEST(MitBih, AnnotationTotalsMatchTheDataReadme) {
  int total = 0, beats = 0;
  std::map<std::string, int> by_symbol;
  for (int r : mitbih_all_records()) {
    for (const auto& a : io::read_annotations(record_path(r))) {
      ++total;
      beats += io::is_beat_code(a.code);
      ++by_symbol[std::string(a.symbol())];
    }
  }
  EXPECT_EQ(total, 112647);
  EXPECT_EQ(beats, 109494);
  EXPECT_EQ(by_symbol["N"], 75052);
  EXPECT_EQ(by_symbol["V"], 7130);
  EXPECT_EQ(by_symbol["/"], 7028);
  EXPECT_EQ(by_symbol["A"], 2546);
  EXPECT_EQ(by_symbol["+"], 1291);
  EXPECT_EQ(by_symbol["S"], 2);
  EXPECT_EQ(by_symbol["["], 6);
}

TEST(MitBih, EveryRecordDecodesWithMatchingChecksumsAndInitialValues) {
  for (int r : mitbih_all_records()) {
    io::WfdbRecord rec = io::read_wfdb_record(record_path(r), {.strict = true});
    EXPECT_EQ(rec.num_signals(), 2) << r;
    EXPECT_EQ(rec.num_samples(), 650000) << r;
    EXPECT_DOUBLE_EQ(rec.header.fs_hz, 360.0) << r;
  }
}

TEST(MitBih, MliiIsFoundByNameNotPosition) {
  EXPECT_EQ(io::read_wfdb_header(record_path(114)).signals[1].description, "MLII");
  io::WfdbRecord rec = io::read_wfdb_record(record_path(114), {.end_sample = 10});
  EXPECT_EQ(rec.find_signal("MLII"), 1);
  io::WfdbRecord paced = io::read_wfdb_record(record_path(102), {.end_sample = 10});
  EXPECT_EQ(paced.find_signal("MLII"), -1);
}

}  // namespace
}  // namespace physiolite::data
