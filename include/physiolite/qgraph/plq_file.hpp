// The `.plq` file (docs/int8_model_format.md, format version 1): a Graph to bytes and back.
//
// Writing lays out header, tensor table, op table, input parameters and the data section in that
// order, every array 4-aligned, and seals the bytes with zlib's CRC-32. Reading hands the bytes
// to the C runtime's verifier (plrt_model_init: the one implementation of the format's rules),
// then builds the Graph and checks the in-memory graph's own invariants (find_problem(),
// find_arena_problem(), which the writer checks too), so a file reads iff the runtime accepts it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "physiolite/qgraph/graph.hpp"
#include "plrt_model.h"

namespace physiolite::qgraph {

// The newest format version (the runtime's, one place); a file needing no version-2 feature (a
// truncating pool) is written as version 1.
inline constexpr uint16_t kPlqVersion = PLRT_MODEL_VERSION;
inline constexpr uint32_t kPlqHeaderBytes = 64;
// Largest .plq file read (docs/limits.md): weights of far larger models than the chips hold.
inline constexpr uint64_t kMaxPlqFileBytes = uint64_t{64} << 20;

// The file bytes of a valid graph with a planned arena (PL_CHECK otherwise).
std::vector<uint8_t> serialize_plq(const Graph& graph);
// serialize_plq, then write-to-temporary-and-rename.
void write_plq(const Graph& graph, const std::filesystem::path& path);

// InputError naming `origin` (the file name) and the verifier's reason (the op or tensor, the
// field, what was expected and found). Refuses an arena_size or a tensor above
// PLRT_MAX_ARENA_HOST (64 MiB) before allocating anything.
Graph parse_plq(std::span<const uint8_t> bytes, const std::string& origin);
Graph read_plq(const std::filesystem::path& path);

// CRC-32 (IEEE 802.3, zlib's crc32) of bytes.
uint32_t crc32_ieee(std::span<const uint8_t> bytes);

}  // namespace physiolite::qgraph
