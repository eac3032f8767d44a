#include "physiolite/train/model_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "physiolite/arch/chip_rules.hpp"
#include "physiolite/arch/config_override.hpp"
#include "physiolite/arch/positional.hpp"
#include "physiolite/arch/profiles.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::train {

namespace {

// side_offset / side_scale = per side input mean and standard deviation over `train`'s windows
// (a constant input keeps scale 1).
void standardize_side_inputs(arch::ModelConfig& config, const data::WindowSet& train) {
  const auto s_dim = static_cast<size_t>(train.side_dim);
  std::vector<double> sum(s_dim, 0.0), sum_sq(s_dim, 0.0);
  for (size_t i = 0; i < train.side.size(); ++i) {
    sum[i % s_dim] += train.side[i];
    sum_sq[i % s_dim] += static_cast<double>(train.side[i]) * train.side[i];
  }
  const double n = static_cast<double>(train.side.size() / s_dim);
  config.side_offset.assign(s_dim, 0.0);
  config.side_scale.assign(s_dim, 1.0);
  for (size_t s = 0; s < s_dim && n > 0; ++s) {
    const double mean = sum[s] / n;
    const double var = std::max(0.0, sum_sq[s] / n - mean * mean);
    config.side_offset[s] = mean;
    if (std::sqrt(var) > 1e-6 * std::max(1.0, std::abs(mean)))
      config.side_scale[s] = std::sqrt(var);
  }
}

}  // namespace

arch::ModelConfig model_config_from_json(const nlohmann::json& section) {
  return arch::model_config_from_json(section);
}

int64_t label_class_count(const data::WindowSet& set) {
  if (set.multi_label()) return set.num_label_columns;
  int64_t k = static_cast<int64_t>(set.class_names.size());
  for (int64_t label : set.labels) k = std::max(k, label + 1);
  return k;
}

arch::ModelConfig resolve_model_config(const nlohmann::json& model_section,
                                       const data::WindowSet& train) {
  arch::ModelConfig config;
  if (model_section.contains("profile")) {
    if (!model_section["profile"].is_string()) {
      throw UsageError(fmt::format("model.profile: expected a profile name, got {}",
                                   excerpt(model_section["profile"].dump())));
    }
    config = arch::find_profile(model_section["profile"].get<std::string>()).config;
  }
  const int64_t raw = train.c + train.side_dim;
  const int64_t classes = label_class_count(train);
  config.raw_channels = static_cast<int>(raw);
  config.input_length = static_cast<int>(train.t);
  config.num_classes = static_cast<int>(classes);
  arch::apply_json_keys(config, model_section);
  if (config.raw_channels != raw) {
    throw UsageError(fmt::format(
        "model.raw_channels: {} does not match the data's {} ({} signal channels + {} side "
        "inputs)",
        config.raw_channels, raw, train.c, train.side_dim));
  }
  if (config.num_classes != classes) {
    throw UsageError(
        fmt::format("model.num_classes: {} does not match the {} classes in the "
                    "training data",
                    config.num_classes, classes));
  }
  if (train.side_dim > 0 && config.side_offset.empty() && !model_section.contains("side_offset")) {
    standardize_side_inputs(config, train);
  }
  config.validate();
  arch::require_chip_rules(config);
  return config;
}

void check_windows_fit(const arch::ModelConfig& config, const data::WindowSet& set,
                       const std::string& what) {
  if (set.c + set.side_dim != config.raw_channels) {
    throw UsageError(
        fmt::format("{}: {} signal channels + {} side inputs, but the model takes {} raw channels",
                    what, set.c, set.side_dim, config.raw_channels));
  }
  if (label_class_count(set) > config.num_classes) {
    throw UsageError(fmt::format("{}: labels need {} classes, but the model has {}", what,
                                 label_class_count(set), config.num_classes));
  }
}

InputAssembler::InputAssembler(const arch::ModelConfig& config, int64_t signal_channels,
                               int64_t side_dim)
    : signal_channels_(signal_channels),
      side_dim_(side_dim),
      channels_(config.channels()),
      length_(config.input_length),
      positional_(
          arch::positional_channels(config.input_length, config.pos_freqs, config.pe_scale)) {
  PL_CHECK(signal_channels + side_dim == config.raw_channels, "channel layout mismatch");
  side_offset_.assign(static_cast<size_t>(side_dim), 0.0f);
  side_scale_.assign(static_cast<size_t>(side_dim), 1.0f);
  if (config.side_offset.empty()) return;
  if (static_cast<int64_t>(config.side_offset.size()) != side_dim) {
    throw UsageError(fmt::format("model.side_offset: {} entries, but the data has {} side inputs",
                                 config.side_offset.size(), side_dim));
  }
  for (size_t s = 0; s < side_offset_.size(); ++s) {
    side_offset_[s] = static_cast<float>(config.side_offset[s]);
    side_scale_[s] = static_cast<float>(config.side_scale[s]);
  }
}

void InputAssembler::assemble(const data::WindowSet& set, std::span<const int64_t> indices,
                              float* out) const {
  const int64_t t_data = set.t;
  const int64_t t = length_;
  // Centre crop when the window is longer, right zero-padding when it is shorter.
  const int64_t crop = std::max<int64_t>(0, (t_data - t) / 2);
  const int64_t copy = std::min(t, t_data);
  for (int64_t i : indices) {
    const float* w = set.window(i);
    for (int64_t ch = 0; ch < signal_channels_; ++ch, out += t) {
      std::memcpy(out, w + ch * t_data + crop, static_cast<size_t>(copy) * sizeof(float));
      std::fill(out + copy, out + t, 0.0f);
    }
    for (int64_t s = 0; s < side_dim_; ++s, out += t) {
      const auto k = static_cast<size_t>(s);
      const float v = set.side[static_cast<size_t>(i * side_dim_ + s)];
      std::fill(out, out + t, (v - side_offset_[k]) / side_scale_[k]);
    }
    std::memcpy(out, positional_.data(), positional_.size() * sizeof(float));
    out += positional_.size();
  }
}

}  // namespace physiolite::train
