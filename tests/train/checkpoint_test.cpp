// Corrupt, foreign and mismatched checkpoints fail with an InputError naming the file.
#include "physiolite/train/checkpoint.hpp"

#include <gtest/gtest.h>

#include "common/temp_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "train/tiny_net_config.hpp"

namespace physiolite::train {
namespace {

namespace fs = std::filesystem;

std::string load_error(const fs::path& path, model::PhysioLiteNet& net) {
  try {
    load_checkpoint(path, net, nullptr);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Checkpoint, RoundTripsWeightsAndMetaAndLeavesNoTemporaryFile) {
  testing::TempDir dir;
  model::PhysioLiteNet a(testing::tiny_net_config(16)), b(testing::tiny_net_config(16));
  save_checkpoint(dir / "c.pt", a, nullptr, {{"epoch", 3}});
  EXPECT_EQ(dir.file_count(), 1u);
  const auto meta = load_checkpoint(dir / "c.pt", b, nullptr);
  EXPECT_EQ(meta["epoch"], 3);
  EXPECT_EQ(meta["format"], kCheckpointFormat);
  for (size_t i = 0; i < a->parameters().size(); ++i) {
    EXPECT_TRUE(torch::equal(a->parameters()[i], b->parameters()[i]));
  }
}

TEST(Checkpoint, CarriesTheWeightAverageAndNamesItWhenMissing) {
  testing::TempDir dir;
  model::PhysioLiteNet net(testing::tiny_net_config(16)), average(testing::tiny_net_config(16)),
      loaded(testing::tiny_net_config(16)), loaded_average(testing::tiny_net_config(16));
  save_checkpoint(dir / "with.pt", net, nullptr, {}, &average);
  load_checkpoint(dir / "with.pt", loaded, nullptr, &loaded_average);
  for (size_t i = 0; i < net->parameters().size(); ++i) {
    EXPECT_TRUE(torch::equal(net->parameters()[i], loaded->parameters()[i]));
    EXPECT_TRUE(torch::equal(average->parameters()[i], loaded_average->parameters()[i]));
  }
  save_checkpoint(dir / "without.pt", net, nullptr, {});
  try {
    load_checkpoint(dir / "without.pt", loaded, nullptr, &loaded_average);
    FAIL() << "loaded a weight average that is not there";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("without.pt"), std::string::npos) << what;
    EXPECT_NE(what.find("average"), std::string::npos) << what;
  }
}

TEST(Checkpoint, TruncatedMissingOrForeignFilesAreNamed) {
  testing::TempDir dir;
  model::PhysioLiteNet net(testing::tiny_net_config(16));
  save_checkpoint(dir / "c.pt", net, nullptr, {});
  auto bytes = read_file_bytes(dir / "c.pt");
  bytes.resize(bytes.size() / 2);
  testing::write_bytes(dir / "cut.pt", bytes);
  EXPECT_NE(load_error(dir / "cut.pt", net).find("cut.pt"), std::string::npos);
  testing::write_text(dir / "text.pt", "not a checkpoint");
  EXPECT_NE(load_error(dir / "text.pt", net).find("text.pt"), std::string::npos);
  EXPECT_NE(load_error(dir / "none.pt", net).find("none.pt"), std::string::npos);
  EXPECT_THROW(read_checkpoint_meta(dir / "cut.pt"), InputError);
}

TEST(Checkpoint, AnotherArchitectureNamesTheFileAndTheTensor) {
  testing::TempDir dir;
  model::PhysioLiteNet small(testing::tiny_net_config(16)), wide(testing::tiny_net_config(24));
  save_checkpoint(dir / "small.pt", small, nullptr, {});
  const std::string what = load_error(dir / "small.pt", wide);
  EXPECT_NE(what.find("small.pt"), std::string::npos) << what;
  EXPECT_NE(what.find("model.patch.proj.weight"), std::string::npos) << what;
  EXPECT_NE(what.find("expected shape [24, 4, 3], got '[16, 4, 3]'"), std::string::npos) << what;
}

}  // namespace
}  // namespace physiolite::train
