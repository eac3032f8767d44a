// What the network sees, built on the CPU outside the graph (docs/training.md):
//   channels [0, C)            the window's signal channels, centre-cropped or right zero-padded
//                              to the model's input length ([R]'s loader, docs/model.md (training,
//                              as the reference does it))
//   channels [C, C + S)        the S side inputs (MIT-BIH: the 4 RR features), each a constant
//                              channel broadcast over the window
//   channels [C + S, C + S + 2P)  the positional channels (arch::positional_channels)
// so the model's raw_channels is C + S and the network stays a plain chip-legal CNN. Torch-free.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "physiolite/arch/model_config.hpp"
#include "physiolite/data/window_set.hpp"

namespace physiolite::train {

// The classes a set's labels need: single-label max(class_names, max label + 1), multi-label K.
int64_t label_class_count(const data::WindowSet& set);

// The model config of a `model` section for windows shaped like `train`: profile (optional) then
// the given keys; raw_channels, input_length and num_classes default to the data's and, when
// given, must match it (input_length may differ: windows are cropped/padded). Validated and
// checked against the chip rules of model.target. UsageError naming the key.
arch::ModelConfig resolve_model_config(const nlohmann::json& model_section,
                                       const data::WindowSet& train);

// The config arch::to_json wrote (a checkpoint's or run directory's), validated.
arch::ModelConfig model_config_from_json(const nlohmann::json& section);

// UsageError naming `what` (a file or split) when `set` does not fit `config`: channel count,
// side inputs, classes.
void check_windows_fit(const arch::ModelConfig& config, const data::WindowSet& set,
                       const std::string& what);

class InputAssembler {
 public:
  InputAssembler(const arch::ModelConfig& config, int64_t signal_channels, int64_t side_dim);

  int64_t channels() const { return channels_; }
  int64_t signal_channels() const { return signal_channels_; }  // rows 0 .. signal_channels() - 1
  int64_t length() const { return length_; }
  // Writes the inputs of windows `indices` of `set`, row-major (B, channels(), length()).
  void assemble(const data::WindowSet& set, std::span<const int64_t> indices, float* out) const;

 private:
  int64_t signal_channels_, side_dim_, channels_, length_;
  std::vector<float> positional_;                // (2P, length)
  std::vector<float> side_offset_, side_scale_;  // per side input (identity when not configured)
};

}  // namespace physiolite::train
