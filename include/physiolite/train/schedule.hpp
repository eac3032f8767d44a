// Learning-rate schedule of docs/model.md (training, as the reference does it): linear warm-up,
// then half a cosine, stepped once per optimizer step. Torch-free.
#pragma once

#include <cstdint>

namespace physiolite::train {

// factor(s) = s/W for s < W, else max(0, 1/2 (1 + cos(pi (s - W) / (S - W)))), s the 0-based
// index of the optimizer step (so the first step runs at lr 0 when W > 0, as [R]'s does).
// W = 0 skips the warm-up; S <= W keeps the factor at 1 after the warm-up; steps past S stay at
// 0 (the cosine is not continued upwards).
double warmup_cosine_factor(int64_t step, int64_t warmup_steps, int64_t total_steps);

}  // namespace physiolite::train
