// Black-box tests of `physiolite quantize` and `physiolite eval --int8` on a tiny run trained on
// the separable HDF5 problem of tests/golden/gen_train_cli.py, and their bad-input cases.
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

// One trained run for the whole suite (training takes a few seconds).
class QuantizeCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (run_physiolite("--help").out.find("\n  quantize ") == std::string::npos) return;
    dir_ = new TempDir;
    // The training tests' tiny network with all three bank branches (the stacked RF7 too).
    json model = tiny_model_section();
    model["kernel_set"] = {3, 5, 7};
    const json config{{"data",
                       {{"dataset", "hdf5"},
                        {"train_file", (kGolden / "train_cli_train.h5").string()},
                        {"validation_file", (kGolden / "train_cli_val.h5").string()},
                        {"test_file", (kGolden / "train_cli_val.h5").string()}}},
                      {"model", model},
                      {"train", tiny_train_section("macro_f1")},
                      {"run_dir", (*dir_ / "run").string()}};
    write_text(*dir_ / "config.json", config.dump(2));
    const CommandResult t = run_physiolite("train --config " + (*dir_ / "config.json").string());
    trained_ = t.exit_code == 0;
    if (!trained_) std::cerr << t.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (dir_ == nullptr) GTEST_SKIP() << "physiolite built without LibTorch";
    ASSERT_TRUE(trained_);
  }
  static std::string run() { return (*dir_ / "run").string(); }
  static fs::path path(const std::string& name) { return *dir_ / name; }

  static TempDir* dir_;
  static bool trained_;
};

TempDir* QuantizeCli::dir_ = nullptr;
bool QuantizeCli::trained_ = false;

TEST_F(QuantizeCli, BothSchemesWriteAModelThatTheRuntimeRunsBitExactly) {
  for (const std::string scheme : {"max78000", "tflite"}) {
    const fs::path model = path(scheme + ".plq");
    const CommandResult q =
        run_physiolite("quantize --run " + run() + " --scheme " + scheme + " -o " + model.string() +
                       " --c-array " + path("c-" + scheme).string());
    ASSERT_EQ(q.exit_code, 0) << q.err;
    EXPECT_NE(q.out.find("float acc"), std::string::npos) << q.out;
    EXPECT_NE(q.out.find("per-class F1 (test, float -> int8): slow"), std::string::npos) << q.out;
    ASSERT_TRUE(fs::exists(model));
    EXPECT_EQ(read_text(model).substr(0, 4), "PLQM");
    const json j = json::parse(read_text(model.string() + ".json"));
    EXPECT_EQ(j["scheme"], scheme);
    // The shipped recipe's calibration by default (not a MIT-BIH run: P 99.9 for both schemes).
    EXPECT_EQ(j["calibration"]["method"], "percentile");
    EXPECT_EQ(j["calibration"]["percentile"], 99.9);
    EXPECT_GE(j["int8"]["test"]["accuracy"].get<double>(), 0.9) << j["int8"].dump();
    EXPECT_GE(j["float"]["validation"]["accuracy"].get<double>(), 0.9);
    EXPECT_GT(j["weight_bytes"].get<int64_t>(), 0);
    EXPECT_TRUE(j["max78000"]["arena_fits"].get<bool>());
    // --c-array created its directory and wrote what runtime/examples/classify.c includes.
    const std::string source = read_text(path("c-" + scheme) / (scheme + ".c"));
    EXPECT_NE(source.find("const uint8_t " + scheme + "["), std::string::npos);
    const std::string header = read_text(path("c-" + scheme) / (scheme + ".h"));
    for (const char* macro : {"_ARENA_SIZE", "_INPUT_CHANNELS", "_INPUT_LENGTH", "_NUM_CLASSES"}) {
      EXPECT_NE(header.find(macro), std::string::npos) << macro << "\n" << header;
    }

    const CommandResult e =
        run_physiolite("eval --run " + run() + " --int8 " + model.string() + " --check-exact");
    ASSERT_EQ(e.exit_code, 0) << e.err;
    EXPECT_NE(e.out.find("bit-exact: runtime optimised = runtime reference = LibTorch integer "
                         "graph on all 64 windows"),
              std::string::npos)
        << e.out;
    // Named after the model file, beside it.
    const json ej = json::parse(read_text(path("eval_test_" + scheme + ".json")));
    // The runtime scores what quantize's integer graph scored.
    EXPECT_EQ(ej["accuracy"], j["int8"]["test"]["accuracy"]);
  }
}

