#include "physiolite/data/benchmark.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/core/json_file.hpp"
#include "physiolite/core/json_text.hpp"
#include "physiolite/data/mitbih.hpp"
#include "physiolite/data/reference_benchmarks.hpp"
#include "physiolite/data/synthetic_rhythm.hpp"
#include "physiolite/data/uci_emg_windows.hpp"
#include "physiolite/io/uci_emg.hpp"

namespace physiolite::data {

namespace {

const char* normalization_name(dsp::Normalization n) {
  switch (n) {
    case dsp::Normalization::kZScore:
      return "zscore";
    case dsp::Normalization::kMinMaxSymmetric:
      return "minmax";
    case dsp::Normalization::kMinMaxUnit:
      return "minmax01";
    case dsp::Normalization::kMaxAbs:
      return "maxabs";
  }
  return "zscore";
}

dsp::Normalization parse_normalization(const std::string& s) {
  for (auto n : {dsp::Normalization::kZScore, dsp::Normalization::kMinMaxSymmetric,
                 dsp::Normalization::kMinMaxUnit, dsp::Normalization::kMaxAbs}) {
    if (s == normalization_name(n)) return n;
  }
  throw UsageError(
      fmt::format("mitbih.normalization: expected zscore, minmax, minmax01 or maxabs, "
                  "got '{}'",
                  s));
}

nlohmann::json mitbih_to_json(const MitBihOptions& o) {
  return {{"lead", o.lead},
          {"leads", o.leads},
          {"filter_order", o.filter_order},
          {"low_hz", o.low_hz},
          {"high_hz", o.high_hz},
          {"fs_hz", o.fs_hz},
          {"window_length", o.window_length},
          {"beat_offset", o.beat_offset},
          {"local_rr_beats", o.local_rr_beats},
          {"rr_ratios", o.rr_ratios},
          {"rr_variability", o.rr_variability},
          {"rr_robust", o.rr_robust},
          {"rr_seconds", o.rr_seconds},
          {"rr_irregularity", o.rr_irregularity},
          {"template_channel", o.template_channel},
          {"template_beats", o.template_beats},
          {"af_rhythm_fraction", o.af_rhythm_fraction},
          {"causal", o.causal},
          {"causal_max_post_ms", o.causal_max_post_ms},
          {"train_beats", o.train_beats},
          {"normalization", normalization_name(o.normalization)},
          {"classes", o.classes},
          {"validation_records", o.validation_records},
          {"test_records", o.test_records}};
}

nlohmann::json uci_to_json(const UciEmgOptions& o) {
  return {{"grid_hz", o.grid_hz},
          {"window_length", o.window_length},
          {"stride", o.stride},
          {"edge_trim", o.edge_trim},
          {"zscore_epsilon", o.zscore_epsilon},
          {"train_subjects", o.train_subjects},
          {"validation_subjects", o.validation_subjects},
          {"test_subjects", o.test_subjects}};
}

UciEmgOptions uci_from_json(const nlohmann::json& j, const std::filesystem::path& data_dir) {
  UciEmgOptions o;
  o.dir = data_dir / "uci-emg-gestures";
  o.grid_hz = j.at("grid_hz").get<double>();
  o.window_length = j.at("window_length").get<int64_t>();
  o.stride = j.at("stride").get<int64_t>();
  o.edge_trim = j.at("edge_trim").get<int64_t>();
  o.zscore_epsilon = j.at("zscore_epsilon").get<double>();
  o.train_subjects = j.at("train_subjects").get<std::vector<int>>();
  o.validation_subjects = j.at("validation_subjects").get<std::vector<int>>();
  o.test_subjects = j.at("test_subjects").get<std::vector<int>>();
  return o;
}

std::vector<std::string> to_strings(const std::vector<int>& v) {
  std::vector<std::string> out;
  for (int x : v) out.push_back(std::to_string(x));
  return out;
}

}  // namespace

MitBihOptions mitbih_options_from_json(const nlohmann::json& j,
                                       const std::filesystem::path& data_dir) {
  MitBihOptions o;
  o.mitdb_dir = data_dir / "mitdb";
  o.lead = j.at("lead").get<std::string>();
  o.leads = j.value("leads", 1);  // runs made before the option have one lead
  o.filter_order = j.at("filter_order").get<int>();
  o.low_hz = j.at("low_hz").get<double>();
  o.high_hz = j.at("high_hz").get<double>();
  o.fs_hz = j.at("fs_hz").get<double>();
  o.window_length = j.at("window_length").get<int64_t>();
  o.beat_offset = j.at("beat_offset").get<int64_t>();
  o.local_rr_beats = j.at("local_rr_beats").get<int>();
  o.rr_ratios = j.value("rr_ratios", false);  // runs made before these options have neither
  o.rr_variability = j.value("rr_variability", false);
  o.rr_robust = j.value("rr_robust", false);
  o.rr_seconds = j.value("rr_seconds", true);
  o.rr_irregularity = j.value("rr_irregularity", false);
  o.template_channel = j.value("template_channel", false);
  o.template_beats = j.value("template_beats", int64_t{0});
  o.af_rhythm_fraction = j.value("af_rhythm_fraction", 0.0);
  o.causal = j.value("causal", false);  // runs made before the option: record-wide definitions
  o.causal_max_post_ms = j.value("causal_max_post_ms", kLegacyMaxPostMs);
  o.train_beats = j.value("train_beats", std::string("annotated"));
  o.normalization = parse_normalization(j.at("normalization").get<std::string>());
  o.classes = j.at("classes").get<std::string>();
  o.validation_records = j.at("validation_records").get<std::vector<int>>();
  o.test_records = j.value("test_records", std::vector<int>{});  // empty before the option: DS2
  return o;
}

const char* split_name(Split split) {
  switch (split) {
    case Split::kTrain:
      return "train";
    case Split::kValidation:
      return "validation";
    case Split::kTest:
      return "test";
  }
  return "train";
}

Split parse_split(const std::string& name) {
  if (name == "train") return Split::kTrain;
  if (name == "validation" || name == "val") return Split::kValidation;
  if (name == "test") return Split::kTest;
  throw UsageError(fmt::format("split: expected train, validation or test, got '{}'", name));
}

std::vector<std::string> benchmark_names() {
  return {"mitbih", "uci", "uci-tinymyo", "ptbxl", "cpsc", "chapman", "db5", "epn612"};
}

Benchmark::Benchmark(const std::string& name, const std::filesystem::path& data_dir)
    : name_(name), data_dir_(data_dir) {
  if (name == "mitbih") {
    options_ = mitbih_to_json(MitBihOptions{});
  } else if (name == "uci") {
    options_ = uci_to_json(uci_emg_reference_options({}));
  } else if (name == "uci-tinymyo") {
    options_ = uci_to_json(uci_emg_tinymyo_options({}));
  } else if (is_reference_benchmark(name)) {
    options_ = reference_default_options(name);
  } else {
    throw UsageError(fmt::format(
        "dataset: expected one of mitbih, uci, uci-tinymyo, ptbxl, cpsc, chapman, db5, epn612, "
        "got '{}'",
        name));
  }
}

std::string Benchmark::description() const {
  if (name_ == "mitbih") {
    return "MIT-BIH Arrhythmia, inter-patient beats (DS1 -> DS2, de Chazal 2004), AAMI classes";
  }
  if (is_reference_benchmark(name_)) return reference_description(name_);
  if (name_ == "uci")
    return "UCI EMG gestures 1-6, the reference's subject split (val 33-34, test 35-36)";
  return "UCI EMG gestures 1-6, TinyMyo's subject split (train 1-24, val 25-30, test 31-36)";
}

void Benchmark::set_options(const nlohmann::json& overrides) {
  if (!overrides.is_object()) {
    throw UsageError(
        fmt::format("{}: expected an object of options, got {}", name_, excerpt(overrides.dump())));
  }
  nlohmann::json merged = options_;
  for (const auto& [key, value] : overrides.items()) {
    if (!options_.contains(key)) {
      std::string known;
      for (const auto& [k, v] : options_.items()) known += (known.empty() ? "" : ", ") + k;
      throw UsageError(
          fmt::format("{}.{}: unknown option (known: {})", name_, excerpt(key), known));
    }
    const auto& current = options_[key];
    bool same_kind =
        (current.is_number() && value.is_number()) || (current.is_string() && value.is_string()) ||
        (current.is_array() && value.is_array()) || (current.is_boolean() && value.is_boolean());
    if (!same_kind || (current.is_number_integer() && !value.is_number_integer())) {
      throw UsageError(fmt::format("{}.{}: expected {} like {}, got {}", name_, key,
                                   current.type_name(), current.dump(), excerpt(value.dump())));
    }
    merged[key] = value;
  }
  try {
    if (is_reference_benchmark(name_)) {
      validate_reference_options(name_, merged, data_dir_);
    } else if (name_ == "mitbih") {
      mitbih_options_from_json(merged, data_dir_).validate();
    } else {
      uci_from_json(merged, data_dir_).validate();
    }
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(fmt::format("{}: {}", name_, e.what()));
  }
  options_ = std::move(merged);
}

void Benchmark::apply_assignments(const std::vector<std::string>& assignments) {
  nlohmann::json overrides = nlohmann::json::object();
  for (const auto& assignment : assignments) {
    auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError(fmt::format("--set: expected key=value, got '{}'", excerpt(assignment)));
    }
    std::string text = assignment.substr(eq + 1);
    // `train --set data.window_length=128` and `data summary --set data.window_length=128` take
    // the same key: the section prefix of a config is accepted and dropped.
    std::string key = assignment.substr(0, eq);
    nlohmann::json value = try_parse_json_value(text, "--set " + key).value_or(text);
    if (key.starts_with("data.")) key.erase(0, 5);
    overrides[key] = value;
  }
  set_options(overrides);
}

