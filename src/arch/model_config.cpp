#include "physiolite/arch/model_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "physiolite/core/error.hpp"

namespace physiolite::arch {

namespace {

[[noreturn]] void fail(std::string_view key, std::string_view expected, std::string_view got) {
  throw UsageError(fmt::format("model.{}: expected {}, got {}", key, expected, excerpt(got)));
}

void require_between(std::string_view key, int value, int minimum, int maximum) {
  if (value < minimum || value > maximum) {
    fail(key, fmt::format("an integer from {} to {}", minimum, maximum), std::to_string(value));
  }
}

// Odd sizes keep "same" length with symmetric zero padding, as every conv of [R] does.
void require_odd_kernel(std::string_view key, int kernel) {
  if (kernel < 1 || kernel > kMaxKernel || kernel % 2 == 0) {
    fail(key, fmt::format("odd kernel sizes from 1 to {} (same-length padding)", kMaxKernel),
         std::to_string(kernel));
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
  throw UsageError(
      fmt::format("{}: expected one of none, max78000, we2, got '{}'", key, excerpt(text)));
}

int ModelConfig::mid_channels() const { return std::max(8, embed_dim / std::max(1, reduce)); }

namespace {

// The teacher's structural checks (validate() already did the shared keys).
void validate_transformer(const ModelConfig& c) {
  require_between("embed_dim", c.embed_dim, 1, kMaxChannels);
  require_between("depth", c.depth, 1, kMaxDepth);
  require_between("heads", c.heads, 1, kMaxChannels);
  if (c.embed_dim % c.heads != 0) {
    fail("embed_dim", fmt::format("a multiple of heads ({})", c.heads),
         std::to_string(c.embed_dim));
  }
  require_between("patch_size", c.patch_size, 1, kMaxInputLength);
  if (c.input_length % c.patch_size != 0) {
    fail("input_length", fmt::format("a multiple of patch_size ({})", c.patch_size),
         std::to_string(c.input_length));
  }
  require_between("mlp_ratio", c.mlp_ratio, 1, 16);
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
  require_between("raw_channels", raw_channels, 1, kMaxChannels);
  require_between("input_length", input_length, 1, kMaxInputLength);
  require_between("num_classes", num_classes, 1, kMaxChannels);
  require_between("pos_freqs", pos_freqs, 0, kMaxPosFreqs);
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
  require_between("bank_channels", bank_channels, 1, kMaxChannels);
  if (kernel_set.empty() || std::ssize(kernel_set) > kMaxKernelSetSize) {
    fail("kernel_set", fmt::format("1 to {} kernel sizes", kMaxKernelSetSize),
         fmt::format("{} entries", kernel_set.size()));
  }
  for (int k : kernel_set) require_odd_kernel("kernel_set", k);
  if (bank_width() > kMaxChannels) {
    fail("bank_channels", fmt::format("bank_channels * kernels <= {}", kMaxChannels),
         std::to_string(bank_width()));
  }
  require_between("embed_dim", embed_dim, 1, kMaxChannels);
  require_between("depth", depth, 0, kMaxDepth);
  require_between("reduce", reduce, 1, kMaxChannels);
  require_odd_kernel("patch_kernel", patch_kernel);
  // Each pool at most the window, so that their product cannot overflow before the check below.
  require_between("front_pool", front_pool, 1, kMaxInputLength);
  require_between("patch_pool", patch_pool, 1, kMaxInputLength);
  require_between("post_pool", post_pool, 1, kMaxInputLength);
  const int64_t pools = int64_t{front_pool} * patch_pool * post_pool;
  if (input_length % pools != 0) {
    fail("input_length", fmt::format("a multiple of front_pool*patch_pool*post_pool ({})", pools),
         std::to_string(input_length));
  }
  if (std::find(std::begin(kActivations), std::end(kActivations), activation) ==
      std::end(kActivations)) {
    fail("activation", fmt::format("one of {}", fmt::join(kActivations, ", ")),
         fmt::format("'{}'", excerpt(activation)));
  }
  if (bank_init != "wavelet" && bank_init != "random") {
    fail("bank_init", "one of wavelet, random", fmt::format("'{}'", excerpt(bank_init)));
  }
}

}  // namespace physiolite::arch
