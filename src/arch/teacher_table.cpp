#include "physiolite/arch/teacher_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "physiolite/core/error.hpp"

namespace physiolite::arch {

std::vector<TeacherPart> describe_teacher(const ModelConfig& c) {
  c.validate();
  if (c.type != "transformer") {
    throw UsageError(fmt::format("model.type: expected transformer (a teacher), got '{}'", c.type));
  }
  const int64_t channels = c.channels(), t = c.input_length, d = c.embed_dim;
  const int64_t half = std::max(1, c.embed_dim / 2), p = c.patch_size, tokens = t / p;
  const int64_t n = tokens + 1, r = c.mlp_ratio, k = c.num_classes;
  std::vector<TeacherPart> parts;
  parts.push_back({"stem.conv1", fmt::format("{}x{} -> {}x{}, k7", channels, t, half, t),
                   channels * half * 7 + half, channels * half * 7 * t});
  parts.push_back({"stem.conv2",
                   fmt::format("{}x{} -> {} tokens x {}, patch {}", half, t, tokens, d, p),
                   half * d * p + d, half * d * p * tokens});
  parts.push_back({"cls, pos", fmt::format("{} tokens x {}", n, d), d + n * d, 0});
  // Per layer: two LayerNorms (2 D each), q k v (3 D^2 + 3 D), output map (D^2 + D), MLP
  // (r D^2 + r D, then r D^2 + D); attention adds n^2 D for q k^T and n^2 D for the weighted sum.
  const int64_t layer_parameters = (4 + 2 * r) * d * d + (9 + r) * d;
  const int64_t layer_macs = (4 + 2 * r) * d * d * n + 2 * n * n * d;
  for (int i = 0; i < c.depth; ++i) {
    parts.push_back({fmt::format("layers.{}", i),
                     fmt::format("{} tokens x {}, {} heads, MLP x{}", n, d, c.heads, r),
                     layer_parameters, layer_macs});
  }
  parts.push_back({"norm", fmt::format("class token x {}", d), 2 * d, 0});
  parts.push_back({"head", fmt::format("{} -> {} classes", d, k), d * k + k, d * k});
  return parts;
}

int64_t count_parameters(const std::vector<TeacherPart>& parts) {
  return std::accumulate(
      parts.begin(), parts.end(), int64_t{0},
      [](int64_t sum, const TeacherPart& part) { return sum + part.parameters; });
}

int64_t count_macs(const std::vector<TeacherPart>& parts) {
  return std::accumulate(parts.begin(), parts.end(), int64_t{0},
                         [](int64_t sum, const TeacherPart& part) { return sum + part.macs; });
}

}  // namespace physiolite::arch
