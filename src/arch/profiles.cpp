#include "physiolite/arch/profiles.hpp"

#include <fmt/format.h>

#include "physiolite/core/error.hpp"

namespace physiolite::arch {

namespace {

ModelConfig make(int raw_channels, int input_length, int num_classes, int fp, int pt, int pp) {
  return ModelConfig{.raw_channels = raw_channels,
                     .input_length = input_length,
                     .num_classes = num_classes,
                     .front_pool = fp,
                     .patch_pool = pt,
                     .post_pool = pp};
}

std::vector<Profile> make_profiles() {
  std::vector<Profile> list{
      {"uci", "UCI EMG gestures, 8 ch, 1024 rows, 6 classes", make(8, 1024, 6, 4, 4, 4)},
      {"db5", "NinaPro DB5, 8 ch, 512 samples at 200 Hz, 53 classes", make(8, 512, 53, 4, 8, 2)},
      {"epn612", "EMG-EPN-612, 8 ch, 1024 samples at 200 Hz, 6 classes", make(8, 1024, 6, 4, 4, 4)},
      {"epn612_readme", "EMG-EPN-612 as in [R]'s README command (profile none, patch pool 8)",
       make(8, 1024, 6, 4, 8, 4)},
      {"ptb", "PTB-XL, 12 leads, 2048 samples at 500 Hz, 5 superclasses",
       make(12, 2048, 5, 4, 8, 4)},
      {"cpsc", "CPSC 2018, 12 leads, 2048 samples at 500 Hz, 9 labels", make(12, 2048, 9, 4, 8, 4)},
      {"chapman", "Chapman-Shaoxing, 12 leads, 2048 samples at 500 Hz, 4 labels",
       make(12, 2048, 4, 4, 16, 4)},
  };
  Profile kset7{"chapman_kset7", "chapman with the single-branch bank {7} (ablation config)",
                make(12, 2048, 4, 4, 16, 4)};
  kset7.config.kernel_set = {7};
  list.push_back(kset7);
  return list;
}

}  // namespace

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> list = make_profiles();
  return list;
}

const Profile& find_profile(std::string_view name) {
  std::vector<std::string_view> names;
  for (const Profile& p : profiles()) {
    if (p.name == name) return p;
    names.push_back(p.name);
  }
  throw UsageError(
      fmt::format("--profile: expected one of {}, got '{}'", fmt::join(names, ", "), name));
}

}  // namespace physiolite::arch
