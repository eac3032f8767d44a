// ModelConfig validation and `--set` overrides: every error names the key.
#include "physiolite/arch/model_config.hpp"

#include <gtest/gtest.h>

#include "physiolite/arch/config_override.hpp"
#include "physiolite/arch/profiles.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::arch {
namespace {

std::string usage_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no UsageError)";
}

TEST(ModelConfig, InputLengthMustDivideByThePools) {
  ModelConfig c = find_profile("uci").config;
  c.input_length = 1000;
  EXPECT_EQ(usage_error([&] { c.validate(); }),
            "model.input_length: expected a multiple of front_pool*patch_pool*post_pool (64), "
            "got 1000");
}

TEST(ModelConfig, RequiredValuesAndNamesAreChecked) {
  EXPECT_EQ(usage_error([] { ModelConfig{}.validate(); }),
            "model.raw_channels: expected an integer >= 1, got 0");
  ModelConfig c = find_profile("uci").config;
  c.kernel_set = {3, 4};
  EXPECT_EQ(usage_error([&] { c.validate(); }),
            "model.kernel_set: expected odd kernel sizes >= 1 (same-length padding), got 4");
  c = find_profile("uci").config;
  c.activation = "swish";
  EXPECT_NE(usage_error([&] { c.validate(); }).find("model.activation: expected one of relu"),
            std::string::npos);
  c = find_profile("uci").config;
  c.bank_init = "pywt";
  EXPECT_EQ(usage_error([&] { c.validate(); }),
            "model.bank_init: expected one of wavelet, random, got 'pywt'");
  for (const Profile& p : profiles()) EXPECT_NO_THROW(p.config.validate()) << p.name;
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
  EXPECT_EQ(override_keys().size(), to_json(c).size());
}

TEST(ConfigOverride, ErrorsNameTheKey) {
  ModelConfig c = find_profile("uci").config;
  EXPECT_EQ(usage_error([&] { apply_override(c, "model.depth=three"); }),
            "model.depth: expected an integer, got 'three'");
  EXPECT_EQ(usage_error([&] { apply_override(c, "model.kernel_set=3,,5"); }),
            "model.kernel_set: expected an integer, got ''");
  EXPECT_EQ(usage_error([&] { apply_override(c, "model.pe_scale=big"); }),
            "model.pe_scale: expected a number, got 'big'");
  EXPECT_EQ(usage_error([&] { apply_override(c, "model.target=gpu"); }),
            "model.target: expected one of none, max78000, we2, got 'gpu'");
  EXPECT_NE(usage_error([&] {
              apply_override(c, "model.width=3");
            }).find("--set: unknown key 'model.width' (known: model.raw_channels"),
            std::string::npos);
  EXPECT_EQ(usage_error([&] { apply_override(c, "model.depth"); }),
            "--set: expected key=value, got 'model.depth'");
  EXPECT_EQ(c.depth, 3);  // failed overrides leave the config alone
}

TEST(Profiles, UnknownNameListsTheKnownOnes) {
  EXPECT_EQ(usage_error([] { find_profile("mitbih"); }),
            "--profile: expected one of uci, db5, epn612, epn612_readme, ptb, cpsc, chapman, "
            "chapman_kset7, got 'mitbih'");
}

}  // namespace
}  // namespace physiolite::arch
