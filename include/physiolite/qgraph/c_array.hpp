// A .plq model as C source for firmware: NAME.h declares the bytes (4-byte aligned, as
// plrt_model_init needs), their size and the arena the model needs; NAME.c defines them. Both
// written atomically. Torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace physiolite::qgraph {

// `name` must be a C identifier (UsageError otherwise). Returns the two paths written.
std::vector<std::filesystem::path> write_c_array(const std::vector<uint8_t>& plq_bytes,
                                                 uint32_t arena_size, const std::string& name,
                                                 const std::filesystem::path& dir);

// A C identifier from a file stem: "mitbih-max78000" -> "mitbih_max78000" (a leading digit gets
// a "model_" prefix).
std::string c_identifier(const std::string& stem);

}  // namespace physiolite::qgraph
