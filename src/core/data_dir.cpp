#include "physiolite/core/data_dir.hpp"

#include <cstdlib>

namespace physiolite {

std::filesystem::path shared_data_dir() {
  if (const char* env = std::getenv("PHYSIOLITE_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  std::filesystem::path relative = "../shared/data";
  if (std::filesystem::is_directory(relative)) return relative;
  return PHYSIOLITE_SHARED_DATA_DEFAULT;
}

}  // namespace physiolite
