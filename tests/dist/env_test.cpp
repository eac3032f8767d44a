// The torchrun variables: a single process without them, every error naming the variable.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "common/error_message.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/dist/env.hpp"

namespace physiolite::dist {
namespace {

using Vars = std::map<std::string, std::string>;

// `vars`, with `name` set to `value` when given (not by assigning into the map: GCC 12 at -O3
// warns, wrongly, about that string copy).
std::optional<DistEnv> parse(const Vars& vars, const char* name = nullptr,
                             const char* value = nullptr) {
  return parse_dist_env([&](const char* wanted) -> const char* {
    if (name != nullptr && std::string(wanted) == name) return value;
    const auto it = vars.find(wanted);
    return it == vars.end() ? nullptr : it->second.c_str();
  });
}

std::string error_of(const Vars& vars, const char* name = nullptr, const char* value = nullptr) {
  return testing::message_of<UsageError>([&] { parse(vars, name, value); });
}

const Vars kFull{
    {"RANK", "1"}, {"WORLD_SIZE", "3"}, {"MASTER_ADDR", "10.0.0.7"}, {"MASTER_PORT", "29500"}};

TEST(DistEnv, NoVariablesIsASingleProcess) { EXPECT_FALSE(parse({}).has_value()); }

TEST(DistEnv, ReadsAllFiveAndDefaultsLocalRankToRank) {
  const auto env = parse(kFull);
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(env->rank, 1);
  EXPECT_EQ(env->world_size, 3);
  EXPECT_EQ(env->local_rank, 1);
  EXPECT_EQ(env->master_addr, "10.0.0.7");
  EXPECT_EQ(env->master_port, 29500);
  EXPECT_EQ(parse(kFull, "LOCAL_RANK", "0")->local_rank, 0);
}

TEST(DistEnv, EachMissingVariableIsNamed) {
  for (const char* name : {"RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"}) {
    const std::string m = error_of(kFull, name, nullptr);
    EXPECT_EQ(m.rfind(std::string(name) + ": not set", 0), 0u) << m;
    EXPECT_NE(m.find("--nproc"), std::string::npos) << m;
  }
}

TEST(DistEnv, BadValuesNameTheVariableAndTheRange) {
  auto with = [](const char* name, const char* value) { return error_of(kFull, name, value); };
  EXPECT_EQ(with("RANK", "3"), "RANK: expected an integer in [0, 2], got '3'");
  EXPECT_EQ(with("RANK", "-1"), "RANK: expected an integer in [0, 2], got '-1'");
  EXPECT_EQ(with("WORLD_SIZE", "two"), "WORLD_SIZE: expected an integer in [1, 4096], got 'two'");
  EXPECT_EQ(with("MASTER_PORT", "70000"),
            "MASTER_PORT: expected an integer in [1, 65535], got '70000'");
  EXPECT_EQ(with("MASTER_PORT", "29500 "),
            "MASTER_PORT: expected an integer in [1, 65535], got '29500 '");
  EXPECT_EQ(with("LOCAL_RANK", "5"), "LOCAL_RANK: expected an integer in [0, 2], got '5'");
}

}  // namespace
}  // namespace physiolite::dist
