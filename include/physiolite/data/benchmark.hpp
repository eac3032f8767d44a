// The benchmark datasets by name, with their options as JSON (what a config file or
// `--set key=value` changes) and their splits. What `physiolite data` and the trainer call.
//
//   mitbih       MIT-BIH inter-patient beats (data/mitbih.hpp); options: MitBihOptions
//   uci          UCI EMG gestures, the reference's protocol (data/uci_emg_windows.hpp)
//   uci-tinymyo  UCI EMG gestures, TinyMyo's subject split
//   ptbxl, cpsc, chapman, db5, epn612   the reference's other five datasets
//                (data/reference_benchmarks.hpp)
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>
#include "physiolite/data/mitbih.hpp"

#include "physiolite/data/window_set.hpp"

namespace physiolite::data {

enum class Split { kTrain, kValidation, kTest };
inline constexpr Split kAllSplits[] = {Split::kTrain, Split::kValidation, Split::kTest};
const char* split_name(Split split);
Split parse_split(const std::string& name);  // "train", "validation" ("val"), "test"

std::vector<std::string> benchmark_names();

class Benchmark {
 public:
  // `data_dir` holds mitdb/, uci-emg-gestures/ and the reference datasets' folders. UsageError for
  // an unknown name.
  Benchmark(const std::string& name, const std::filesystem::path& data_dir);

  const std::string& name() const { return name_; }
  std::string description() const;
  // Every option with its current value.
  nlohmann::json options() const { return options_; }
  // Overrides options from a JSON object; unknown keys and wrong types are UsageErrors naming
  // "<dataset>.<key>". Values are validated.
  void set_options(const nlohmann::json& overrides);
  // "key=value" assignments (value parsed as JSON when it is valid JSON, else taken as a
  // string), applied together so that dependent keys (window_length, beat_offset) can change
  // in one call.
  void apply_assignments(const std::vector<std::string>& assignments);

  // Records (mitbih, ptbxl, cpsc, chapman), subjects (uci, db5) or users (epn612) of a split.
  std::vector<std::string> split_sources(Split split) const;
  // Sources of the protocol that this copy of the data lacks entirely (uci: subjects 11, 13, 30
  // in the shipped copy; mitbih: records whose header is missing).
  std::vector<std::string> absent_sources() const;
  WindowSet build(Split split) const;

 private:
  std::string name_;
  std::filesystem::path data_dir_;
  nlohmann::json options_;
};

// The benchmark a training config's `data` section describes (dataset and options, as `train`
// reads them): what `data summary --config` and `data export --config` prepare. `dataset`, when
// not empty, must equal the config's data.dataset. InputError for a file that is not JSON,
// UsageError naming the file for an unknown dataset (including "hdf5") or option.
Benchmark benchmark_from_config(const std::filesystem::path& config, const std::string& dataset,
                                const std::filesystem::path& data_dir);

// The MIT-BIH options a benchmark's (or a run's resolved config's) option object holds, with
// the records under data_dir/mitdb. Keys added after a run was made take their defaults.
MitBihOptions mitbih_options_from_json(const nlohmann::json& options,
                                       const std::filesystem::path& data_dir);

// Windows per class of a set (single-label: label counts; multi-label: positives per column).
std::vector<int64_t> class_counts(const WindowSet& set);

}  // namespace physiolite::data
