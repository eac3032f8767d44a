// Runs independent jobs (records, subjects) on every core.
#pragma once

#include <cstddef>
#include <functional>

namespace physiolite {

// Calls job(i) for i in [0, count) on up to hardware_concurrency() threads (the caller's thread
// is one of them), each index exactly once. If jobs throw, the exception of the lowest index is
// rethrown after all threads have stopped.
void parallel_for(size_t count, const std::function<void(size_t)>& job);

}  // namespace physiolite
