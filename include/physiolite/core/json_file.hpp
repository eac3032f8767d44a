// A JSON file from outside (a config, a run's config.json, a .plq's summary), read and parsed
// with the bounds of core/file_io.hpp and core/json_text.hpp. Every JSON file is read through
// this (or parse_json_text), never with nlohmann::json::parse on a stream: that reads a FIFO or
// /dev/zero forever and builds any nesting depth, whose copy or comparison overflows the stack.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace physiolite {

// The file read whole within kMaxTextFileBytes (regular files only), parsed by parse_json_text;
// an InputError names `path` (and the byte) with `field`.
nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& field);

}  // namespace physiolite
