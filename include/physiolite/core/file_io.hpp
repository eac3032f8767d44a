// Whole-file reads that fail with an InputError naming the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace physiolite {

// Throws InputError("<path>", "file", "an existing readable file", ...) when missing/unreadable.
std::vector<uint8_t> read_file_bytes(const std::filesystem::path& path);
std::string read_text_file(const std::filesystem::path& path);

}  // namespace physiolite
