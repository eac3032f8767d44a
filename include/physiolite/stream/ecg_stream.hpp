// The streaming ECG pipeline (runtime/include/plrt_ecg.h) from C++: its model-specific
// preprocessing read from a run's config.json, a stream object that owns the C state and arena,
// and whole records streamed through it (`physiolite stream`, the DS2 benchmark, the agreement
// test with the C++ causal windows). Torch-free. docs/stream.md has the design.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "physiolite/qgraph/runtime_model.hpp"
#include "plrt_ecg.h"

namespace physiolite::stream {

// The preprocessing of a run: the C config plus the lead it was trained on.
struct EcgPreprocessing {
  plrt_ecg_config config{};
  std::string lead = "MLII";  // lead 0; the second lead is the record's other signal
};

// From a run's resolved config (config.json: "data" and "model" sections). UsageError naming
// `origin` and the key when the run is no MIT-BIH beat model or uses an option plrt_ecg does not
// implement (filter_order other than 2, normalisation other than zscore, template_beats).
EcgPreprocessing ecg_preprocessing_from_run(const nlohmann::json& run_config,
                                            const std::string& origin);

// The run config.json that goes with an int8 model: `run_dir`/config.json when run_dir is not
// empty, else the one two levels up (models/<run>/int8/<file>.plq), else the directory of the
// checkpoint named in <file>.plq.json. UsageError saying to give --run when none is found.
std::filesystem::path find_run_config(const std::filesystem::path& plq,
                                      const std::filesystem::path& run_dir);

// A C99 initializer `static const plrt_ecg_config <name> = {...};` (firmware builds).
std::string ecg_config_c_source(const plrt_ecg_config& config, const std::string& name);

// One plrt_ecg stream. UsageError when fs_hz is outside [100, 1000] Hz or the model does not fit
// the config (naming both shapes).
class EcgStream {
 public:
  EcgStream(const qgraph::RuntimeModel& model, const plrt_ecg_config& config, double fs_hz);
  ~EcgStream();
  EcgStream(const EcgStream&) = delete;
  EcgStream& operator=(const EcgStream&) = delete;

  int leads() const { return config_.leads; }
  // One sample per lead; the beats it finalised are appended to `out`.
  void push(const float* sample, std::vector<plrt_ecg_beat>& out);
  // End of the stream: the pending beats, appended to `out`.
  void finish(std::vector<plrt_ecg_beat>& out);
  int64_t max_delay_samples() const;
  uint32_t condition() const;

 private:
  void drain(std::vector<plrt_ecg_beat>& out);
  plrt_ecg_config config_;
  std::unique_ptr<plrt_ecg_state> state_;
  std::vector<uint8_t> arena_;
};

// A WFDB record streamed sample by sample (lead `pre.lead`, or `signal` when not empty, falling
// back to the first signal; the second lead is the other signal). InputError naming the header
// for a missing signal or a rate outside [100, 1000] Hz. `max_samples` > 0 stops early.
struct StreamedRecord {
  std::vector<plrt_ecg_beat> beats;
  double fs_hz = 0;
  int64_t samples = 0;
  int64_t max_delay_samples = 0;
};
StreamedRecord stream_record(const std::filesystem::path& record, const qgraph::RuntimeModel& model,
                             const EcgPreprocessing& pre, const std::string& signal = "",
                             int64_t max_samples = 0);

// "learning", "signal lost", ... joined by '+' for a beat's condition flags.
std::string describe_ecg_condition(uint32_t condition);

}  // namespace physiolite::stream