TEST_F(QuantizeCli, PercentileCalibrationAndPoolRounding) {
  const CommandResult q =
      run_physiolite("quantize --run " + run() +
                     " --scheme max78000 --calibration percentile --percentile 99.9 "
                     "--calibration-windows 50 --pool-rounding half-up -o " +
                     path("p.plq").string());
  ASSERT_EQ(q.exit_code, 0) << q.err;
  const json j = json::parse(read_text(path("p.plq.json")));
  EXPECT_EQ(j["calibration"]["method"], "percentile");
  EXPECT_EQ(j["calibration"]["percentile"], 99.9);
  EXPECT_EQ(j["calibration"]["windows"], 50);
  EXPECT_EQ(j["pool_rounding"], "half-up");
}

TEST_F(QuantizeCli, BadFlagsAreUsageErrorsAndWriteNothing) {
  struct Case {
    std::string args, message;
  };
  const Case cases[] = {
      {"--scheme tpu", "--scheme: expected max78000 or tflite, got 'tpu'"},
      {"--scheme tflite --calibration mse", "--calibration: expected minmax or percentile"},
      {"--scheme tflite --calibration percentile --percentile 40", "--percentile: expected"},
      {"--scheme tflite --calibration-windows 0", "--calibration-windows: expected >= 1"},
      {"--scheme tflite --qat -1", "--qat: expected epochs >= 0"},
      {"--scheme tflite --qat 1 --qat-ranges learned", "--qat-ranges: expected frozen or ema"},
      {"--scheme tflite --pool-rounding half-up", "--pool-rounding half-up: only the max78000"},
      {"--scheme max78000 --pool-rounding up",
       "--pool-rounding: expected truncate, floor or half-up"},
  };
  for (const Case& c : cases) {
    const CommandResult r = run_physiolite("quantize --run " + run() + " " + c.args + " -o " +
                                           path("bad.plq").string());
    EXPECT_EQ(r.exit_code, 2) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    EXPECT_FALSE(fs::exists(path("bad.plq"))) << c.args;
  }
  const CommandResult no_run = run_physiolite("quantize --run " + path("none").string() +
                                              " --scheme tflite -o " + path("bad.plq").string());
  EXPECT_EQ(no_run.exit_code, 2) << no_run.err;
  const CommandResult no_scheme = run_physiolite("quantize --run " + run() + " -o x.plq");
  EXPECT_NE(no_scheme.exit_code, 0);  // CLI11's own exit code for a missing option
  EXPECT_NE(no_scheme.err.find("--scheme is required"), std::string::npos) << no_scheme.err;
}

TEST_F(QuantizeCli, EvalRefusesMissingCorruptAndForeignModels) {
  ASSERT_EQ(
      run_physiolite("quantize --run " + run() + " --scheme tflite -o " + path("good.plq").string())
          .exit_code,
      0);
  const std::string good = read_text(path("good.plq"));
  auto eval = [&](const fs::path& model) {
    return run_physiolite("eval --run " + run() + " --int8 " + model.string());
  };
  // Missing file.
  CommandResult r = eval(path("none.plq"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("none.plq"), std::string::npos) << r.err;
  // Truncated, wrong magic, a flipped byte: the runtime verifier's reason with the file name.
  struct Case {
    std::string name, bytes, reason;
  };
  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x40;
  const Case cases[] = {{"truncated.plq", good.substr(0, good.size() - 7), "file_size"},
                        {"magic.plq", "XLQM" + good.substr(4), "magic"},
                        {"crc.plq", flipped, "crc32"}};
  for (const Case& c : cases) {
    write_text(path(c.name), c.bytes);
    r = eval(path(c.name));
    EXPECT_EQ(r.exit_code, 3) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.name), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.reason), std::string::npos) << c.name << ": " << r.err;
  }
  // --check-exact without a model.
  EXPECT_EQ(run_physiolite("eval --run " + run() + " --check-exact").exit_code, 2);
}

TEST_F(QuantizeCli, EvalRefusesAModelOfAnotherInputShape) {
  // A run whose model takes 4 positional channels more: its .plq does not fit this run's data.
  json config = json::parse(read_text(path("config.json")));
  config["model"]["pos_freqs"] = 4;
  config["train"]["epochs"] = 1;
  config["run_dir"] = path("other").string();
  write_text(path("other.json"), config.dump(2));
  ASSERT_EQ(run_physiolite("train --config " + path("other.json").string()).exit_code, 0);
  ASSERT_EQ(run_physiolite("quantize --run " + path("other").string() + " --scheme max78000 -o " +
                           path("other.plq").string())
                .exit_code,
            0);
  const CommandResult r =
      run_physiolite("eval --run " + run() + " --int8 " + path("other.plq").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("the model file takes input [9 x 64], but the run's windows give [5 x 64]"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace physiolite::testing
