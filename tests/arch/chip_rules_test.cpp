// Chip rules of docs/chip_rules.md on the shipped profiles and on deliberately bad variants.
#include "physiolite/arch/chip_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "physiolite/arch/profiles.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::arch {
namespace {

ModelConfig uci() { return find_profile("uci").config; }

std::vector<RuleViolation> check(const ModelConfig& c, Target t) {
  return check_chip_rules(describe_layers(c), t);
}

std::vector<RuleViolation> errors_of(const std::vector<RuleViolation>& all) {
  std::vector<RuleViolation> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [](const RuleViolation& v) { return v.severity == Severity::kError; });
  return out;
}

// The violation of `rule` at `layer`; fails the test if there is none.
RuleViolation find(const std::vector<RuleViolation>& all, const std::string& rule,
                   const std::string& layer) {
  for (const RuleViolation& v : all) {
    if (v.rule == rule && v.layer == layer) return v;
  }
  ADD_FAILURE() << "no " << rule << " at " << layer;
  return {};
}

TEST(ChipRules, UciFitsMax78000WithOnlyTheReadme1023Warning) {
  const auto all = check(uci(), Target::kMax78000);
  EXPECT_TRUE(errors_of(all).empty()) << format_violation(errors_of(all).front());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].rule, "max78000.dims_readme");
  EXPECT_EQ(all[0].layer, "bank.front_pool");
  EXPECT_EQ(all[0].value, "1024");
  EXPECT_EQ(all[0].severity, Severity::kWarning);
}

TEST(ChipRules, UciUsageOnMax78000) {
  const Max78000Usage u = max78000_usage(describe_layers(uci()));
  EXPECT_EQ(u.layers,
            22);  // docs/chip_rules.md: 1 stem + 5 bank + 1 patch + 3 x 4 + barrier + 2 head
  EXPECT_EQ(u.weight_bytes, 310976);
  // Columns by hand (ceil(ceil(Cin/64)*Cout*k/9) rounded up to 4): stem 24/9->4, k3 48/9->8,
  // k5 80/9->12, c1 8, c2 8, c3 8, patch 768/9->88, blocks 3 x (32+24+32), barrier 1024/9->116,
  // head_proj 116, classifier 24/9->4.
  EXPECT_EQ(u.weight_columns, 4 + 8 + 12 + 8 + 8 + 8 + 88 + 3 * 88 + 116 + 116 + 4);
  // Largest live set: a residual add with its two operands and its output, 256 x 64 each.
  EXPECT_EQ(u.peak_data_bytes, 3 * 256 * 64);
}

TEST(ChipRules, EcgLength2048BreaksTheMax78000DimensionLimit) {
  const auto errors = errors_of(check(find_profile("ptb").config, Target::kMax78000));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rule, "max78000.dims");
  EXPECT_EQ(errors[0].layer, "bank.front_pool");
  EXPECT_EQ(errors[0].value, "2048");
  EXPECT_EQ(errors[0].limit, "<= 1024");
}

TEST(ChipRules, ShippedProfilesHaveNoWe2ErrorsOnlyVela3StrideWarnings) {
  for (const Profile& p : profiles()) {
    const auto all = check(p.config, Target::kWe2);
    EXPECT_TRUE(errors_of(all).empty()) << p.name << ": " << format_violation(all.front());
    for (const RuleViolation& v : all) EXPECT_EQ(v.rule, "we2.avgpool.stride_vela3") << p.name;
  }
  const auto uci_we2 = check(uci(), Target::kWe2);
  ASSERT_EQ(uci_we2.size(), 3u);  // the three stride-4 pools; the head's stride-1 gap is fine
  EXPECT_EQ(uci_we2[0].layer, "bank.front_pool");
  EXPECT_EQ(uci_we2[0].value, "4");
}

TEST(ChipRules, Kernel11) {
  ModelConfig c = uci();
  c.kernel_set = {3, 5, 11};
  const auto all = check(c, Target::kMax78000);
  EXPECT_EQ(find(all, "max78000.conv1d.kernel", "bank.branches[2]").value, "11");
  EXPECT_EQ(find(all, "max78000.conv1d.kernel", "bank.branches[2]").limit, "1..9");
  EXPECT_EQ(find(all, "max78000.conv.padding", "bank.branches[2]").value, "5");
  EXPECT_TRUE(errors_of(check(c, Target::kWe2)).empty());  // 1 x 11 is fine for Vela
}

TEST(ChipRules, Pool32) {
  ModelConfig c = uci();
  c.patch_pool = 32;  // 1024 / 4 / 32 = 8, / 4 = 2
  const auto all = check(c, Target::kMax78000);
  EXPECT_EQ(find(all, "max78000.pool.kernel", "patch.pool").value, "32");
  EXPECT_EQ(find(all, "max78000.pool.kernel", "patch.pool").limit, "1..16");
  EXPECT_EQ(find(all, "max78000.pool.stride", "patch.pool").value, "32");
}

