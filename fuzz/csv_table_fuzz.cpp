// libFuzzer target: arbitrary bytes as the CSV inputs of `record write` (a signal table and an
// annotation table; io/csv_table), read through a temporary file as the CLI does (plain or gzip
// by content). Only InputError may escape.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "physiolite/core/error.hpp"
#include "physiolite/io/csv_table.hpp"

namespace {
const std::filesystem::path& temp_file() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("physiolite_csv_fuzz_" + std::to_string(getpid()) + ".csv");
  return path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& path = temp_file();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    (void)physiolite::io::read_signal_csv(path);
  } catch (const physiolite::InputError&) {
  }
  try {
    (void)physiolite::io::read_annotation_csv(path);
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
