#include "physiolite/arch/model_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "physiolite/core/error.hpp"

namespace physiolite::arch {

namespace {

[[noreturn]] void fail(std::string_view key, std::string_view expected, std::string_view got) {
  throw UsageError(fmt::format("model.{}: expected {}, got {}", key, expected, got));
}

void require_at_least(std::string_view key, int value, int minimum) {
  if (value < minimum) fail(key, fmt::format("an integer >= {}", minimum), std::to_string(value));
}

// Odd sizes keep "same" length with symmetric zero padding, as every conv of [R] does.
void require_odd_kernel(std::string_view key, int kernel) {
  if (kernel < 1 || kernel % 2 == 0) {
    fail(key, "odd kernel sizes >= 1 (same-length padding)", std::to_string(kernel));
  }
}

}  // namespace

std::string_view to_string(Target target) {
  switch (target) {
    case Target::kNone:
      return "none";
    case Target::kMax78000:
      return "max78000";
    case Target::kWe2:
      return "we2";
  }
  return "none";
}

Target parse_target(std::string_view text, std::string_view key) {
  for (Target t : {Target::kNone, Target::kMax78000, Target::kWe2}) {
    if (text == to_string(t)) return t;
  }
  throw UsageError(fmt::format("{}: expected one of none, max78000, we2, got '{}'", key, text));
}

int ModelConfig::mid_channels() const { return std::max(8, embed_dim / std::max(1, reduce)); }

namespace {

// The teacher's structural checks (validate() already did the shared keys).
void validate_transformer(const ModelConfig& c) {
  require_at_least("embed_dim", c.embed_dim, 1);
  require_at_least("depth", c.depth, 1);
  require_at_least("heads", c.heads, 1);
  if (c.embed_dim % c.heads != 0) {
    fail("embed_dim", fmt::format("a multiple of heads ({})", c.heads),
         std::to_string(c.embed_dim));
  }
  require_at_least("patch_size", c.patch_size, 1);
  if (c.input_length % c.patch_size != 0) {
    fail("input_length", fmt::format("a multiple of patch_size ({})", c.patch_size),
         std::to_string(c.input_length));
  }
  require_at_least("mlp_ratio", c.mlp_ratio, 1);
  if (!(c.dropout >= 0 && c.dropout < 1)) {
    fail("dropout", "a number in [0, 1)", fmt::format("{}", c.dropout));
  }
  if (c.target != Target::kNone) {
    fail("target", "none for model.type transformer (a teacher is not bound by chip rules)",
         std::string(to_string(c.target)));
  }
}

}  // namespace

void ModelConfig::validate() const {
  if (std::find(std::begin(kModelTypes), std::end(kModelTypes), type) == std::end(kModelTypes)) {
    fail("type", fmt::format("one of {}", fmt::join(kModelTypes, ", ")), fmt::format("'{}'", type));
  }
  require_at_least("raw_channels", raw_channels, 1);
  require_at_least("input_length", input_length, 1);
  require_at_least("num_classes", num_classes, 1);
  require_at_least("pos_freqs", pos_freqs, 0);
  if (!std::isfinite(pe_scale)) fail("pe_scale", "a finite number", fmt::format("{}", pe_scale));
  if (side_offset.size() != side_scale.size() ||
      side_offset.size() > static_cast<size_t>(std::max(raw_channels, 0))) {
    fail("side_scale",
         fmt::format("as many entries as side_offset ({}), at most raw_channels",
                     side_offset.size()),
         std::to_string(side_scale.size()));
  }
  for (size_t s = 0; s < side_scale.size(); ++s) {
    if (!std::isfinite(side_offset[s])) {
      fail("side_offset", "finite numbers", fmt::format("{} at entry {}", side_offset[s], s));
    }
    if (!(std::isfinite(side_scale[s]) && side_scale[s] > 0)) {
      fail("side_scale", "finite numbers > 0", fmt::format("{} at entry {}", side_scale[s], s));
    }
  }
  if (type == "transformer") return validate_transformer(*this);
  require_at_least("bank_channels", bank_channels, 1);
  if (kernel_set.empty()) fail("kernel_set", "at least one kernel size", "an empty list");
  for (int k : kernel_set) require_odd_kernel("kernel_set", k);
  require_at_least("embed_dim", embed_dim, 1);
  require_at_least("depth", depth, 0);
  require_at_least("reduce", reduce, 1);
  require_odd_kernel("patch_kernel", patch_kernel);
  require_at_least("front_pool", front_pool, 1);
  require_at_least("patch_pool", patch_pool, 1);
  require_at_least("post_pool", post_pool, 1);
  const int pools = front_pool * patch_pool * post_pool;
  if (input_length % pools != 0) {
    fail("input_length", fmt::format("a multiple of front_pool*patch_pool*post_pool ({})", pools),
         std::to_string(input_length));
  }
  if (std::find(std::begin(kActivations), std::end(kActivations), activation) ==
      std::end(kActivations)) {
    fail("activation", fmt::format("one of {}", fmt::join(kActivations, ", ")),
         fmt::format("'{}'", activation));
  }
  if (bank_init != "wavelet" && bank_init != "random") {
    fail("bank_init", "one of wavelet, random", fmt::format("'{}'", bank_init));
  }
}

}  // namespace physiolite::arch
