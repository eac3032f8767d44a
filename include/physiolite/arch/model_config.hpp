// ModelConfig: every hyper-parameter of the PhysioLite network (docs/model.md (hyper-parameters)),
// torch-free so that layer tables, parameter counts and chip-rule checks compile without LibTorch.
//
// Keys are named as on the command line (`--set model.<key>=<value>`), and every error names the
// key: "model.input_length: expected a multiple of front_pool*patch_pool*post_pool (64), got 1000".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace physiolite::arch {

// Chip the network must compile for; the model constructor refuses a config that breaks its rules.
enum class Target { kNone, kMax78000, kWe2 };

std::string_view to_string(Target target);
// "none", "max78000" or "we2"; anything else is a UsageError naming `key`.
Target parse_target(std::string_view text, std::string_view key = "model.target");

// Upper bounds validate() enforces (docs/limits.md). Generous for host models: the chips' rules
// (chip_rules.hpp) are far tighter.
inline constexpr int kMaxInputLength = 1 << 16;  // samples per window
inline constexpr int kMaxChannels = 4096;        // raw_channels, bank_channels, embed_dim, classes
inline constexpr int kMaxPosFreqs = 64;
inline constexpr int kMaxDepth = 64;  // bottleneck blocks
inline constexpr int kMaxKernel = 255;
inline constexpr int kMaxKernelSetSize = 16;

struct ModelConfig {
  // Required (no meaningful default; 0 fails validate()).
  int raw_channels = 0;  // C_raw: signal channels before the positional channels
  int input_length = 0;  // T: samples per window
  int num_classes = 0;   // K: logits

  int pos_freqs = 8;      // P: 2P sin/cos channels appended on the CPU (docs/model.md)
  double pe_scale = 0.1;  // amplitude of the positional channels
  // CPU-side standardisation of the side inputs (channels raw_channels - S ... raw_channels - 1):
  // the network sees (v - side_offset[s]) / side_scale[s]. Empty = unchanged. The trainer fills
  // them from the training split (mean, standard deviation) so that the RR intervals, ratios near
  // 1 that differ by tenths between beat classes, weigh as much as the z-scored signal.
  std::vector<double> side_offset{};
  std::vector<double> side_scale{};
  int bank_channels = 16;                // b: output channels of each bank branch
  std::vector<int> kernel_set{3, 5, 7};  // one bank branch per entry; 7 = three stacked k3 convs
  int embed_dim = 256;                   // D
  int depth = 3;                         // bottleneck blocks
  int reduce = 4;                        // bottleneck mid width m = max(8, D / reduce)
  int patch_kernel = 3;                  // conv_k of the patch embedding (hard-coded 3 in [R])
  int front_pool = 4;                    // fp
  int patch_pool = 4;                    // pt
  int post_pool = 4;                     // pp
  std::string activation = "relu";       // every hidden activation (see kActivations)
  std::string bank_init = "wavelet";     // "wavelet" (our deviation from [R]) or "random" ([R])
  Target target = Target::kNone;

  // Which network the config builds: "physiolite" (the chip-legal CNN above) or "transformer",
  // the distillation teacher (model/transformer_net.hpp): a conv stem cutting the window into
  // input_length / patch_size tokens of width embed_dim, then `depth` pre-norm encoder layers with
  // `heads` attention heads and an MLP of mlp_ratio * embed_dim. A teacher keeps raw_channels,
  // input_length, num_classes, pos_freqs, pe_scale, side_offset/side_scale, embed_dim and depth;
  // the CNN-only keys are ignored and target must be none (no chip runs it).
  std::string type = "physiolite";
  int heads = 4;
  int patch_size = 8;
  int mlp_ratio = 4;
  double dropout = 0.1;  // after attention and MLP (training only)

  int channels() const { return raw_channels + 2 * pos_freqs; }  // C, the network's input
  int bank_width() const { return bank_channels * static_cast<int>(kernel_set.size()); }
  int mid_channels() const;                                        // m
  int bank_length() const { return input_length / front_pool; }    // T / fp
  int trunk_length() const { return bank_length() / patch_pool; }  // T1
  int head_length() const { return trunk_length() / post_pool; }   // T2

  // Structural checks only: the network is well defined and each size within the caps below (so
  // that a config such as depth=1e9 is refused by name instead of exhausting memory). The limits
  // [R]'s constructor adds for the chip (pools <= 16, T2 <= 16, no padded conv above 64 channels,
  // bank width % 4) are chip rules and live in check_chip_rules() (chip_rules.hpp). Throws
  // UsageError naming the key.
  void validate() const;
};

// Activation names the network accepts; which of them a chip runs is a chip rule.
inline constexpr std::string_view kModelTypes[] = {"physiolite", "transformer"};

inline constexpr std::string_view kActivations[] = {"relu", "abs",     "relu6",
                                                    "tanh", "sigmoid", "gelu"};

}  // namespace physiolite::arch