std::vector<std::string> Benchmark::split_sources(Split split) const {
  if (is_reference_benchmark(name_))
    return reference_split_sources(name_, options_, data_dir_, split);
  if (name_ == "mitbih") {
    auto o = mitbih_options_from_json(options_, data_dir_);
    MitBihSplit s = split == Split::kTrain        ? MitBihSplit::kTrain
                    : split == Split::kValidation ? MitBihSplit::kValidation
                                                  : MitBihSplit::kTest;
    return to_strings(mitbih_split_records(s, o));
  }
  auto o = uci_from_json(options_, data_dir_);
  UciEmgSplit s = split == Split::kTrain        ? UciEmgSplit::kTrain
                  : split == Split::kValidation ? UciEmgSplit::kValidation
                                                : UciEmgSplit::kTest;
  return to_strings(uci_emg_split_subjects(o, s));
}

std::vector<std::string> Benchmark::absent_sources() const {
  std::vector<std::string> absent;
  // The reference datasets have no fixed list of sources to miss: what is on disk is the data.
  if (is_reference_benchmark(name_)) return absent;
  if (name_ == "mitbih") {
    for (Split split : kAllSplits) {
      for (const auto& r : split_sources(split)) {
        if (!std::filesystem::exists(data_dir_ / "mitdb" / (r + ".hea"))) absent.push_back(r);
      }
    }
    return absent;
  }
  const auto dir = data_dir_ / "uci-emg-gestures";
  if (!std::filesystem::is_directory(dir)) {
    for (Split split : kAllSplits) {
      for (const auto& s : split_sources(split)) absent.push_back(s);
    }
    return absent;
  }
  return to_strings(io::absent_uci_emg_subjects(io::list_uci_emg_files(dir)));
}

