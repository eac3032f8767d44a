#include "physiolite/dist/env.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "physiolite/core/error.hpp"

namespace physiolite::dist {

namespace {

int parse_int(const char* name, const char* text, int low, int high) {
  const std::string_view s(text);
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value < low || value > high) {
    throw UsageError(
        fmt::format("{}: expected an integer in [{}, {}], got '{}'", name, low, high, excerpt(s)));
  }
  return value;
}

const char* required(const std::function<const char*(const char*)>& lookup, const char* name) {
  const char* value = lookup(name);
  if (value == nullptr || *value == '\0') {
    throw UsageError(fmt::format(
        "{}: not set; a distributed run needs RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT "
        "(as torchrun sets them), or `physiolite train --nproc N` to start N local processes",
        name));
  }
  return value;
}

}  // namespace

std::optional<DistEnv> parse_dist_env(const std::function<const char*(const char*)>& lookup) {
  bool any = false;
  for (const char* name : {"RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"}) {
    any = any || lookup(name) != nullptr;
  }
  if (!any) return std::nullopt;
  DistEnv env;
  env.world_size = parse_int("WORLD_SIZE", required(lookup, "WORLD_SIZE"), 1, kMaxWorldSize);
  env.rank = parse_int("RANK", required(lookup, "RANK"), 0, env.world_size - 1);
  const char* local = lookup("LOCAL_RANK");
  env.local_rank = local != nullptr && *local != '\0'
                       ? parse_int("LOCAL_RANK", local, 0, env.world_size - 1)
                       : env.rank;
  env.master_addr = required(lookup, "MASTER_ADDR");
  env.master_port = parse_int("MASTER_PORT", required(lookup, "MASTER_PORT"), 1, 65535);
  return env;
}

std::optional<DistEnv> dist_env_from_environment() {
  return parse_dist_env([](const char* name) { return std::getenv(name); });
}

}  // namespace physiolite::dist
