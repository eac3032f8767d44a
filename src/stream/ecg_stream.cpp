#include "physiolite/stream/ecg_stream.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>

#include "physiolite/core/error.hpp"
#include "physiolite/core/json_file.hpp"
#include "physiolite/data/mitbih.hpp"
#include "physiolite/io/wfdb.hpp"

namespace physiolite::stream {

namespace fs = std::filesystem;

namespace {

// data.<key> of the run, or UsageError naming it.
const nlohmann::json& key(const nlohmann::json& section, const std::string& name,
                          const std::string& origin, const std::string& where) {
  if (!section.contains(name)) {
    throw UsageError(fmt::format("{}: {}.{}: expected a value, got nothing", origin, where, name));
  }
  return section.at(name);
}

// A C float literal that reads back as `v`: 9 significant digits, and a decimal point when the
// shortest form has none ("180f" is not C; "180.f" is).
std::string c_float(float v) {
  std::string out = fmt::format("{:.9g}", v);
  if (out.find_first_of(".e") == std::string::npos) out += '.';
  return out + 'f';
}

}  // namespace

EcgPreprocessing ecg_preprocessing_from_run(const nlohmann::json& run, const std::string& origin) {
  EcgPreprocessing pre;
  plrt_ecg_default_config(&pre.config);
  plrt_ecg_config& c = pre.config;
  try {
    if (!run.contains("data") || !run.contains("model")) {
      throw UsageError(
          fmt::format("{}: expected a run config with 'data' and 'model' sections", origin));
    }
    const auto& d = run.at("data");
    const auto& m = run.at("model");
    const std::string dataset = d.value("dataset", "");
    if (dataset != "mitbih") {
      throw UsageError(
          fmt::format("{}: data.dataset: expected a model of MIT-BIH beats (mitbih), got '{}'",
                      origin, dataset));
    }
    auto bad = [&](const std::string& k, const std::string& expected, const std::string& got) {
      throw UsageError(
          fmt::format("{}: data.{}: plrt_ecg implements {}, got {}", origin, k, expected, got));
    };
    if (d.value("filter_order", 2) != 2)
      bad("filter_order", "2", std::to_string(d.value("filter_order", 2)));
    if (d.value("normalization", std::string("zscore")) != "zscore")
      bad("normalization", "zscore", d.value("normalization", std::string()));
    if (d.value("template_beats", 0) != 0)
      bad("template_beats", "0 (the record's median beat)",
          std::to_string(d.value("template_beats", 0)));
    if (d.value("rr_robust", false)) bad("rr_robust", "false (means)", "true");
    pre.lead = d.value("lead", std::string("MLII"));
    c.model_fs_hz = static_cast<float>(key(d, "fs_hz", origin, "data").get<double>());
    c.leads = d.value("leads", 1);
    c.window_length = key(d, "window_length", origin, "data").get<int32_t>();
    c.beat_offset = key(d, "beat_offset", origin, "data").get<int32_t>();
    c.template_channel = d.value("template_channel", false) ? 1 : 0;
    c.local_rr_beats = d.value("local_rr_beats", 10);
    c.max_post_ms = static_cast<float>(d.value("causal_max_post_ms", data::kLegacyMaxPostMs));
    auto flag = [&](const char* name, bool fallback, uint32_t bit) {
      return d.value(name, fallback) ? bit : 0u;
    };
    c.side = flag("rr_seconds", true, PLRT_ECG_SIDE_RR_SECONDS) |
             flag("rr_ratios", false, PLRT_ECG_SIDE_RR_RATIOS) |
             flag("rr_variability", false, PLRT_ECG_SIDE_RR_VARIABILITY) |
             flag("rr_irregularity", false, PLRT_ECG_SIDE_RR_IRREGULARITY);
    c.n_side = 3 + (c.side & PLRT_ECG_SIDE_RR_SECONDS ? 1 : 0) +
               (c.side & PLRT_ECG_SIDE_RR_RATIOS ? 2 : 0) +
               (c.side & PLRT_ECG_SIDE_RR_VARIABILITY ? 1 : 0) +
               (c.side & PLRT_ECG_SIDE_RR_IRREGULARITY ? 1 : 0);
    c.low_hz = static_cast<float>(d.value("low_hz", 0.5));
    c.high_hz = static_cast<float>(d.value("high_hz", 40.0));
    c.pos_freqs = m.value("pos_freqs", 8);
    c.pe_scale = static_cast<float>(m.value("pe_scale", 0.1));
    const auto offset = m.value("side_offset", std::vector<double>{});
    const auto scale = m.value("side_scale", std::vector<double>{});
    if (!offset.empty() &&
        (static_cast<int32_t>(offset.size()) != c.n_side || scale.size() != offset.size())) {
      throw UsageError(fmt::format(
          "{}: model.side_offset/side_scale: expected {} entries (the data's side inputs), got "
          "{}/{}",
          origin, c.n_side, offset.size(), scale.size()));
    }
    for (size_t s = 0; s < offset.size() && s < PLRT_ECG_MAX_SIDE; ++s) {
      c.side_offset[s] = static_cast<float>(offset[s]);
      c.side_scale[s] = static_cast<float>(scale[s]);
    }
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(fmt::format("{}: {}", origin, e.what()));
  }
  if (plrt_ecg_check_config(&c, nullptr) != PLRT_OK) {
    throw UsageError(fmt::format(
        "{}: the run's preprocessing is outside what plrt_ecg supports (leads 1-2, window 8-{}, "
        "local_rr_beats 1-{}, at most {} side inputs and {} positional frequencies, 0 < low_hz "
        "< high_hz < 0.45 fs_hz)",
        origin, PLRT_ECG_MAX_WINDOW, PLRT_ECG_MAX_LOCAL_RR, PLRT_ECG_MAX_SIDE,
        PLRT_ECG_MAX_POS_FREQS));
  }
  return pre;
}

fs::path find_run_config(const fs::path& plq, const fs::path& run_dir) {
  if (!run_dir.empty()) {
    const fs::path p = run_dir / "config.json";
    if (!fs::exists(p)) {
      throw UsageError(
          fmt::format("--run {}: expected a run directory with config.json", run_dir.string()));
    }
    return p;
  }
  const fs::path up = plq.parent_path().parent_path() / "config.json";
  if (fs::exists(up)) return up;
  const fs::path sidecar = plq.string() + ".json";
  if (fs::exists(sidecar)) {
    const auto j = read_json_file(sidecar, "summary");
    if (j.is_object() && j.contains("checkpoint") && j["checkpoint"].is_string()) {
      const fs::path p = fs::path(j["checkpoint"].get<std::string>()).parent_path() / "config.json";
      if (fs::exists(p)) return p;
    }
  }
  throw UsageError(fmt::format(
      "{}: the model's preprocessing (its run's config.json) was not found next to it; give "
      "--run DIR",
      plq.string()));
}

std::string ecg_config_c_source(const plrt_ecg_config& c, const std::string& name) {
  auto floats = [](const float* v, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += (i ? ", " : "") + c_float(v[i]);
    return out;
  };
  return fmt::format(
      "/* Made by `physiolite ecg-config`: the model's preprocessing for plrt_ecg. */\n"
      "static const plrt_ecg_config {} = {{\n"
      "    {}, /* model_fs_hz */\n    {}, {}, {}, {}, {}, /* leads, window_length, "
      "beat_offset, template_channel, local_rr_beats */\n"
      "    {}u, {}, /* side, n_side */\n    {{{}}}, /* side_offset */\n    {{{}}}, /* side_scale "
      "*/\n    {}, {}, /* pos_freqs, pe_scale */\n    {}, {}, /* low_hz, high_hz */\n    {}, {}, "
      "/* valid_min, valid_max */\n    {}, {}, {}, {}, /* norm_seconds, template_step, "
      "learn_beats, max_post_ms */\n    {} /* refine_ms */\n}};\n",
      name, c_float(c.model_fs_hz), c.leads, c.window_length, c.beat_offset, c.template_channel,
      c.local_rr_beats, c.side, c.n_side, floats(c.side_offset, PLRT_ECG_MAX_SIDE),
      floats(c.side_scale, PLRT_ECG_MAX_SIDE), c.pos_freqs, c_float(c.pe_scale), c_float(c.low_hz),
      c_float(c.high_hz), c_float(c.valid_min), c_float(c.valid_max), c_float(c.norm_seconds),
      c_float(c.template_step), c.learn_beats, c_float(c.max_post_ms), c_float(c.refine_ms));
}

EcgStream::EcgStream(const qgraph::RuntimeModel& model, const plrt_ecg_config& config, double fs_hz)
    : config_(config), state_(std::make_unique<plrt_ecg_state>()) {
  if (!(fs_hz >= PLRT_ECG_MIN_FS_HZ && fs_hz <= PLRT_ECG_MAX_FS_HZ)) {
    throw UsageError(fmt::format("sampling rate: expected {} to {} Hz, got {:g}",
                                 PLRT_ECG_MIN_FS_HZ, PLRT_ECG_MAX_FS_HZ, fs_hz));
  }
  if (plrt_ecg_check_config(&config, &model.model()) != PLRT_OK) {
    throw UsageError(fmt::format(
        "{}: the model takes [{} x {}] inputs with {} classes, the preprocessing gives [{} x {}] "
        "({} leads{}, {} side inputs, {} positional channels)",
        model.origin(), model.channels(), model.length(), model.num_classes(),
        config.leads * (config.template_channel ? 2 : 1) + config.n_side + 2 * config.pos_freqs,
        config.window_length, config.leads, config.template_channel ? " x 2 (template)" : "",
        config.n_side, 2 * config.pos_freqs));
  }
  arena_.resize(plrt_model_arena_size(&model.model()));
  const plrt_status status =
      plrt_ecg_init(state_.get(), &config, nullptr, static_cast<float>(fs_hz), &model.model(),
                    arena_.data(), arena_.size());
  if (status != PLRT_OK) {
    throw UsageError(fmt::format("plrt_ecg_init refused rate {:g} Hz with this model (status {})",
                                 fs_hz, static_cast<int>(status)));
  }
}

EcgStream::~EcgStream() = default;

void EcgStream::drain(std::vector<plrt_ecg_beat>& out) {
  plrt_ecg_beat beat;
  while (plrt_ecg_pop(state_.get(), &beat)) out.push_back(beat);
}

void EcgStream::push(const float* sample, std::vector<plrt_ecg_beat>& out) {
  if (plrt_ecg_push(state_.get(), sample) > 0) drain(out);
}

void EcgStream::finish(std::vector<plrt_ecg_beat>& out) {
  while (plrt_ecg_finish(state_.get()) > 0) drain(out);
}

int64_t EcgStream::max_delay_samples() const { return plrt_ecg_max_delay_samples(state_.get()); }

uint32_t EcgStream::condition() const { return plrt_ecg_condition(state_.get()); }

StreamedRecord stream_record(const fs::path& record, const qgraph::RuntimeModel& model,
                             const EcgPreprocessing& pre, const std::string& signal,
                             int64_t max_samples) {
  const io::WfdbRecord rec = io::read_wfdb_record(record);
  const std::string header = record.string() + ".hea";
  int lead = rec.find_signal(signal.empty() ? pre.lead : signal);
  if (lead < 0 && !signal.empty()) {
    std::string names;
    for (const auto& s : rec.header.signals)
      names += (names.empty() ? "" : ", ") + excerpt(s.description);
    throw InputError(InputLocation::file(header), "signal", "one of " + names, signal);
  }
  if (lead < 0) lead = 0;
  std::vector<int> signals = {lead};
  if (pre.config.leads == 2) {
    if (rec.num_signals() < 2) {
      throw InputError(InputLocation::file(header), "signal description",
                       "a second signal (the model takes 2 leads)", "one signal");
    }
    signals.push_back(lead == 0 ? 1 : 0);
  }
  std::vector<dsp::Signal> leads;
  for (int s : signals) leads.push_back(rec.physical(s));
  StreamedRecord out;
  out.fs_hz = rec.header.fs_hz;
  if (!(out.fs_hz >= PLRT_ECG_MIN_FS_HZ && out.fs_hz <= PLRT_ECG_MAX_FS_HZ)) {
    throw InputError(InputLocation::file(header), "sampling frequency",
                     fmt::format("{} to {} Hz", PLRT_ECG_MIN_FS_HZ, PLRT_ECG_MAX_FS_HZ),
                     fmt::format("{:g}", out.fs_hz));
  }
  EcgStream stream(model, pre.config, out.fs_hz);
  auto n = static_cast<int64_t>(leads.front().samples.size());
  if (max_samples > 0) n = std::min(n, max_samples);
  float x[PLRT_ECG_MAX_LEADS] = {};
  for (int64_t i = 0; i < n; ++i) {
    for (size_t l = 0; l < leads.size(); ++l)
      x[l] = static_cast<float>(leads[l].samples[static_cast<size_t>(i)]);
    stream.push(x, out.beats);
  }
  stream.finish(out.beats);
  out.samples = n;
  out.max_delay_samples = stream.max_delay_samples();
  return out;
}

std::string describe_ecg_condition(uint32_t condition) {
  static const std::pair<uint32_t, const char*> kNames[] = {
      {PLRT_ECG_COND_LEARNING, "learning"},
      {PLRT_ECG_COND_SIGNAL_LOST, "signal lost"},
      {PLRT_ECG_COND_INVALID_SAMPLE, "invalid sample"},
      {PLRT_ECG_COND_STREAM_ENDED, "stream ended"},
      {PLRT_ECG_COND_TOO_LATE, "too late"}};
  std::string out;
  for (const auto& [flag, name] : kNames) {
    if ((condition & flag) == 0) continue;
    if (!out.empty()) out += '+';
    out += name;
  }
  return out;
}

}  // namespace physiolite::stream