TEST(ChipRules, ThirtyThreeLayers) {
  ModelConfig c = uci();
  c.depth = 6;
  c.kernel_set = {3, 7};  // 1 stem + 4 bank + 1 patch + 6 x 4 + 3 = 33
  const auto all = check(c, Target::kMax78000);
  EXPECT_EQ(find(all, "max78000.layers", "(network)").value, "33");
  EXPECT_EQ(find(all, "max78000.layers", "(network)").limit, "<= 32");
  c.kernel_set = {7};  // 32 layers: allowed
  EXPECT_TRUE(errors_of(check(c, Target::kMax78000)).empty());
}

TEST(ChipRules, WeightsOver432KiB) {
  ModelConfig c = uci();
  c.embed_dim = 384;  // m = 96
  // docs/model.md (parameter count): C^2 + 11bC + 6b^2 + 9bD + d(2Dm + 3m^2) + 2D^2 + DK with C 24,
  // b 16, D 384, d 3, K 6.
  const int64_t params = 24 * 24 + 11 * 16 * 24 + 6 * 16 * 16 + 9 * 16 * 384 +
                         3 * (2 * 384 * 96 + 3 * 96 * 96) + 2 * 384 * 384 + 384 * 6;
  const auto all = check(c, Target::kMax78000);
  EXPECT_EQ(find(all, "max78000.weight_memory", "(network)").value, std::to_string(params));
  EXPECT_EQ(find(all, "max78000.weight_memory", "(network)").limit, "<= 442368");
}

TEST(ChipRules, ConcatPartNotAMultipleOf4) {
  ModelConfig c = uci();
  c.bank_channels = 6;
  c.kernel_set = {3, 5};  // total 12 passes [R]'s width check; the first part (6) does not
  const auto all = check(c, Target::kMax78000);
  const RuleViolation v = find(all, "max78000.concat.part_channels", "bank.concat");
  EXPECT_EQ(v.value, "6");
  EXPECT_NE(v.text.find("bank.branches[0]"), std::string::npos);
  EXPECT_EQ(std::count_if(all.begin(), all.end(),
                          [&](const RuleViolation& x) { return x.rule == v.rule; }),
            1);  // the last part is exempt
}

TEST(ChipRules, NonReluActivation) {
  ModelConfig c = uci();
  c.activation = "gelu";
  const auto max = check(c, Target::kMax78000);
  EXPECT_EQ(find(max, "max78000.activation", "bank.branches[0]").value, "gelu");
  EXPECT_EQ(find(max, "max78000.activation", "fusion_barrier.conv").value, "gelu");
  // Layers without activation (stem, conv3, head) are not flagged.
  for (const RuleViolation& v : max) EXPECT_NE(v.layer, "bank.stem");
  EXPECT_EQ(find(check(c, Target::kWe2), "we2.activation", "patch.proj").value, "gelu");
  c.activation = "relu6";  // Vela fuses RELU6; MAX78000 has only ReLU/Abs
  EXPECT_TRUE(errors_of(check(c, Target::kWe2)).empty());
  EXPECT_EQ(find(check(c, Target::kMax78000), "max78000.activation", "patch.proj").value, "relu6");
}

TEST(ChipRules, PaddedConvAbove64ChannelsOnlyWarnsOnMax78000) {
  ModelConfig c = uci();
  c.raw_channels = 60;  // C = 76 into the padded bank branches
  const auto all = check(c, Target::kMax78000);
  EXPECT_TRUE(errors_of(all).empty());
  EXPECT_EQ(find(all, "max78000.conv1d.padded_multipass", "bank.branches[0]").severity,
            Severity::kWarning);
}

TEST(ChipRules, We2RejectsAPoolStrideVelaCannotRewrite) {
  ModelConfig c = uci();
  c.front_pool = 5;  // stride 5 > 3 and divisible by neither 2 nor 3
  c.input_length = 5 * 4 * 4 * 4;
  const auto all = check(c, Target::kWe2);
  EXPECT_EQ(find(all, "we2.avgpool.stride", "bank.front_pool").value, "5");
}

TEST(ChipRules, RequireChipRulesRefusesABadConfigForItsTarget) {
  ModelConfig c = uci();
  c.kernel_set = {3, 5, 11};
  EXPECT_NO_THROW(require_chip_rules(c));  // no target: anything well-formed builds
  c.target = Target::kMax78000;
  try {
    require_chip_rules(c);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("model.target"), std::string::npos) << what;
    EXPECT_NE(what.find("bank.branches[2]: max78000.conv1d.kernel"), std::string::npos) << what;
    EXPECT_NE(what.find("11, allowed 1..9"), std::string::npos) << what;
  }
  c.target = Target::kWe2;
  EXPECT_NO_THROW(require_chip_rules(c));
  EXPECT_NO_THROW(require_chip_rules(ModelConfig{uci()}));
}

}  // namespace
}  // namespace physiolite::arch
