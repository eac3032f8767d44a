// The Benchmark face (options as JSON, split sources, windows) of the reference's five other
// datasets, each in its publisher's layout under one folder of the data directory:
//
//   ptbxl    ptb-xl/        (ecg_windows.hpp)   cpsc     cpsc2018/
//   chapman  chapman/                           db5      ninapro-db5/ (emg_windows.hpp)
//   epn612   emg-epn-612/
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "physiolite/data/benchmark.hpp"
#include "physiolite/data/window_set.hpp"

namespace physiolite::data {

bool is_reference_benchmark(const std::string& name);
// The folder of the data directory a dataset lives in ("ptb-xl" ...).
std::string reference_folder(const std::string& name);
std::string reference_description(const std::string& name);
nlohmann::json reference_default_options(const std::string& name);
// UsageError (naming "<name>.<key>") when the options are not valid.
void validate_reference_options(const std::string& name, const nlohmann::json& options,
                                const std::filesystem::path& data_dir);
std::vector<std::string> reference_split_sources(const std::string& name,
                                                 const nlohmann::json& options,
                                                 const std::filesystem::path& data_dir,
                                                 Split split);
WindowSet build_reference_windows(const std::string& name, const nlohmann::json& options,
                                  const std::filesystem::path& data_dir, Split split);
// True for the multi-hot datasets (cpsc, chapman); their options carry the decision `threshold`.
bool reference_is_multi_label(const std::string& name);

}  // namespace physiolite::data
