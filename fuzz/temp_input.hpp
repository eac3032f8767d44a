// For readers that take a path: the fuzz input written to one temporary file per process (named
// with the pid, so parallel fuzzing jobs do not share it). Returns nullptr if it cannot be written.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

inline const std::filesystem::path* write_temp_input(const uint8_t* data, size_t size,
                                                     const char* suffix) {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("physiolite_fuzz_" + std::to_string(getpid()) + suffix);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return nullptr;
  const bool ok = std::fwrite(data, 1, size, f) == size;
  return std::fclose(f) == 0 && ok ? &path : nullptr;
}
