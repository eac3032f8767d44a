#include "physiolite/export/sample_window.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "physiolite/arch/positional.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/json_file.hpp"

namespace physiolite::exporting {

namespace {

using nlohmann::json;

json read_config(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) {
    throw UsageError(fmt::format(
        "{}: cannot read the run's config (the model's run folder, as `physiolite train` wrote "
        "it, holds config.json beside int8/)",
        path.string()));
  }
  json config = read_json_file(path, "config");
  if (!config.is_object() || !config.contains("data") || !config.contains("model")) {
    throw InputError(InputLocation::file(path.string()), "config",
                     "a JSON object with 'data' and 'model' sections", "something else");
  }
  return config;
}

// A key of the model section, type-checked.
template <typename T>
T model_key(const json& model, const char* key, const std::filesystem::path& path, T fallback) {
  if (!model.contains(key)) return fallback;
  try {
    return model.at(key).get<T>();
  } catch (const json::exception&) {
    throw InputError(InputLocation::file(path.string()), fmt::format("model.{}", key),
                     "a number (list)", model.at(key).dump());
  }
}

}  // namespace

SplitInputs run_split_inputs(const std::filesystem::path& run_dir, data::Split split,
                             const std::filesystem::path& data_dir) {
  const auto path = run_dir / "config.json";
  const json config = read_config(path);
  json options = config["data"];
  const std::string dataset = options.value("dataset", "");
  if (dataset.empty() || dataset == "hdf5") {
    throw UsageError(fmt::format(
        "{}: data.dataset '{}': the export's sample window is rebuilt from a benchmark dataset "
        "(mitbih, uci, uci-tinymyo)",
        path.string(), dataset));
  }
  options.erase("dataset");
  data::Benchmark benchmark(dataset, data_dir);
  benchmark.set_options(options);
  const data::WindowSet set = benchmark.build(split);
  if (set.n == 0) {
    throw UsageError(fmt::format("{}: the {} split of {} has no windows", path.string(),
                                 data::split_name(split), dataset));
  }
  const json& model = config["model"];
  const int length = model_key<int>(model, "input_length", path, static_cast<int>(set.t));
  const int pos_freqs = model_key<int>(model, "pos_freqs", path, 0);
  const double pe_scale = model_key<double>(model, "pe_scale", path, 1.0);
  auto offset = model_key<std::vector<double>>(model, "side_offset", path, {});
  auto scale = model_key<std::vector<double>>(model, "side_scale", path, {});
  const auto side = static_cast<size_t>(set.side_dim);
  if (offset.empty()) offset.assign(side, 0.0);
  if (scale.empty()) scale.assign(side, 1.0);
  if (offset.size() != side || scale.size() != side) {
    throw InputError(InputLocation::file(path.string()), "model.side_offset",
                     fmt::format("{} entries (the data's side inputs)", side),
                     std::to_string(offset.size()));
  }
  const std::vector<float> positional = arch::positional_channels(length, pos_freqs, pe_scale);

  SplitInputs out;
  out.channels = static_cast<int>(set.c + set.side_dim) + 2 * pos_freqs;
  out.length = length;
  out.n = set.n;
  out.dataset = dataset;
  out.source = set.source;
  out.begin_sample = set.begin_sample;
  out.layout = fmt::format(
      "- channels 0-{}: the {} signal channel(s) of the {} window ({} samples{}), filtered and "
      "normalised as `physiolite data` builds them\n"
      "- channels {}-{}: the {} side input(s) (standardised: (v - side_offset) / side_scale with "
      "the run's config.json values), each constant over the window\n"
      "- channels {}-{}: {} positional channels, identical for every window (a constant buffer "
      "on the device): row 2k = {} * sin(2 pi 2^k t), row 2k+1 = {} * cos(2 pi 2^k t), "
      "t = n / {} for n = 0..{}\n",
      set.c - 1, set.c, dataset, length, set.t != length ? ", centre-cropped or zero-padded" : "",
      set.c, set.c + set.side_dim - 1, set.side_dim, set.c + set.side_dim, out.channels - 1,
      2 * pos_freqs, pe_scale, pe_scale, length - 1, length - 1);
  const auto t = static_cast<int64_t>(length);
  out.x.resize(static_cast<size_t>(set.n * out.channels * t));
  // Centre crop when the window is longer, right zero-padding when it is shorter (the trainer's
  // rule, docs/training.md).
  const int64_t crop = std::max<int64_t>(0, (set.t - t) / 2);
  const int64_t copy = std::min(t, set.t);
  float* o = out.x.data();
  for (int64_t i = 0; i < set.n; ++i) {
    const float* w = set.window(i);
    for (int64_t ch = 0; ch < set.c; ++ch, o += t) {
      std::memcpy(o, w + ch * set.t + crop, static_cast<size_t>(copy) * sizeof(float));
      std::fill(o + copy, o + t, 0.0f);
    }
    for (size_t s = 0; s < side; ++s, o += t) {
      const float v = set.side[static_cast<size_t>(i) * side + s];
      std::fill(o, o + t, (v - static_cast<float>(offset[s])) / static_cast<float>(scale[s]));
    }
    std::memcpy(o, positional.data(), positional.size() * sizeof(float));
    o += positional.size();
  }
  return out;
}

SampleWindow sample_window(const qgraph::RuntimeModel& runtime, const SplitInputs& inputs,
                           int64_t index, const std::string& split_name) {
  if (runtime.channels() != inputs.channels || runtime.length() != inputs.length) {
    throw UsageError(fmt::format(
        "{}: the model takes {} channels x {} samples, but its run's windows are {} x {}",
        runtime.origin(), runtime.channels(), runtime.length(), inputs.channels, inputs.length));
  }
  PL_CHECK(index >= 0 && index < inputs.n, "sample window index");
  const float* x = inputs.x.data() + index * inputs.channels * inputs.length;
  SampleWindow s;
  s.channels = inputs.channels;
  s.length = inputs.length;
  s.layout = inputs.layout;
  s.real_input.assign(x, x + inputs.channels * inputs.length);
  s.input = runtime.quantize(x, 1);
  s.logits = runtime.run_quantized(s.input.data(), 1, PLRT_KERNELS_OPTIMIZED);
  const auto i = static_cast<size_t>(index);
  std::string where;
  if (i < inputs.source.size()) {
    where =
        fmt::format(" ({} {}", inputs.dataset == "mitbih" ? "record" : "subject", inputs.source[i]);
    if (i < inputs.begin_sample.size()) where += fmt::format(", sample {}", inputs.begin_sample[i]);
    where += ")";
  }
  s.origin = fmt::format("{} window {} of {}{}", split_name, index, inputs.dataset, where);
  return s;
}

}  // namespace physiolite::exporting
