#include "physiolite/qgraph/c_array.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

#include "physiolite/core/error.hpp"
#include "plrt_c_array.h"

namespace physiolite::qgraph {

std::string c_identifier(const std::string& stem) {
  std::string out;
  for (char ch : stem) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out.front()))) out = "model_" + out;
  return out;
}

std::vector<std::filesystem::path> write_c_array(const std::vector<uint8_t>& bytes,
                                                 const std::string& name,
                                                 const std::filesystem::path& dir,
                                                 const std::string& label) {
  std::filesystem::create_directories(dir);
  // std::vector's allocation is aligned for any scalar type, so 4 bytes as the verifier needs.
  std::array<char, 512> message{};
  const plrt_c_array_status status =
      plrt_write_c_array(bytes.data(), bytes.size(), name.c_str(), label.c_str(),
                         dir.string().c_str(), message.data(), message.size());
  switch (status) {
    case PLRT_C_ARRAY_OK:
      return {dir / (name + ".h"), dir / (name + ".c")};
    case PLRT_C_ARRAY_BAD_NAME:
      throw UsageError(fmt::format("--c-array: {}", message.data()));
    case PLRT_C_ARRAY_BAD_MODEL:
      throw InputError(InputLocation::file(label), "model",
                       "a model the runtime's verifier accepts", message.data());
    default:
      throw Error(fmt::format("--c-array: {}", message.data()));
  }
}

}  // namespace physiolite::qgraph