WindowSet Benchmark::build(Split split) const {
  if (is_reference_benchmark(name_))
    return build_reference_windows(name_, options_, data_dir_, split);
  std::vector<int> sources;
  for (const auto& s : split_sources(split)) sources.push_back(std::stoi(s));
  if (name_ == "mitbih") {
    const MitBihOptions options = mitbih_options_from_json(options_, data_dir_);
    // The test split is the benchmark's: the annotated beats, whatever the training beats were.
    const BeatSource beats = split != Split::kTest && options.train_beats == "detected"
                                 ? BeatSource::kDevice
                                 : BeatSource::kAnnotations;
    WindowSet set = build_mitbih_windows(sources, options, beats);
    // Training data only: validation and test are scored on the rhythms they have.
    if (split == Split::kTrain && options.af_rhythm_fraction > 0)
      give_synthetic_irregular_rhythm(set, options);
    return set;
  }
  return build_uci_emg_windows(sources, uci_from_json(options_, data_dir_));
}

std::vector<int64_t> class_counts(const WindowSet& set) {
  if (set.multi_label()) {
    std::vector<int64_t> counts(static_cast<size_t>(set.num_label_columns), 0);
    for (size_t i = 0; i < set.labels.size(); ++i) {
      counts[i % counts.size()] += set.labels[i] != 0;
    }
    return counts;
  }
  int64_t k = static_cast<int64_t>(set.class_names.size());
  for (int64_t label : set.labels) k = std::max(k, label + 1);
  std::vector<int64_t> counts(static_cast<size_t>(k), 0);
  for (int64_t label : set.labels) {
    if (label >= 0) ++counts[static_cast<size_t>(label)];
  }
  return counts;
}

Benchmark benchmark_from_config(const std::filesystem::path& config, const std::string& dataset,
                                const std::filesystem::path& data_dir) {
  const nlohmann::json j = read_json_file(config, "config");
  if (!j.is_object()) {
    throw InputError(InputLocation::file(config.string()), "config", "a JSON object",
                     "text that is not one");
  }
  if (!j.contains("data") || !j["data"].is_object() || !j["data"].contains("dataset") ||
      !j["data"]["dataset"].is_string()) {
    throw UsageError(fmt::format("{}: data.dataset: expected a dataset name (one of {})",
                                 config.string(), fmt::join(benchmark_names(), ", ")));
  }
  nlohmann::json options = j["data"];
  const std::string name = options["dataset"].get<std::string>();
  if (!dataset.empty() && dataset != name) {
    throw UsageError(fmt::format("{}: data.dataset is '{}', the command names '{}'",
                                 config.string(), name, dataset));
  }
  options.erase("dataset");
  Benchmark b(name, data_dir);
  try {
    b.set_options(options);
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("{}: data: {}", config.string(), e.what()));
  }
  return b;
}

}  // namespace physiolite::data
