// The published power figures the profile turns time into energy with (internal to the profile
// module): uj = watts x us, one figure per chip, each with its source (docs/profile.md,
// "Energy").
#pragma once

#include <optional>
#include <string_view>

#include "physiolite/profile/profile.hpp"

namespace physiolite::profile {

struct PowerFigure {
  double watts;
  std::string_view what;    // what was measured, hence what the energy means
  std::string_view source;  // where the number is published
};

std::optional<PowerFigure> power_figure(Chip chip);  // nullopt: no figure, uj stay 0

// The sentence the table and the JSON carry beside the uj columns.
std::string_view energy_note(Chip chip);

}  // namespace physiolite::profile
