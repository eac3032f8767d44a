#include "physiolite/core/json_file.hpp"

#include "physiolite/core/file_io.hpp"
#include "physiolite/core/json_text.hpp"

namespace physiolite {

nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& field) {
  return parse_json_text(read_text_file(path), path.string(), field);
}

}  // namespace physiolite
