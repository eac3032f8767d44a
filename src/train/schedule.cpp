#include "physiolite/train/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace physiolite::train {

double warmup_cosine_factor(int64_t step, int64_t warmup_steps, int64_t total_steps) {
  if (step < warmup_steps) return static_cast<double>(step) / static_cast<double>(warmup_steps);
  if (total_steps <= warmup_steps) return 1.0;
  const double progress = std::min(1.0, static_cast<double>(step - warmup_steps) /
                                            static_cast<double>(total_steps - warmup_steps));
  return std::max(0.0, 0.5 * (1.0 + std::cos(std::numbers::pi * progress)));
}

}  // namespace physiolite::train
