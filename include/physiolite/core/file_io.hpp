// Whole-file reads that fail with an InputError naming the file.
//
// Every read is bounded before anything is allocated: only regular files are read (a device such
// as /dev/zero, a FIFO or a terminal would never end), and a file larger than the caller's cap is
// refused with its size named. The caps are listed in docs/limits.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace physiolite {

// Default caps: text (headers, configs, JSON) and binary files (signal files, annotations, .plq).
inline constexpr uint64_t kMaxTextFileBytes = uint64_t{64} << 20;   // 64 MiB
inline constexpr uint64_t kMaxBinaryFileBytes = uint64_t{2} << 30;  // 2 GiB

// Throws InputError("<path>", "file", ...) when missing, unreadable, not a regular file or larger
// than `max_bytes`.
std::vector<uint8_t> read_file_bytes(const std::filesystem::path& path,
                                     uint64_t max_bytes = kMaxBinaryFileBytes);
std::string read_text_file(const std::filesystem::path& path,
                           uint64_t max_bytes = kMaxTextFileBytes);

// The first min(size, max_bytes) bytes of a regular file: for formats whose header says how much
// of the file is used (a WFDB signal file may be longer than its header's sample count).
std::vector<uint8_t> read_file_prefix(const std::filesystem::path& path, uint64_t max_bytes);

}  // namespace physiolite
