// Text views of WFDB records for `physiolite record`: sample positions given as samples or
// hh:mm:ss.sss, and the CSV tables that `record samples` and `record annotations` print.
#pragma once

#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "physiolite/io/annotation.hpp"
#include "physiolite/io/wfdb.hpp"

namespace physiolite::io {

// "1234" (samples) or "[[hh:]mm:]ss[.sss]" (time from the start, rounded to the nearest sample
// at `fs_hz`). Throws UsageError naming `flag` for anything else.
int64_t parse_sample_position(std::string_view text, double fs_hz, std::string_view flag);
// "hh:mm:ss.sss" for a time in seconds.
std::string format_elapsed(double seconds);

// `sample,<signal>,...`: one row per frame of `record`, numbered from record.begin_sample.
// Physical units ((digital - baseline) / gain, shortest exact decimal, "nan" for invalid
// samples) unless `digital`. A signal with several samples per frame shows their mean.
void write_samples_csv(const WfdbRecord& record, std::span<const int> signals, bool digital,
                       std::FILE* out);

// `sample,time,symbol,subtype,chan,num,aux`, time in seconds from the start of the record.
void write_annotations_csv(std::span<const Annotation> annotations, double fs_hz, std::FILE* out);

}  // namespace physiolite::io
