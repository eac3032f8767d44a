// Codecs for WFDB signal-file formats: bytes <-> the file's flat stream of sample values.
// A signal file holds frames; each frame holds, for every signal stored in the file (in header
// order), `samples_per_frame` values. Deinterleaving is done by read_wfdb_record.
//
// Formats (WFDB "signal(5)"): 8 = 8-bit first differences; 16 / 61 = 16-bit two's complement,
// little / big endian; 24 / 32 = 24- / 32-bit little-endian two's complement; 80 / 160 = 8- /
// 16-bit offset binary; 212 = two 12-bit values in 3 bytes; 310 = three 10-bit values in two
// little-endian 16-bit words (bits 1-10 of each word, the third value in bits 11-15 of both);
// 311 = three 10-bit values in bits 0-9, 10-19, 20-29 of one little-endian 32-bit word.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace physiolite::io {

// True for the formats this build decodes (every format that stores samples in a file).
bool is_supported_wfdb_format(int format);
// The comma-separated list of supported codes, for error messages.
const char* supported_wfdb_formats();

// How many whole sample values `num_bytes` bytes of `format` hold.
int64_t wfdb_values_in_bytes(int format, int64_t num_bytes);
// How many bytes `num_values` values of `format` take (rounded up to whole bytes).
int64_t wfdb_bytes_for_values(int format, int64_t num_values);

// Decodes the first `num_values` values (the caller checked that the bytes hold them).
// For format 8 (first differences) this returns the raw differences; the caller integrates them.
void decode_wfdb_values(int format, std::span<const uint8_t> bytes, int64_t num_values,
                        std::vector<int32_t>& out);

// The digital value WFDB reserves for "no sample" in this format (becomes NaN in physical units).
// Format 8 has none; INT32_MIN is returned for it (a value integration never reaches in practice).
int32_t wfdb_invalid_sample(int format);

// The formats write_wfdb_record can produce.
bool is_writable_wfdb_format(int format);
// The smallest and largest digital value a format stores (the smallest is the invalid code).
int32_t wfdb_min_value(int format);
int32_t wfdb_max_value(int format);
// Appends the encoding of `values` (each within [min, max] of the format) to `out`.
void encode_wfdb_values(int format, std::span<const int32_t> values, std::vector<uint8_t>& out);

}  // namespace physiolite::io
