// A .plq model as C source for firmware: NAME.h declares the bytes (4-byte aligned, as
// plrt_model_init needs), their size, the arena the model needs, its input shape, classes and
// MACs; NAME.c defines them: what runtime/examples/classify.c compiles with. Written by the
// runtime's one emitter (runtime/tools/plrt_c_array.c, also behind plq_to_c), each file
// atomically. Torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace physiolite::qgraph {

// Creates `dir` when missing. `name` must be a C identifier (UsageError otherwise); `label`
// names the model in the generated comments and in the InputError for bytes the runtime's
// verifier refuses. Returns the two paths written.
std::vector<std::filesystem::path> write_c_array(const std::vector<uint8_t>& plq_bytes,
                                                 const std::string& name,
                                                 const std::filesystem::path& dir,
                                                 const std::string& label);

// A C identifier from a file stem: "mitbih-max78000" -> "mitbih_max78000" (a leading digit gets
// a "model_" prefix).
std::string c_identifier(const std::string& stem);

}  // namespace physiolite::qgraph
