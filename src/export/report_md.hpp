// The parts of NAME.md every target shares (private to the export module).
#pragma once

#include <string>

#include "physiolite/export/export.hpp"

namespace physiolite::exporting::detail {

// Title, source, the sample window, what the CPU computes before the accelerator (the input
// channels and the per-channel input quantisation, as a table) and the graph's size figures.
std::string common_md(const ExportRequest& request, const std::string& chip);

// "12.3 KiB (12,594 B)"
std::string size_text(uintmax_t bytes);

}  // namespace physiolite::exporting::detail
