#include "physiolite/data/reference_benchmarks.hpp"

#include <fmt/format.h>

#include "physiolite/core/error.hpp"
#include "physiolite/data/ecg_windows.hpp"
#include "physiolite/data/emg_windows.hpp"

namespace physiolite::data {

namespace {

using nlohmann::json;

bool is_ecg(const std::string& name) {
  return name == "ptbxl" || name == "cpsc" || name == "chapman";
}

json ecg_to_json(const std::string& name, const EcgOptions& o) {
  json j = {{"window_length", o.window_length}, {"stride", o.stride}};
  if (name == "ptbxl") {
    j["likelihood_threshold"] = o.likelihood_threshold;
    j["train_folds"] = o.train_folds;
    j["validation_folds"] = o.validation_folds;
    j["test_folds"] = o.test_folds;
  } else {
    j["seed"] = o.seed;
    j["threshold"] = o.threshold;
  }
  return j;
}

EcgOptions ecg_from_json(const std::string& name, const json& j,
                         const std::filesystem::path& data_dir) {
  EcgOptions o;
  o.dir = data_dir / reference_folder(name);
  o.window_length = j.at("window_length").get<int64_t>();
  o.stride = j.at("stride").get<int64_t>();
  if (name == "ptbxl") {
    o.likelihood_threshold = j.at("likelihood_threshold").get<double>();
    o.train_folds = j.at("train_folds").get<std::vector<int>>();
    o.validation_folds = j.at("validation_folds").get<std::vector<int>>();
    o.test_folds = j.at("test_folds").get<std::vector<int>>();
  } else {
    o.seed = j.at("seed").get<int>();
    o.threshold = j.at("threshold").get<double>();
  }
  return o;
}

json db5_to_json(const Db5Options& o) {
  return {{"window_length", o.window_length},
          {"stride", o.stride},
          {"channels", o.channels},
          {"clip", o.clip},
          {"std_floor", o.std_floor},
          {"train_repetitions", o.train_repetitions},
          {"validation_repetitions", o.validation_repetitions},
          {"test_repetitions", o.test_repetitions}};
}

Db5Options db5_from_json(const json& j, const std::filesystem::path& data_dir) {
  Db5Options o;
  o.dir = data_dir / "ninapro-db5";
  o.window_length = j.at("window_length").get<int64_t>();
  o.stride = j.at("stride").get<int64_t>();
  o.channels = j.at("channels").get<int>();
  o.clip = j.at("clip").get<double>();
  o.std_floor = j.at("std_floor").get<double>();
  o.train_repetitions = j.at("train_repetitions").get<std::vector<int>>();
  o.validation_repetitions = j.at("validation_repetitions").get<std::vector<int>>();
  o.test_repetitions = j.at("test_repetitions").get<std::vector<int>>();
  return o;
}

json epn_to_json(const Epn612Options& o) {
  return {{"window_length", o.window_length}, {"train_per_gesture", o.train_per_gesture}};
}

Epn612Options epn_from_json(const json& j, const std::filesystem::path& data_dir) {
  Epn612Options o;
  o.dir = data_dir / "emg-epn-612";
  o.window_length = j.at("window_length").get<int64_t>();
  o.train_per_gesture = j.at("train_per_gesture").get<int64_t>();
  return o;
}

std::vector<std::string> record_names(const std::vector<LabelledRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.name);
  return out;
}

}  // namespace

bool is_reference_benchmark(const std::string& name) {
  return is_ecg(name) || name == "db5" || name == "epn612";
}

bool reference_is_multi_label(const std::string& name) {
  return name == "cpsc" || name == "chapman";
}

std::string reference_folder(const std::string& name) {
  if (name == "ptbxl") return "ptb-xl";
  if (name == "cpsc") return "cpsc2018";
  if (name == "chapman") return "chapman";
  if (name == "db5") return "ninapro-db5";
  return "emg-epn-612";
}

std::string reference_description(const std::string& name) {
  if (name == "ptbxl")
    return "PTB-XL 500 Hz, 5 diagnostic superclasses (likelihood >= 80), strat_fold 1-8 / 9 / 10";
  if (name == "cpsc")
    return "CPSC 2018, 9 classes multi-hot from SNOMED #Dx, records 70/20/10 (sklearn seed 42)";
  if (name == "chapman")
    return "Chapman-Shaoxing, 4 merged rhythm classes multi-hot, records 70/20/10 (numpy seed 42)";
  if (name == "db5") return "NinaPro DB5, rest + 52 movements, repetitions {1,3,4,6} / {2} / {5}";
  return "EMG-EPN-612, 6 gestures, trainingJSON users -> train/val, testingJSON users -> "
         "train/test";
}

json reference_default_options(const std::string& name) {
  if (is_ecg(name)) return ecg_to_json(name, EcgOptions{});
  if (name == "db5") return db5_to_json(Db5Options{});
  return epn_to_json(Epn612Options{});
}

void validate_reference_options(const std::string& name, const json& options,
                                const std::filesystem::path& data_dir) {
  try {
    if (is_ecg(name)) {
      ecg_from_json(name, options, data_dir).validate();
    } else if (name == "db5") {
      db5_from_json(options, data_dir).validate();
    } else {
      epn_from_json(options, data_dir).validate();
    }
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("{}.{}", name, e.what()));
  }
}

std::vector<std::string> reference_split_sources(const std::string& name, const json& options,
                                                 const std::filesystem::path& data_dir,
                                                 Split split) {
  if (name == "ptbxl")
    return record_names(ptbxl_split_records(ecg_from_json(name, options, data_dir), split));
  if (name == "cpsc")
    return record_names(cpsc_split_records(ecg_from_json(name, options, data_dir), split));
  if (name == "chapman")
    return record_names(chapman_split_records(ecg_from_json(name, options, data_dir), split));
  if (name == "db5") return db5_split_subjects(db5_from_json(options, data_dir));
  return epn612_split_users(epn_from_json(options, data_dir), split);
}

WindowSet build_reference_windows(const std::string& name, const json& options,
                                  const std::filesystem::path& data_dir, Split split) {
  if (name == "ptbxl") return build_ptbxl_windows(ecg_from_json(name, options, data_dir), split);
  if (name == "cpsc") return build_cpsc_windows(ecg_from_json(name, options, data_dir), split);
  if (name == "chapman")
    return build_chapman_windows(ecg_from_json(name, options, data_dir), split);
  if (name == "db5") return build_db5_windows(db5_from_json(options, data_dir), split);
  return build_epn612_windows(epn_from_json(options, data_dir), split);
}

}  // namespace physiolite::data
