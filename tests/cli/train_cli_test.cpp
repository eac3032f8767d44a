// Black-box tests of `physiolite train`, `eval` and `predict` on a tiny separable HDF5 problem
// (tests/golden/gen_train_cli.py), and the bad-input cases: each names the key or file and
// leaves nothing written.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "common/tiny_model_config.hpp"

namespace physiolite::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kGolden = fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / "golden";

class TrainCli : public ::testing::Test {
 protected:
  void SetUp() override {
    // `physiolite train --help` would print the top-level help and exit 0 even without the
    // subcommand, so look for it in the list of subcommands.
    if (run_physiolite("--help").out.find("\n  train ") == std::string::npos) {
      GTEST_SKIP() << "physiolite built without LibTorch";
    }
    const json config{{"data",
                       {{"dataset", "hdf5"},
                        {"train_file", (kGolden / "train_cli_train.h5").string()},
                        {"validation_file", (kGolden / "train_cli_val.h5").string()},
                        {"test_file", (kGolden / "train_cli_val.h5").string()}}},
                      {"model", tiny_model_section()},
                      {"train", tiny_train_section("macro_f1")},
                      {"run_dir", (dir_ / "run").string()}};
    write_text(dir_ / "config.json", config.dump(2));
  }

  std::string train_args(const std::string& extra = "") const {
    return "train --config " + (dir_ / "config.json").string() + " " + extra;
  }

  TempDir dir_;
};

TEST_F(TrainCli, TrainEvalPredict) {
  const CommandResult t = run_physiolite(train_args());
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("epoch   6/6"), std::string::npos) << t.out;
  const fs::path run = dir_ / "run";
  for (const char* f : {"config.json", "log.jsonl", "best.pt", "last.pt", "metrics.json",
                        "report.md", "curves.svg", "confusion_test.svg"}) {
    EXPECT_TRUE(fs::exists(run / f)) << f;
  }

  const CommandResult e = run_physiolite("eval --run " + run.string());
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.out.find("macro-F1 over slow,fast"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("confusion"), std::string::npos) << e.out;
  const json j = json::parse(read_text(run / "eval_test.json"));
  EXPECT_GE(j["accuracy"].get<double>(), 0.95) << j.dump();

  const fs::path csv = dir_ / "p.csv";
  const CommandResult p =
      run_physiolite("predict --run " + run.string() + " " +
                     (kGolden / "train_cli_val.h5").string() + " --output " + csv.string());
  ASSERT_EQ(p.exit_code, 0) << p.err;
  std::ifstream in(csv);
  std::string header, row;
  std::getline(in, header);
  EXPECT_EQ(header, "window,label,p_slow,p_fast");
  int rows = 0, correct = 0;
  while (std::getline(in, row)) {
    const bool fast = row.find(",fast,") != std::string::npos;
    correct += fast == (rows % 2 == 1);  // labels alternate slow, fast
    ++rows;
  }
  EXPECT_EQ(rows, 64);
  EXPECT_GE(correct, 61);

  // Resuming a finished run trains nothing more.
  const CommandResult again = run_physiolite(train_args("--resume"));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.find("epoch   1/6"), std::string::npos) << again.out;
}

TEST_F(TrainCli, BadConfigKeysAreNamedAndNothingIsWritten) {
  struct Case {
    std::string set, message;
  };
  const Case cases[] = {
      {"train.learning_rate=0.1", "train.learning_rate: unknown key"},
      {"train.epochs=ten", "train.epochs: expected an integer, got \"ten\""},
      {"train.batch_size=0", "train.batch_size: expected an integer >= 1, got 0"},
      {"model.front_pool=3", "model.input_length: expected a multiple"},
      {"model.num_classes=5", "model.num_classes: 5 does not match the 2 classes"},
      {"data.dataset=ptb", "data.dataset: expected one of mitbih"},
  };
  for (const Case& c : cases) {
    const CommandResult r = run_physiolite(train_args("--set " + c.set));
    EXPECT_EQ(r.exit_code, 2) << c.set << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.set << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "run")) << c.set;
  }
  const CommandResult missing =
      run_physiolite(train_args("--set data.validation_file=" + (dir_ / "none.h5").string()));
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_NE(missing.err.find("none.h5"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(dir_ / "run"));
}

TEST_F(TrainCli, NonEmptyRunDirectoryIsLeftAlone) {
  fs::create_directories(dir_ / "run");
  write_text(dir_ / "run" / "best.pt", "precious");
  const CommandResult r = run_physiolite(train_args());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not empty; use --resume"), std::string::npos) << r.err;
  EXPECT_EQ(read_text(dir_ / "run" / "best.pt"), "precious");
  EXPECT_EQ(dir_.file_count(), 2u);  // config.json and run/
}

TEST_F(TrainCli, CorruptCheckpointIsNamed) {
  fs::create_directories(dir_ / "run");
  write_text(dir_ / "run" / "best.pt", "PK\x03\x04 truncated");
  const CommandResult e = run_physiolite("eval --run " + (dir_ / "run").string());
  EXPECT_EQ(e.exit_code, 3);
  EXPECT_NE(e.err.find("best.pt"), std::string::npos) << e.err;
  EXPECT_FALSE(fs::exists(dir_ / "run" / "eval_test.json"));
  const CommandResult p = run_physiolite("predict --checkpoint " + (dir_ / "run/best.pt").string() +
                                         " x.h5 --output " + (dir_ / "p.csv").string());
  EXPECT_EQ(p.exit_code, 3);
  EXPECT_NE(p.err.find("best.pt"), std::string::npos) << p.err;
  EXPECT_FALSE(fs::exists(dir_ / "p.csv"));
  EXPECT_EQ(run_physiolite("predict --run a --checkpoint b x.h5").exit_code, 2);
}

}  // namespace
}  // namespace physiolite::testing
