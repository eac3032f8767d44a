// The run directory's bookkeeping files. Torch-free.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

namespace physiolite::train {

// Decides how a run may use `dir` and returns true when it resumes from <dir>/last.pt.
//   missing or empty        -> a new run (the directory is created)
//   holds a shipped model   -> UsageError, even with force (README.md + best.pt, no last.pt)
//   resume                  -> continue from last.pt (config.json must equal `resolved`, else
//                              UsageError naming the first differing key); UsageError when
//                              there is no last.pt (nothing to resume)
//   force                   -> a new run; the previous run's checkpoints and log are removed
//   otherwise               -> UsageError: nothing is overwritten
bool prepare_run_dir(const std::filesystem::path& dir, const nlohmann::json& resolved, bool resume,
                     bool force);

// The first dotted key where two configs differ ("train.lr"; "data.causal (present in one config
// only)" for a key one side lacks), or "" when equal.
std::string first_difference(const nlohmann::json& a, const nlohmann::json& b,
                             const std::string& prefix = "");

// Rewrites the JSON-lines log from the history (one record per epoch), atomically, so a resumed
// run's log never repeats or misses an epoch.
void write_log(const std::filesystem::path& path, const nlohmann::json& history);

}  // namespace physiolite::train
