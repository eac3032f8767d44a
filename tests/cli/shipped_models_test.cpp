// The models README's results rest on (models/<name>/) still load and score what they shipped
// with: `physiolite eval` on a copy of the model directory must reproduce the shipped
// eval_test.json (written when the model was trained). One model per benchmark keeps it fast.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/data_dir.hpp"

namespace physiolite::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kModels = fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / ".." / "models";

json read_json(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

void expect_reproduced(const std::string& name) {
  if (run_physiolite("--help").out.find("\n  eval ") == std::string::npos) {
    GTEST_SKIP() << "physiolite built without LibTorch";
  }
  const fs::path shipped = kModels / name;
  if (!fs::exists(shipped / "best.pt")) GTEST_SKIP() << shipped << " not shipped";
  if (!fs::is_directory(shared_data_dir())) GTEST_SKIP() << "no shared data";
  TempDir tmp;
  fs::copy_file(shipped / "best.pt", tmp / "best.pt");
  fs::copy_file(shipped / "config.json", tmp / "config.json");
  // A copy without last.pt is a shipped run: eval writes its JSON only where --output says.
  const auto r = run_physiolite("eval --run " + tmp.path().string() + " --split test --output " +
                                (tmp / "eval_test.json").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json now = read_json(tmp / "eval_test.json");
  const json then = read_json(shipped / "eval_test.json");
  EXPECT_EQ(now["num_samples"], then["num_samples"]);
  // Same CPU kind and thread count give the same confusion matrix; another vector unit may sum
  // in another order and flip a near-tie, so allow two windows to move.
  int moved = 0;
  for (size_t i = 0; i < then["confusion"].size(); ++i) {
    for (size_t j = 0; j < then["confusion"][i].size(); ++j) {
      moved += std::abs(now["confusion"][i][j].get<int>() - then["confusion"][i][j].get<int>());
    }
  }
  EXPECT_LE(moved, 4) << "confusion now " << now["confusion"] << ", shipped " << then["confusion"];
  EXPECT_NEAR(now["scored_macro_f1"].get<double>(), then["scored_macro_f1"].get<double>(), 2e-3);
}

TEST(ShippedModels, UciTinyMyoSeed1ReproducesItsTestScore) {
  expect_reproduced("uci_tinymyo-wavelet-seed1");
}

TEST(ShippedModels, UciReferenceSplitSeed1ReproducesItsTestScore) {
  expect_reproduced("uci-wavelet-seed1");
}

TEST(ShippedModels, MitBihSeed1ReproducesItsTestScore) {
  expect_reproduced("mitbih-wavelet-seed1");
}

// `predict` on a WFDB record must make the windows the model was trained on (here a 128-sample
// window, its median-beat channel and 6 RR inputs): record 100 (DS2) has 2 273 annotated beats,
// 2 239 of them N; the shipped model calls most N beats N.
TEST(ShippedModels, MitBihSeed1PredictsEveryBeatOfARecord) {
  if (run_physiolite("--help").out.find("\n  predict ") == std::string::npos) {
    GTEST_SKIP() << "physiolite built without LibTorch";
  }
  const fs::path shipped = kModels / "mitbih-wavelet-seed1";
  const fs::path record = shared_data_dir() / "mitdb" / "100";
  if (!fs::exists(shipped / "best.pt")) GTEST_SKIP() << shipped << " not shipped";
  if (!fs::exists(record.string() + ".hea")) GTEST_SKIP() << "no MIT-BIH data";
  TempDir tmp;
  const auto r = run_physiolite("predict --run " + shipped.string() + " " + record.string() +
                                " --output " + (tmp / "100.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(tmp / "100.csv");
  std::string header, row;
  std::getline(in, header);
  EXPECT_EQ(header, "index,sample,label,p_N,p_S,p_V,p_F");
  int rows = 0, normal = 0;
  while (std::getline(in, row)) {
    ++rows;
    normal += row.find(",N,") != std::string::npos;
  }
  EXPECT_EQ(rows, 2273);
  EXPECT_GE(normal, 2100) << "of 2 239 N beats";
}

// eval never rewrites a shipped run's files unless --output says where: models/ stays as shipped.
TEST(ShippedModels, EvalWritesNothingIntoAShippedRunByDefault) {
  if (run_physiolite("--help").out.find("\n  eval ") == std::string::npos) {
    GTEST_SKIP() << "physiolite built without LibTorch";
  }
  const fs::path shipped = kModels / "uci-wavelet-seed1";
  if (!fs::exists(shipped / "best.pt")) GTEST_SKIP() << shipped << " not shipped";
  if (!fs::is_directory(shared_data_dir())) GTEST_SKIP() << "no shared data";
  TempDir tmp;
  for (const char* f : {"best.pt", "config.json"}) fs::copy_file(shipped / f, tmp / f);
  const auto r = run_physiolite("eval --run " + tmp.path().string() + " --split validation");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("no last.pt (a shipped run): not writing"), std::string::npos) << r.err;
  EXPECT_EQ(tmp.file_count(), 2u);
}

}  // namespace
}  // namespace physiolite::testing
