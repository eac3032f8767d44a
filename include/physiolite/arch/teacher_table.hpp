// The distillation teacher (model.type = "transformer", model/transformer_net.hpp) as a list of
// its parts with parameters and multiply-accumulates per window: what `physiolite info` prints
// for a teacher and what the training-speed benchmark counts. Built from a ModelConfig alone, so
// it needs no LibTorch. A teacher is not a network for the chips: it has no LayerSpec table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "physiolite/arch/model_config.hpp"

namespace physiolite::arch {

struct TeacherPart {
  std::string name;        // module path, as LibTorch names it ("stem.conv1", "layers.0", ...)
  std::string shape;       // what it maps, e.g. "26x128 -> 128x128, k7"
  int64_t parameters = 0;  // weights and biases (float32 in the teacher)
  int64_t macs = 0;        // at batch 1; LayerNorm, softmax and GELU count none
};

// Validates `config` (which must be a transformer) and lists its parts in execution order:
// stem.conv1 [C -> D/2, kernel 7], stem.conv2 [D/2 -> D, kernel = stride = patch], the class
// token and positions, each encoder layer (LayerNorms, q k v and output maps, the MLP of ratio
// r, and attention's q k^T and weighted sum over n = T / patch + 1 tokens), the final norm and
// the classifier head.
std::vector<TeacherPart> describe_teacher(const ModelConfig& config);

int64_t count_parameters(const std::vector<TeacherPart>& parts);
int64_t count_macs(const std::vector<TeacherPart>& parts);

}  // namespace physiolite::arch
