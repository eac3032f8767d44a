// ModelConfig validation and `--set` overrides: every error names the key.
#include "physiolite/arch/model_config.hpp"

#include <gtest/gtest.h>

#include "common/error_message.hpp"
#include "physiolite/arch/config_override.hpp"
#include "physiolite/arch/profiles.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::arch {
namespace {

using physiolite::testing::message_of;

TEST(ModelConfig, InputLengthMustDivideByThePools) {
  ModelConfig c = find_profile("uci").config;
  c.input_length = 1000;
  EXPECT_EQ(message_of<UsageError>([&] { c.validate(); }),
            "model.input_length: expected a multiple of front_pool*patch_pool*post_pool (64), "
            "got 1000");
}

TEST(ModelConfig, RequiredValuesAndNamesAreChecked) {
  EXPECT_EQ(message_of<UsageError>([] { ModelConfig{}.validate(); }),
            "model.raw_channels: expected an integer from 1 to 4096, got 0");
  ModelConfig c = find_profile("uci").config;
  c.kernel_set = {3, 4};
  EXPECT_EQ(
      message_of<UsageError>([&] { c.validate(); }),
      "model.kernel_set: expected odd kernel sizes from 1 to 255 (same-length padding), got 4");
  c = find_profile("uci").config;
  c.activation = "swish";
  EXPECT_NE(
      message_of<UsageError>([&] { c.validate(); }).find("model.activation: expected one of relu"),
      std::string::npos);
  c = find_profile("uci").config;
  c.bank_init = "pywt";
  EXPECT_EQ(message_of<UsageError>([&] { c.validate(); }),
            "model.bank_init: expected one of wavelet, random, got 'pywt'");
  for (const Profile& p : profiles()) EXPECT_NO_THROW(p.config.validate()) << p.name;
}

TEST(ModelConfig, SizesAreCappedByName) {
  // Each would otherwise reach the allocator (depth=1e9 blocks, a 1e9-sample window).
  struct Case {
    const char* assignment;
    const char* message;
  };
  const Case cases[] = {
      {"model.depth=1000000000", "model.depth: expected an integer from 0 to 64, got 1000000000"},
      {"model.input_length=100000000",
       "model.input_length: expected an integer from 1 to 65536, got 100000000"},
      {"model.embed_dim=5000", "model.embed_dim: expected an integer from 1 to 4096, got 5000"},
      {"model.bank_channels=3000", "model.bank_channels: expected bank_channels * kernels <= 4096"},
      {"model.kernel_set=3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35",
       "model.kernel_set: expected 1 to 16 kernel sizes, got 17 entries"},
      {"model.kernel_set=257", "model.kernel_set: expected odd kernel sizes from 1 to 255"},
      {"model.pos_freqs=65", "model.pos_freqs: expected an integer from 0 to 64, got 65"},
      // Three pools of 65536: their product would overflow int before the divisibility check.
      {"model.front_pool=65536", "model.input_length: expected a multiple"},
      {"model.front_pool=70000", "model.front_pool: expected an integer from 1 to 65536"},
  };
  for (const Case& k : cases) {
    ModelConfig c = find_profile("uci").config;
    apply_override(c, k.assignment);
    if (std::string(k.assignment) == "model.front_pool=65536") {
      apply_override(c, "model.patch_pool=65536");
      apply_override(c, "model.post_pool=65536");
    }
    EXPECT_NE(message_of<UsageError>([&] { c.validate(); }).find(k.message), std::string::npos)
        << k.assignment << ": " << message_of<UsageError>([&] { c.validate(); });
  }
}

TEST(ConfigOverride, LongOrControlTextIsEchoedAsAShortExcerpt) {
  ModelConfig c;
  const std::string what = message_of<UsageError>(
      [&] { apply_override(c, "model.depth=\x1b[2J" + std::string(5000, '9')); });
  EXPECT_EQ(what.find('\x1b'), std::string::npos) << what;
  EXPECT_LT(what.size(), 200u) << what;
  EXPECT_NE(what.find("(5004 bytes in all)"), std::string::npos) << what;
}

TEST(ConfigOverride, SetsTypedValues) {
  ModelConfig c = find_profile("uci").config;
  apply_override(c, "model.depth=4");
  apply_override(c, "model.kernel_set=3,5");
  apply_override(c, "model.pe_scale=0.25");
  apply_override(c, "model.activation=relu6");
  apply_override(c, "model.target=we2");
  EXPECT_EQ(c.depth, 4);
  EXPECT_EQ(c.kernel_set, (std::vector<int>{3, 5}));
  EXPECT_DOUBLE_EQ(c.pe_scale, 0.25);
  EXPECT_EQ(c.activation, "relu6");
  EXPECT_EQ(c.target, Target::kWe2);
  EXPECT_EQ(to_json(c)["kernel_set"], nlohmann::json::array({3, 5}));
  EXPECT_EQ(to_json(c)["target"], "we2");
  // A student's JSON leaves out the teacher's keys (type, heads, patch_size, mlp_ratio, dropout);
  // a teacher's has every key --set takes.
  EXPECT_EQ(override_keys().size(), to_json(c).size() + 5);
  ModelConfig teacher = c;
  teacher.type = "transformer";
  EXPECT_EQ(override_keys().size(), to_json(teacher).size());
}

TEST(ConfigOverride, ErrorsNameTheKey) {
  ModelConfig c = find_profile("uci").config;
  EXPECT_EQ(message_of<UsageError>([&] { apply_override(c, "model.depth=three"); }),
            "model.depth: expected an integer, got 'three'");
  EXPECT_EQ(message_of<UsageError>([&] { apply_override(c, "model.kernel_set=3,,5"); }),
            "model.kernel_set: expected an integer, got ''");
  EXPECT_EQ(message_of<UsageError>([&] { apply_override(c, "model.pe_scale=big"); }),
            "model.pe_scale: expected a number, got 'big'");
  EXPECT_EQ(message_of<UsageError>([&] { apply_override(c, "model.target=gpu"); }),
            "model.target: expected one of none, max78000, we2, got 'gpu'");
  EXPECT_NE(message_of<UsageError>([&] {
              apply_override(c, "model.width=3");
            }).find("--set: unknown key 'model.width' (known: model.raw_channels"),
            std::string::npos);
  EXPECT_EQ(message_of<UsageError>([&] { apply_override(c, "model.depth"); }),
            "--set: expected key=value, got 'model.depth'");
  EXPECT_EQ(c.depth, 3);  // failed overrides leave the config alone
}

TEST(Profiles, UnknownNameListsTheKnownOnes) {
  EXPECT_EQ(message_of<UsageError>([] { find_profile("mitbih"); }),
            "--profile: expected one of uci, db5, epn612, epn612_readme, ptb, cpsc, chapman, "
            "chapman_kset7, got 'mitbih'");
}

}  // namespace
}  // namespace physiolite::arch
