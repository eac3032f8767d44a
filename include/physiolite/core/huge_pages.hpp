// Transparent huge pages for large buffers that are written once, front to back.
#pragma once

#include <cstddef>

namespace physiolite {

// Asks the kernel to back [data, data + bytes) with 2 MiB pages where the system leaves that to
// each program (/sys/kernel/mm/transparent_hugepage/enabled = madvise, Debian's default): a
// window array of hundreds of megabytes then takes 512 times fewer page faults as it is first
// written, which was a third of building a PTB-XL split. Only the 2 MiB-aligned interior is
// advised. It is advice: a no-op off Linux, on small buffers and when the kernel declines.
void advise_huge_pages(void* data, std::size_t bytes);

}  // namespace physiolite
