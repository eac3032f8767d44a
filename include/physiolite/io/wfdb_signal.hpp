// Decoders for WFDB signal-file formats: bytes -> the file's flat stream of sample values.
// A signal file holds frames; each frame holds, for every signal stored in the file (in header
// order), `samples_per_frame` values. Deinterleaving is done by read_wfdb_record.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace physiolite::io {

// True for the formats this build decodes.
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
int32_t wfdb_invalid_sample(int format);

}  // namespace physiolite::io
