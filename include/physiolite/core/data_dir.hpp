// Where the shared recordings live. Never copied into the repository.
#pragma once

#include <filesystem>

namespace physiolite {

// The folder holding mitdb/ and uci-emg-gestures/: $PHYSIOLITE_DATA if set, else ../shared/data
// relative to the working directory if it exists, else ../shared/data next to the source tree.
std::filesystem::path shared_data_dir();

}  // namespace physiolite
