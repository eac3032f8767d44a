// `physiolite stream <record>|- --int8 FILE.plq [--run DIR] [--fs HZ] [--signal NAME]
// [--output F.csv]`: the whole on-device pipeline (runtime/include/plrt_ecg.h) over a record or
// a live stream of samples, one CSV line per beat as beats come:
//   sample,time,label,logit_<class>...
// label is the class, or for a beat that could not be classified '!' and the reason
// (!learning, !signal lost, !stream ended, ...) with empty logits. Also `physiolite ecg-config`:
// the model's preprocessing as a C initializer for firmware.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/json_file.hpp"
#include "physiolite/core/line_sink.hpp"
#include "physiolite/stream/ecg_stream.hpp"

namespace physiolite::cli {
namespace {

namespace fs = std::filesystem;

struct StreamArgs {
  std::string input;
  std::string int8;
  std::string run;
  std::string signal;
  std::string output;
  double fs_hz = 0.0;
};

struct LoadedModel {
  qgraph::RuntimeModel model;
  stream::EcgPreprocessing pre;
  std::vector<std::string> classes;
};

LoadedModel load_model(const std::string& int8, const std::string& run) {
  if (int8.empty()) throw UsageError("--int8 FILE.plq: expected the int8 model, got nothing");
  const fs::path config_path = stream::find_run_config(int8, run);
  nlohmann::json config = read_json_file(config_path, "config");
  LoadedModel out{qgraph::RuntimeModel::load(int8),
                  stream::ecg_preprocessing_from_run(config, config_path.string()),
                  {}};
  for (char c : config["data"].value("classes", std::string("NSVF")))
    out.classes.emplace_back(1, c);
  if (static_cast<int>(out.classes.size()) != out.model.num_classes()) {
    throw UsageError(fmt::format("{}: {} classes, but {} says data.classes has {}", int8,
                                 out.model.num_classes(), config_path.string(),
                                 out.classes.size()));
  }
  return out;
}

// CSV lines to stdout as they come (flushed), or to --output atomically at the end.
class BeatCsv {
 public:
  BeatCsv(std::string output, double fs_hz, const std::vector<std::string>& classes)
      : sink_(std::move(output)), fs_hz_(fs_hz), k_(classes.size()) {
    std::string head = "sample,time,label";
    for (const auto& c : classes) head += ",logit_" + c;
    sink_.add(head + "\n");
    classes_ = classes;
  }
  void write(const plrt_ecg_beat& b) {
    std::string line = fmt::format("{},{:.3f},", b.sample, static_cast<double>(b.sample) / fs_hz_);
    if (b.label >= 0) {
      line += classes_[static_cast<size_t>(b.label)];
      for (size_t i = 0; i < k_; ++i) line += fmt::format(",{}", static_cast<int>(b.logits[i]));
    } else {
      line += "!" + stream::describe_ecg_condition(b.condition);
      line += std::string(k_, ',');
    }
    sink_.add(line + "\n");
    ++counts_[b.label >= 0 ? 0 : 1];
  }
  void finish() { sink_.finish(); }
  int64_t classified() const { return counts_[0]; }
  int64_t unclassified() const { return counts_[1]; }

 private:
  LineSink sink_;
  double fs_hz_;
  size_t k_;
  std::vector<std::string> classes_;
  int64_t counts_[2] = {0, 0};
};

void print_summary(const BeatCsv& csv, const std::string& what, double fs_hz, int64_t samples,
                   int64_t max_delay) {
  std::fprintf(stderr,
               "%s: %lld samples at %g Hz, %lld beats classified, %lld unclassified; delay bound "
               "%.0f ms\n",
               what.c_str(), static_cast<long long>(samples), fs_hz,
               static_cast<long long>(csv.classified()), static_cast<long long>(csv.unclassified()),
               1000.0 * static_cast<double>(max_delay) / fs_hz);
}

void stream_file(const StreamArgs& args, const LoadedModel& m) {
  if (args.fs_hz != 0.0) {
    throw UsageError("--fs is for a raw stream on stdin ('-'); a record has its own rate");
  }
  fs::path path = args.input;
  if (path.extension() == ".hea" || path.extension() == ".dat") path.replace_extension();
  const stream::StreamedRecord r = stream::stream_record(path, m.model, m.pre, args.signal);
  BeatCsv csv(args.output, r.fs_hz, m.classes);
  for (const auto& b : r.beats) csv.write(b);
  csv.finish();
  print_summary(csv, path.string(), r.fs_hz, r.samples, r.max_delay_samples);
}

// One line of stdin: `leads` numbers separated by commas, spaces or tabs.
bool parse_row(std::string_view line, int leads, float* out) {
  int got = 0;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() &&
           (line[i] == ' ' || line[i] == '\t' || line[i] == ',' || line[i] == '\r'))
      ++i;
    if (i == line.size()) break;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != ',' &&
           line[j] != '\r')
      ++j;
    if (got == leads) return false;
    float v = 0.0f;
    const auto [end, ec] = std::from_chars(line.data() + i, line.data() + j, v);
    if (ec != std::errc() || end != line.data() + j || !std::isfinite(v)) return false;
    out[got++] = v;
    i = j;
  }
  return got == leads;
}

