// Internal to the WFDB reader: the multi-segment path, which reads each segment as a
// single-segment record and joins them.
#pragma once

#include <filesystem>

#include "physiolite/io/wfdb.hpp"

namespace physiolite::io::detail {

// `header` is the already-parsed layout header (num_segments > 0) of `record`.
WfdbRecord read_multi_segment_record(const std::filesystem::path& record, WfdbHeader header,
                                     const WfdbReadOptions& options);

// Throws the UsageError for a sample range outside [0, num_samples]; returns the end sample.
int64_t check_sample_range(const std::filesystem::path& record, const WfdbReadOptions& options,
                           int64_t num_samples);

}  // namespace physiolite::io::detail
