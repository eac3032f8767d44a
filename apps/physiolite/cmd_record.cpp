// `physiolite record`: inspect, convert and write WFDB records, like rdsamp / rdann / wrsamp /
// wrann. `<record>` is a path without extension. Parsing and printing only: writing is
// data::write_record_from_signals.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/record_writer.hpp"
#include "physiolite/io/csv_table.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/io/wfdb_signal.hpp"
#include "physiolite/io/wfdb_text.hpp"

namespace physiolite::cli {

namespace {

struct RangeFlags {
  std::string from, to;
};

void add_range(CLI::App* cmd, RangeFlags& range) {
  cmd->add_option("--from", range.from, "First sample: a sample number or hh:mm:ss.sss");
  cmd->add_option("--to", range.to, "End sample (exclusive): a sample number or hh:mm:ss.sss");
}

// [begin, end) from the flags; end = -1 for "to the end". `total` < 0 when unknown.
std::pair<int64_t, int64_t> resolve_range(const RangeFlags& range, const io::WfdbHeader& header,
                                          int64_t total, const std::string& record) {
  const int64_t begin =
      range.from.empty() ? 0 : io::parse_sample_position(range.from, header.fs_hz, "--from");
  const int64_t end =
      range.to.empty() ? -1 : io::parse_sample_position(range.to, header.fs_hz, "--to");
  if (total >= 0 && begin >= total && !(begin == 0 && total == 0)) {
    throw UsageError(fmt::format("--from {}: sample {} is past the end of {} ({} samples)",
                                 range.from, begin, record, total));
  }
  if (total >= 0 && end > total) {
    throw UsageError(fmt::format("--to {}: sample {} is past the end of {} ({} samples)", range.to,
                                 end, record, total));
  }
  if (end >= 0 && end < begin) {
    throw UsageError(fmt::format("--to {} comes before --from {}", range.to, range.from));
  }
  return {begin, end};
}

void print_warnings(const io::WfdbRecord& record) {
  for (const auto& w : record.warnings)
    std::fprintf(stderr, "physiolite: warning: %s\n", w.c_str());
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  if (!text.empty()) io::split_csv_line(text, out);
  return out;
}

// ---- record info ---------------------------------------------------------------------------

nlohmann::json signal_json(const io::WfdbSignalSpec& s) {
  nlohmann::json j = {{"description", s.description},
                      {"file", s.file_name},
                      {"format", s.format},
                      {"samples_per_frame", s.samples_per_frame},
                      {"skew", s.skew},
                      {"byte_offset", s.byte_offset},
                      {"gain", s.adc_gain},
                      {"gain_given", s.gain_given},
                      {"baseline", s.baseline},
                      {"units", s.units},
                      {"adc_resolution", s.adc_resolution},
                      {"adc_zero", s.adc_zero},
                      {"block_size", s.block_size}};
  j["initial_value"] = s.initial_value ? nlohmann::json(*s.initial_value) : nlohmann::json();
  j["checksum"] = s.checksum ? nlohmann::json(*s.checksum) : nlohmann::json();
  return j;
}

constexpr const char* kOutsidePathsHelp =
    "Read signal files the header names outside the record's folder (absolute or '..')";

void run_info(const std::string& path, bool json, bool strict, bool outside) {
  const io::WfdbRecord rec =
      io::read_wfdb_record(path, {.strict = strict, .allow_outside_paths = outside});
  const auto& h = rec.header;
  const int64_t frames =
      h.num_samples >= 0
          ? h.num_samples
          : (rec.num_signals() ? rec.num_samples() / h.signals[0].samples_per_frame : 0);
  if (json) {
    nlohmann::json j = {{"record", h.record_name},
                        {"fs_hz", h.fs_hz},
                        {"num_samples", frames},
                        {"duration_s", frames / h.fs_hz},
                        {"counter_freq_hz", h.counter_freq_hz},
                        {"base_counter", h.base_counter},
                        {"base_time", h.base_time},
                        {"base_date", h.base_date},
                        {"num_segments", h.num_segments},
                        {"comments", h.comments},
                        {"warnings", rec.warnings}};
    j["signals"] = nlohmann::json::array();
    for (const auto& s : h.signals) j["signals"].push_back(signal_json(s));
    j["segments"] = nlohmann::json::array();
    for (const auto& s : h.segments)
      j["segments"].push_back({{"name", s.name}, {"num_samples", s.num_samples}});
    // Header text may be any bytes: invalid UTF-8 becomes U+FFFD instead of a dump() exception.
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    // Header text is printed with control characters escaped (no terminal escape sequences).
    const auto safe = [](const std::string& text) { return escape_controls(text); };
    fmt::print("record {}\n", safe(h.record_name));
    fmt::print("sampling frequency: {} Hz\n", h.fs_hz);
    fmt::print("samples: {} per signal, duration {} ({} s)\n", frames,
               io::format_elapsed(frames / h.fs_hz), frames / h.fs_hz);
    if (h.counter_freq_hz > 0)
      fmt::print("counter frequency: {} Hz (base {})\n", h.counter_freq_hz, h.base_counter);
    if (!h.base_time.empty()) fmt::print("base time: {}\n", safe(h.base_time));
    if (!h.base_date.empty()) fmt::print("base date: {}\n", safe(h.base_date));
    if (h.num_segments > 0) fmt::print("segments: {}\n", h.num_segments);
    fmt::print("signals: {}\n", h.signals.size());
    for (size_t i = 0; i < h.signals.size(); ++i) {
      const auto& s = h.signals[i];
      fmt::print(
          "  {} {}: file {}, format {}, {} sample(s)/frame, skew {}, offset {}, gain {} adu/{}{}, "
          "baseline {}, ADC {} bits, ADC zero {}, initial value {}, checksum {}, block size {}\n",
          i, s.description.empty() ? "(no description)" : safe(s.description), safe(s.file_name),
          s.format, s.samples_per_frame, s.skew, s.byte_offset, s.adc_gain, safe(s.units),
          s.gain_given ? "" : " (default)", s.baseline, s.adc_resolution, s.adc_zero,
          s.initial_value ? std::to_string(*s.initial_value) : "-",
          s.checksum ? std::to_string(*s.checksum) : "-", s.block_size);
    }
    fmt::print("checks: {}\n", rec.warnings.empty()
                                   ? "checksums and initial values match"
                                   : fmt::format("{} warning(s)", rec.warnings.size()));
    for (const auto& c : h.comments) fmt::print("# {}\n", safe(c));
    std::fflush(stdout);
  }
  print_warnings(rec);
}

// ---- record samples ------------------------------------------------------------------------

void run_samples(const std::string& path, const RangeFlags& range, const std::string& names,
                 bool digital, bool strict, bool outside) {
  const io::WfdbHeader header = io::read_wfdb_header(path);
  int64_t total = header.num_samples;
  if (total < 0 && header.num_segments == 0) {
    total = io::read_wfdb_record(path, {.allow_outside_paths = outside}).num_samples();
  }
  const auto [begin, end] = resolve_range(range, header, total, path);
  const io::WfdbRecord rec = io::read_wfdb_record(
      path,
      {.begin_sample = begin, .end_sample = end, .strict = strict, .allow_outside_paths = outside});
  std::vector<int> signals;
  for (const auto& name : split_list(names)) {
    const int s = rec.find_signal(name);
    if (s < 0) {
      std::vector<std::string> known;
      for (const auto& spec : rec.header.signals) known.push_back(excerpt(spec.description));
      throw UsageError(fmt::format("--signals: {} has no signal '{}' (it has: {})", path,
                                   excerpt(name), fmt::join(known, ", ")));
    }
    signals.push_back(s);
  }
  if (names.empty()) {
    for (int s = 0; s < rec.num_signals(); ++s) signals.push_back(s);
  }
  print_warnings(rec);
  io::write_samples_csv(rec, signals, digital, stdout);
  std::fflush(stdout);
}

// ---- record annotations --------------------------------------------------------------------

void run_annotations(const std::string& path, const std::string& annotator,
                     const RangeFlags& range) {
  const io::WfdbHeader header = io::read_wfdb_header(path);
  const auto [begin, end] = resolve_range(range, header, header.num_samples, path);
  std::vector<io::Annotation> all = io::read_annotations(path, annotator);
  std::vector<io::Annotation> picked;
  for (auto& a : all) {
    if (a.sample >= begin && (end < 0 || a.sample < end)) picked.push_back(std::move(a));
  }
  io::write_annotations_csv(picked, header.fs_hz, stdout);
  std::fflush(stdout);
}

// ---- record write --------------------------------------------------------------------------

struct WriteFlags {
  std::string input, annotations, annotator = "atr", gains, baselines, units;
  double fs_hz = 0;
  int format = 16;
  bool digital = false;
};

std::vector<double> numbers(const std::string& flag, const std::string& text) {
  std::vector<double> out;
  for (const auto& item : split_list(text)) {
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || !std::isfinite(v)) {
      throw UsageError(fmt::format("{}: '{}' is not a number", flag, excerpt(item)));
    }
    out.push_back(v);
  }
  return out;
}

void run_write(const std::string& path, const WriteFlags& f) {
  data::RecordWriteOptions options;
  options.input = f.input;
  options.fs_hz = f.fs_hz;
  options.format = f.format;
  options.gains = numbers("--gain", f.gains);
  options.baselines = numbers("--baseline", f.baselines);
  options.units = split_list(f.units);
  options.digital = f.digital;
  options.annotations = f.annotations;
  options.annotator = f.annotator;
  data::write_record_from_signals(path, options);
}

const bool registered = register_command(20, [](CLI::App& app) {
  auto* record = app.add_subcommand("record", "Inspect, convert and write WFDB records");
  record->require_subcommand(1);

  struct State {
    std::string path, names, annotator = "atr";
    bool json = false, digital = false, strict = false, outside = false;
    RangeFlags range;
    WriteFlags write;
  };
  auto state = std::make_shared<State>();

  auto* info = record->add_subcommand("info", "Header fields per signal, duration, frequency");
  info->add_option("record", state->path, "Record path without extension")->required();
  info->add_flag("--json", state->json, "Print JSON");
  info->add_flag("--strict", state->strict, "Checksum / initial-value mismatch is an error");
  info->add_flag("--allow-outside-paths", state->outside, kOutsidePathsHelp);
  set_examples(info, {"record info ../shared/data/mitdb/100 --json"});
  info->callback([state] { run_info(state->path, state->json, state->strict, state->outside); });

  auto* samples = record->add_subcommand("samples", "Signals as CSV on stdout");
  samples->add_option("record", state->path, "Record path without extension")->required();
  add_range(samples, state->range);
  samples->add_option("--signals", state->names, "Comma-separated signal names (default: all)");
  samples->add_flag("--digital", state->digital, "ADC units instead of physical units");
  samples->add_flag("--strict", state->strict, "Checksum / initial-value mismatch is an error");
  samples->add_flag("--allow-outside-paths", state->outside, kOutsidePathsHelp);
  set_examples(
      samples,
      {"record samples ../shared/data/mitdb/100 --from 0:10 --to 0:20 --signals MLII > mlii.csv"});
  samples->callback([state] {
    run_samples(state->path, state->range, state->names, state->digital, state->strict,
                state->outside);
  });

  auto* ann = record->add_subcommand("annotations", "Annotations as CSV on stdout");
  ann->add_option("record", state->path, "Record path without extension")->required();
  ann->add_option("--annotator", state->annotator, "Annotator (file extension), default atr");
  add_range(ann, state->range);
  set_examples(ann, {"record annotations ../shared/data/mitdb/100 --to 1:00"});
  ann->callback([state] { run_annotations(state->path, state->annotator, state->range); });

  auto* write = record->add_subcommand("write", "Write a WFDB record from CSV or HDF5 signals");
  auto& w = state->write;
  write->add_option("record", state->path, "Output record path without extension")->required();
  write
      ->add_option("--input", w.input,
                   "CSV (a header naming the signals, one row per sample) or HDF5 (.h5/.hdf5: "
                   "dataset 'signals' (samples, signals), see docs/record.md)")
      ->required();
  write->add_option("--fs", w.fs_hz,
                    "Sampling frequency in Hz (required for CSV; HDF5 may give fs_hz)");
  write->add_option("--format", w.format, "Signal file format: 16 (default) or 212");
  write->add_option("--gain", w.gains, "ADC units per physical unit (one, or one per signal)");
  write->add_option("--baseline", w.baselines,
                    "Digital value of physical zero (one or per signal)");
  write->add_option("--units", w.units, "Physical units (one, or one per signal), default mV");
  write->add_flag("--digital", w.digital, "The input holds ADC units (integers), not physical");
  write->add_option("--annotations", w.annotations,
                    "CSV with columns sample,symbol[,subtype,chan,num,aux] to write as well");
  write->add_option("--annotator", w.annotator, "Annotation file extension, default atr");
  set_examples(write, {"record write my/recording --input my/recording.csv --fs 360 --format 212"});
  write->callback([state] { run_write(state->path, state->write); });
});

}  // namespace

}  // namespace physiolite::cli
