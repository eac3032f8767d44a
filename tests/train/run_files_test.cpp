// The run directory's guards: a shipped model is never trained over, --resume needs last.pt and
// the same config, and eval refuses a checkpoint of another run. Torch-free calls on files made
// by hand.
#include "physiolite/train/run_files.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "common/error_message.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/train/evaluation.hpp"

namespace physiolite::train {
namespace {

using physiolite::testing::message_of;

namespace fs = std::filesystem;
using nlohmann::json;
using testing::TempDir;
using testing::write_text;

const json kConfig = {{"model", {{"depth", 3}}}, {"train", {{"lr", 0.001}}}};

TEST(RunDir, AShippedModelIsNeverTrainedOver) {
  TempDir dir;
  fs::create_directories(dir / "m");
  for (const char* f : {"README.md", "best.pt", "config.json"}) write_text(dir / "m" / f, "x");
  for (const auto& [resume, force] : {std::pair{false, false}, {true, false}, {false, true}}) {
    EXPECT_NE(message_of<UsageError>([&] {
                prepare_run_dir(dir / "m", kConfig, resume, force);
              }).find("holds a shipped model"),
              std::string::npos);
  }
  EXPECT_TRUE(fs::exists(dir / "m" / "best.pt"));
}

TEST(RunDir, ResumeNeedsLastPtAndTheSameConfig) {
  TempDir dir;
  fs::create_directories(dir / "r");
  write_text(dir / "r" / "best.pt", "x");
  write_text(dir / "r" / "config.json", kConfig.dump());
  EXPECT_NE(message_of<UsageError>([&] {
              prepare_run_dir(dir / "r", kConfig, true, false);
            }).find("has files but no last.pt, so there is nothing to resume"),
            std::string::npos);
  write_text(dir / "r" / "last.pt", "x");
  EXPECT_TRUE(prepare_run_dir(dir / "r", kConfig, true, false));
  json other = kConfig;
  other["model"]["depth"] = 4;
  EXPECT_NE(message_of<UsageError>([&] {
              prepare_run_dir(dir / "r", other, true, false);
            }).find("first difference: model.depth"),
            std::string::npos);
  // A setting the run's config.json predates is named as a missing key, not a differing value.
  other = kConfig;
  other["data"]["causal"] = true;
  EXPECT_NE(message_of<UsageError>([&] {
              prepare_run_dir(dir / "r", other, true, false);
            }).find("first difference: data (present in one config only)"),
            std::string::npos);
  // A config.json nested 70000 levels deep is bad data, not a crash.
  write_text(dir / "r" / "config.json", std::string(70000, '[') + std::string(70000, ']'));
  EXPECT_THROW(prepare_run_dir(dir / "r", kConfig, true, false), InputError);
  // A missing or empty directory is a new run either way.
  EXPECT_FALSE(prepare_run_dir(dir / "new", kConfig, true, false));
}

TEST(RunDir, EvalRefusesACheckpointOfAnotherRun) {
  TempDir dir;
  write_text(dir / "config.json", kConfig.dump());
  TrainedModel m;
  m.checkpoint = dir / "other.pt";
  m.meta = {{"config", kConfig}};
  EXPECT_NO_THROW(check_checkpoint_matches_run(m, dir.path()));
  m.meta["config"]["model"]["depth"] = 5;
  EXPECT_NE(message_of<UsageError>([&] { check_checkpoint_matches_run(m, dir.path()); })
                .find("its model differs from the run's " + (dir / "config.json").string() +
                      " (first difference: model.depth)"),
            std::string::npos);
}

}  // namespace
}  // namespace physiolite::train