void stream_stdin(const StreamArgs& args, const LoadedModel& m) {
  if (!args.signal.empty()) throw UsageError("--signal is for a record, not for a raw stream");
  if (args.fs_hz == 0.0) throw UsageError("a raw stream on stdin ('-') needs --fs HZ");
  if (!(args.fs_hz >= PLRT_ECG_MIN_FS_HZ && args.fs_hz <= PLRT_ECG_MAX_FS_HZ)) {
    throw UsageError(fmt::format("--fs: expected {} to {} Hz, got {:g}", PLRT_ECG_MIN_FS_HZ,
                                 PLRT_ECG_MAX_FS_HZ, args.fs_hz));
  }
  std::ios::sync_with_stdio(false);
  stream::EcgStream s(m.model, m.pre.config, args.fs_hz);
  const int leads = s.leads();
  std::optional<BeatCsv> csv;
  std::vector<plrt_ecg_beat> beats;
  std::string line;
  int64_t line_number = 0, bad = 0;
  constexpr int64_t kMaxMessages = 20;  // a broken live stream must not flood the terminal
  float x[PLRT_ECG_MAX_LEADS];
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (!csv) csv.emplace(args.output, args.fs_hz, m.classes);
    if (!parse_row(line, leads, x)) {
      if (++bad <= kMaxMessages) {
        std::fprintf(stderr,
                     "physiolite: warning: stdin:%lld: field 'sample': expected %d finite "
                     "number%s, got '%s'; taken as a missing sample\n",
                     static_cast<long long>(line_number), leads, leads > 1 ? "s per line" : "",
                     line.substr(0, 40).c_str());
      }
      for (int l = 0; l < leads; ++l) x[l] = std::numeric_limits<float>::quiet_NaN();
    }
    s.push(x, beats);
    for (const auto& b : beats) csv->write(b);
    beats.clear();
  }
  if (!csv) {
    throw InputError(InputLocation::file("stdin"), "samples", "at least one sample", "empty input");
  }
  s.finish(beats);
  for (const auto& b : beats) csv->write(b);
  csv->finish();
  if (bad > kMaxMessages)
    std::fprintf(stderr, "physiolite: warning: %lld bad lines in all\n",
                 static_cast<long long>(bad));
  print_summary(*csv, "stdin", args.fs_hz, line_number, s.max_delay_samples());
}

void add_stream(CLI::App& app) {
  auto args = std::make_shared<StreamArgs>();
  auto* cmd = app.add_subcommand(
      "stream",
      "Classify beats as they come with the on-device pipeline (detector, preprocessing, int8 "
      "model); CSV sample,time,label,logit_<class>...");
  cmd->add_option("record", args->input, "WFDB record path without extension, or '-' for stdin")
      ->required();
  cmd->add_option("--int8", args->int8, "The int8 model (.plq)")->required();
  cmd->add_option("--run", args->run,
                  "Run directory whose config.json holds the preprocessing (default: found "
                  "next to the .plq)");
  cmd->add_option("--fs", args->fs_hz, "Sampling rate of stdin, 100 to 1000 Hz");
  cmd->add_option("--signal", args->signal, "Lead 0 of a record (default: the model's, MLII)");
  cmd->add_option("--output", args->output,
                  "CSV file to write (default: stdout, flushed per beat)");
  set_examples(cmd, {"stream ../shared/data/mitdb/100 --int8 "
                     "models/mitbih-wavelet-seed1/int8/max78000-qat.plq --output 100_stream.csv",
                     "stream - --fs 360 --int8 models/mitbih-wavelet-seed1/int8/max78000-qat.plq "
                     "< samples.txt"});
  cmd->callback([args] {
    const LoadedModel m = load_model(args->int8, args->run);
    if (args->input == "-") {
      stream_stdin(*args, m);
    } else {
      stream_file(*args, m);
    }
  });
}

struct EcgConfigArgs {
  std::string int8, run, output, name = "plrt_ecg_model_config";
};

void add_ecg_config(CLI::App& app) {
  auto args = std::make_shared<EcgConfigArgs>();
  auto* cmd = app.add_subcommand(
      "ecg-config", "Write a model's preprocessing as a C initializer (plrt_ecg_config)");
  cmd->add_option("--int8", args->int8, "The int8 model (.plq)")->required();
  cmd->add_option("--run", args->run, "Run directory (default: found next to the .plq)");
  cmd->add_option("--name", args->name, "C variable name");
  cmd->add_option("--output", args->output, "File to write (default: stdout)");
  set_examples(cmd, {"ecg-config --int8 models/mitbih-wavelet-seed1/int8/max78000-qat.plq "
                     "--name plrt_ecg_model_config --output model_config.h"});
  cmd->callback([args] {
    const LoadedModel m = load_model(args->int8, args->run);
    const std::string text = stream::ecg_config_c_source(m.pre.config, args->name);
    if (args->output.empty()) {
      std::fputs(text.c_str(), stdout);
    } else {
      write_file_atomically(args->output, [&](std::ostream& out) { out << text; });
    }
  });
}

const bool registered = register_command(46, [](CLI::App& app) {
  add_stream(app);
  add_ecg_config(app);
});

}  // namespace
}  // namespace physiolite::cli
