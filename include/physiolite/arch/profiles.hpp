// Dataset profiles of docs/model.md (dataset profiles): the per-dataset configs [R]'s runner builds
// (STUDENT_DATASET_PROFILES plus the README's channel counts, window lengths and class counts).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "physiolite/arch/model_config.hpp"

namespace physiolite::arch {

struct Profile {
  std::string name;
  std::string description;
  ModelConfig config;
};

const std::vector<Profile>& profiles();

// The profile called `name`; a UsageError listing the known names otherwise.
const Profile& find_profile(std::string_view name);

}  // namespace physiolite::arch
