// Readers of the reference datasets' files on the scipy/json-written fixtures of
// tests/golden/datasets/ (tests/golden/gen_datasets.py), and their errors on damaged copies.
#include <gtest/gtest.h>

#include <fstream>

#include "common/error_message.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/data/benchmark.hpp"
#include "physiolite/io/challenge_record.hpp"
#include "physiolite/io/epn612.hpp"
#include "physiolite/io/mat_file.hpp"
#include "physiolite/io/ninapro.hpp"
#include "physiolite/io/ptbxl.hpp"

namespace physiolite::io {
namespace {

namespace fs = std::filesystem;
using physiolite::testing::message_of;
using physiolite::testing::TempDir;
using physiolite::testing::write_bytes;
using physiolite::testing::write_text;

const fs::path kData = fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / "golden" / "datasets";

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(MatFile, Level4ValMatchesTheWfdbHeadersInitialValues) {
  // scipy.io.savemat(format='4') of int16 `val`, 12 x 170; the header lists each lead's first
  // sample and its 16-bit checksum, computed by the generator from the same matrix.
  const fs::path hea = kData / "cpsc2018/g1/A0001.hea";
  const MatFile file = read_mat_file(kData / "cpsc2018/g1/A0001.mat");
  EXPECT_EQ(file.level, 4);
  const MatArray& val = require_mat_array(file, "val", "A0001.mat");
  ASSERT_EQ(val.rows, 12);
  ASSERT_EQ(val.cols, 170);
  const WfdbHeader header = read_wfdb_header(kData / "cpsc2018/g1/A0001");
  EXPECT_EQ(header.signals[0].byte_offset, 24);  // the level-4 header and the name "val"
  for (int lead = 0; lead < 12; ++lead) {
    EXPECT_EQ(val.at(lead, 0), header.signals[static_cast<size_t>(lead)].initial_value.value());
    int sum = 0;
    for (int64_t s = 0; s < val.cols; ++s) sum += static_cast<int>(val.at(lead, s));
    EXPECT_EQ(static_cast<int16_t>(sum & 0xFFFF),
              header.signals[static_cast<size_t>(lead)].checksum.value());
  }
}

TEST(MatFile, Level5CompressedNinaproFile) {
  const MatFile file = read_mat_file(kData / "ninapro-db5/s1/S1_E2_A1.mat");
  EXPECT_EQ(file.level, 5);
  const MatArray* exercise = file.find("exercise");
  ASSERT_NE(exercise, nullptr);
  EXPECT_EQ(exercise->rows, 1);
  EXPECT_EQ(exercise->values, std::vector<double>{2.0});
  EXPECT_EQ(file.find("emg")->cols, 16);
  EXPECT_EQ(file.find("restimulus")->rows, file.find("emg")->rows);
  // The string `info` is not a numeric matrix: listed as skipped, never returned.
  EXPECT_EQ(file.find("info"), nullptr);
  EXPECT_NE(std::find(file.skipped.begin(), file.skipped.end(), "info"), file.skipped.end());
  // Only the wanted variables are decoded.
  EXPECT_EQ(read_mat_file(kData / "ninapro-db5/s1/S1_E2_A1.mat", {"rerepetition"}).arrays.size(),
            1u);
}

TEST(MatFile, TruncatedFilesNameTheFileAndTheVariable) {
  TempDir dir;
  auto v4 = read_file_bytes(kData / "cpsc2018/g1/A0001.mat");
  v4.resize(v4.size() - 10);
  write_bytes(dir / "short4.mat", v4);
  std::string msg = message_of<InputError>([&] { read_mat_file(dir / "short4.mat"); });
  expect_contains(msg, "short4.mat: byte 24: field 'val'");
  expect_contains(msg, "truncated");
  auto v5 = read_file_bytes(kData / "ninapro-db5/s1/S1_E1_A1.mat");
  v5.resize(v5.size() / 2);
  write_bytes(dir / "short5.mat", v5);
  msg = message_of<InputError>([&] { read_mat_file(dir / "short5.mat"); });
  expect_contains(msg, "short5.mat: byte");
  expect_contains(msg, "truncated");
  write_text(dir / "text.mat", "hello, not a mat file");
  expect_contains(message_of<InputError>([&] { read_mat_file(dir / "text.mat"); }),
                  "field 'header'");
  // A missing variable names the variable and what the file has.
  msg = message_of<InputError>([&] {
    require_mat_array(read_mat_file(kData / "cpsc2018/g1/A0001.mat"), "emg", "A0001.mat");
  });
  expect_contains(msg, "A0001.mat: field 'emg'");
  expect_contains(msg, "variables val");
}

TEST(Ptbxl, ScpCodesDicts) {
  auto codes = parse_scp_codes("{'IMI': 80.0, 'LVH': 100.0}", "x");
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[1].first, "LVH");
  EXPECT_EQ(codes[1].second, 100.0);
  EXPECT_TRUE(parse_scp_codes("{}", "x").empty());
  expect_contains(message_of<InputError>([] { parse_scp_codes("{'NORM' 100.0}", "db.csv:4"); }),
                  "db.csv:4: field 'scp_codes'");
  expect_contains(message_of<InputError>([] { parse_scp_codes("{'NORM': high}", "db.csv:4"); }),
                  "a number after NORM");
}

TEST(Ptbxl, DatabaseRowsInFileOrderWithQuotedFields) {
  const auto rows = read_ptbxl_database(kData / "ptb-xl/ptbxl_database.csv");
  ASSERT_EQ(rows.size(), 9u);
  EXPECT_EQ(rows[1].ecg_id, 2);
  EXPECT_EQ(rows[1].strat_fold, 3);
  EXPECT_EQ(rows[1].filename_hr, "records500/00000/00002_hr");
  const auto statements = read_scp_statements(kData / "ptb-xl/scp_statements.csv");
  EXPECT_EQ(statements.codes.size(), 7u);
  EXPECT_EQ(statements.diagnostic_class.size(), 5u);  // PVC and SR are not diagnostic
  EXPECT_EQ(statements.diagnostic_class.at("CLBBB"), "CD");
}

// A copy of one fixture dataset folder to damage.
fs::path copy_dataset(const TempDir& dir, const std::string& folder) {
  fs::copy(kData / folder, dir / folder, fs::copy_options::recursive);
  return dir / folder;
}

TEST(Ptbxl, MissingColumnAndUnknownCodeAreNamed) {
  TempDir dir;
  const fs::path d = copy_dataset(dir, "ptb-xl");
  const std::string csv = read_text_file(d / "ptbxl_database.csv");
  write_text(d / "ptbxl_database.csv", replace(csv, "strat_fold", "fold"));
  std::string msg = message_of<InputError>([&] { read_ptbxl_database(d / "ptbxl_database.csv"); });
  expect_contains(msg, "ptbxl_database.csv:1: field 'strat_fold': expected a column named");
  write_text(d / "ptbxl_database.csv", replace(csv, "'CLBBB': 90.0", "'XYZ': 90.0"));
  data::Benchmark b("ptbxl", dir.path());
  b.set_options({{"window_length", 64}, {"stride", 32}});
  msg = message_of<InputError>([&] { b.build(data::Split::kTrain); });
  expect_contains(msg, "ptbxl_database.csv:8: field 'scp_codes': expected codes listed in");
  expect_contains(msg, "got 'XYZ'");
}

TEST(Challenge, HeaderWithoutDxIsNamed) {
  TempDir dir;
  const fs::path d = copy_dataset(dir, "cpsc2018");
  const std::string hea = read_text_file(d / "g1/A0003.hea");
  write_text(d / "g1/A0003.hea", replace(hea, "#Dx: ", "#Diagnosis: "));
  data::Benchmark b("cpsc", dir.path());
  const std::string msg = message_of<InputError>([&] { b.build(data::Split::kTest); });
  expect_contains(msg, "A0003.hea: field '#Dx'");
}

TEST(Challenge, TruncatedMatInADatasetNamesTheFile) {
  TempDir dir;
  const fs::path d = copy_dataset(dir, "chapman");
  auto bytes = read_file_bytes(d / "WFDBRecords/01/011/JS00007.mat");
  bytes.resize(100);
  write_bytes(d / "WFDBRecords/01/011/JS00007.mat", bytes);
  data::Benchmark b("chapman", dir.path());
  b.set_options({{"window_length", 64}, {"stride", 32}});
  std::string msg;
  for (auto split : data::kAllSplits) {
    msg += message_of<InputError>([&] { b.build(split); });
  }
  expect_contains(msg, "JS00007.mat: byte 24: field 'val'");
}

TEST(Ninapro, MissingExerciseFileIsNamed) {
  TempDir dir;
  const fs::path d = copy_dataset(dir, "ninapro-db5");
  fs::remove(d / "s2/S2_E3_A1.mat");
  expect_contains(message_of<InputError>([&] { list_ninapro_db5(d); }),
                  "S2_E3_A1.mat: field 'file': expected exercise 3 of subject 2");
}

TEST(Epn612, NotTheSchemaUnknownGestureAndMissingSplit) {
  expect_contains(message_of<InputError>([] { parse_epn612_user("{\"foo\": 1}", "user5.json"); }),
                  "user5.json: field 'trainingSamples'");
  expect_contains(message_of<InputError>([] { parse_epn612_user("[1, 2", "user5.json"); }),
                  "expected a JSON document");
  expect_contains(
      message_of<InputError>([] {
        parse_epn612_user(
            R"({"trainingSamples": {"idx_1": {"gestureName": "fist", "emg": {"ch1": [1, "x"]}}},
                "testingSamples": {}})",
            "user5.json");
      }),
      "field 'trainingSamples.idx_1.emg.ch1': expected numbers");
  TempDir dir;
  const fs::path d = copy_dataset(dir, "emg-epn-612");
  const fs::path user = d / "trainingJSON/user2/user2.json";
  write_text(user, replace(read_text_file(user), "\"waveIn\"", "\"thumbsUp\""));
  data::Benchmark b("epn612", dir.path());
  std::string msg = message_of<InputError>([&] { b.build(data::Split::kTrain); });
  expect_contains(msg, "user2.json: field 'trainingSamples.idx_");
  expect_contains(msg, ".gestureName': expected noGesture, waveIn");
  fs::remove_all(d / "testingJSON");
  msg = message_of<InputError>([&] { b.build(data::Split::kTest); });
  expect_contains(msg, "testingJSON: field 'folder'");
}

}  // namespace
}  // namespace physiolite::io
