// libFuzzer target: arbitrary bytes as the CSV inputs of `record write` (a signal table and an
// annotation table; io/csv_table), read through a temporary file as the CLI does (plain or gzip
// by content). Only InputError may escape.
#include <cstddef>
#include <cstdint>

#include "physiolite/core/error.hpp"
#include "physiolite/io/csv_table.hpp"
#include "temp_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path* path = write_temp_input(data, size, ".csv");
  if (path == nullptr) return 0;
  try {
    (void)physiolite::io::read_signal_csv(*path);
  } catch (const physiolite::InputError&) {
  }
  try {
    (void)physiolite::io::read_annotation_csv(*path);
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
