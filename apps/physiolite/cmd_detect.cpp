// `physiolite detect <record>|-` (streaming QRS detection) and `physiolite detect-eval <dir>`
// (its evaluation against the reference annotations of a WFDB database).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/line_sink.hpp"
#include "physiolite/core/progress.hpp"
#include "physiolite/io/wfdb.hpp"
#include "physiolite/stream/qrs_detector.hpp"
#include "physiolite/stream/qrs_evaluation.hpp"
#include "physiolite/stream/raw_samples.hpp"

namespace physiolite::cli {
namespace {

using stream::DetectedBeat;

struct DetectArgs {
  std::string input;
  std::string signal;
  std::string output;
  double fs_hz = 0.0;
  bool binary = false;
  bool allow_outside_paths = false;
};

// Beats go to stdout as they come, or to --output (written atomically at the end).
class BeatSink {
 public:
  BeatSink(std::string output, double fs_hz) : sink_(std::move(output)), fs_hz_(fs_hz) {
    sink_.add("sample,time\n");
  }
  void write(const DetectedBeat& beat) {
    sink_.add(fmt::format("{},{:.3f}\n", beat.sample, static_cast<double>(beat.sample) / fs_hz_));
  }
  void finish() { sink_.finish(); }
  // Statistics go where the CSV does not.
  std::FILE* stats_stream() const { return sink_.to_file() ? stdout : stderr; }

 private:
  LineSink sink_;
  double fs_hz_;
};

void print_summary(std::FILE* out, const std::vector<DetectedBeat>& beats, double fs_hz,
                   int64_t max_delay_samples) {
  std::vector<int64_t> delays;
  int64_t searchback = 0;
  for (const auto& b : beats) {
    delays.push_back(b.emitted_sample - b.sample);
    searchback += b.searchback;
  }
  const auto stats = stream::delay_stats(delays, fs_hz);
  std::fprintf(out,
               "%zu beats (%lld by searchback); detection delay mean %.0f ms, max %.0f ms "
               "(bound %.0f ms)\n",
               beats.size(), static_cast<long long>(searchback), stats.mean_ms, stats.max_ms,
               1000.0 * static_cast<double>(max_delay_samples) / fs_hz);
}

void print_episode(const stream::SignalEpisode& e, double fs_hz) {
  std::fprintf(stderr, "physiolite: warning: samples %lld-%lld (%.1f-%.1f s): %s, no beats\n",
               static_cast<long long>(e.begin_sample), static_cast<long long>(e.end_sample),
               static_cast<double>(e.begin_sample) / fs_hz,
               static_cast<double>(e.end_sample) / fs_hz,
               stream::describe_condition(e.condition).c_str());
}

void detect_record(const DetectArgs& args) {
  if (args.fs_hz != 0.0 || args.binary) {
    throw UsageError("--fs and --binary are for a raw stream on stdin ('-'), not for a record");
  }
  std::filesystem::path path = args.input;
  if (path.extension() == ".hea" || path.extension() == ".dat") path.replace_extension();
  const io::WfdbRecord record =
      io::read_wfdb_record(path, {.allow_outside_paths = args.allow_outside_paths});
  const std::string header = path.string() + ".hea";
  int index = 0;
  if (!args.signal.empty()) {
    index = record.find_signal(args.signal);
    if (index < 0) {
      std::string names;
      for (const auto& s : record.header.signals)
        names += (names.empty() ? "" : ", ") + excerpt(s.description);
      throw InputError(InputLocation::file(header), "signal", "one of " + names, args.signal);
    }
  } else if (record.num_signals() == 0) {
    throw InputError(InputLocation::file(header), "signals", "at least one signal", "none");
  } else {
    index = stream::choose_qrs_lead(record);
  }
  const dsp::Signal signal = record.physical(index);
  if (signal.samples.empty()) {
    throw InputError(InputLocation::file(header), "samples", "at least one sample", "empty record");
  }
  stream::QrsDetection detection;
  try {
    detection = stream::detect_qrs(signal);
  } catch (const UsageError&) {
    throw InputError(InputLocation::file(header), "sampling frequency",
                     fmt::format("{} to {} Hz", PLRT_QRS_MIN_FS_HZ, PLRT_QRS_MAX_FS_HZ),
                     fmt::format("{:g}", signal.fs_hz));
  }
  for (const auto& e : detection.episodes) print_episode(e, signal.fs_hz);
  BeatSink sink(args.output, signal.fs_hz);
  for (const auto& b : detection.beats) sink.write(b);
  sink.finish();
  std::fprintf(sink.stats_stream(), "%s, signal %d (%s), %g Hz: ", path.string().c_str(), index,
               escape_controls(signal.name).c_str(), signal.fs_hz);
  print_summary(sink.stats_stream(), detection.beats, signal.fs_hz, detection.max_delay_samples);
}

void detect_stream(const DetectArgs& args) {
  if (!args.signal.empty()) throw UsageError("--signal is for a record, not for a raw stream");
  if (args.fs_hz == 0.0) throw UsageError("a raw stream on stdin ('-') needs --fs HZ");
  if (!(args.fs_hz >= PLRT_QRS_MIN_FS_HZ && args.fs_hz <= PLRT_QRS_MAX_FS_HZ)) {
    throw UsageError(fmt::format("--fs: expected {} to {} Hz, got {:g}", PLRT_QRS_MIN_FS_HZ,
                                 PLRT_QRS_MAX_FS_HZ, args.fs_hz));
  }
  std::ios::sync_with_stdio(false);
  constexpr int64_t kMaxMessages = 20;  // a broken live stream must not flood the terminal
  int64_t messages = 0;
  stream::RawSampleReader reader(
      std::cin, args.binary ? stream::RawFormat::kInt16 : stream::RawFormat::kText, "stdin",
      [&](const std::string& message) {
        if (++messages <= kMaxMessages) {
          std::fprintf(stderr, "physiolite: warning: %s; taken as a missing sample\n",
                       message.c_str());
        }
      });
  stream::QrsDetector detector(args.fs_hz);
  stream::EpisodeTracker tracker;
  std::optional<BeatSink> sink;
  std::vector<DetectedBeat> beats, all;
  float x = 0.0f;
  while (reader.next(x)) {
    if (!sink) sink.emplace(args.output, args.fs_hz);
    const int64_t n = detector.samples_pushed();
    detector.push(x, beats);
    for (const auto& b : beats) sink->write(b);
    all.insert(all.end(), beats.begin(), beats.end());
    beats.clear();
    const uint32_t condition = detector.condition();
    if (tracker.update(n, condition)) {
      if (condition & (PLRT_QRS_COND_FLAT | PLRT_QRS_COND_OUT_OF_RANGE)) {
        std::fprintf(stderr,
                     "physiolite: warning: sample %lld (%.1f s): %s; no beats until it "
                     "recovers\n",
                     static_cast<long long>(n), static_cast<double>(n) / args.fs_hz,
                     stream::describe_condition(condition).c_str());
      } else {
        std::fprintf(stderr, "physiolite: sample %lld (%.1f s): signal back; relearning\n",
                     static_cast<long long>(n), static_cast<double>(n) / args.fs_hz);
      }
    }
  }
  if (!sink) {
    throw InputError(InputLocation::file("stdin"), "samples", "at least one sample", "empty input");
  }
  sink->finish();
  if (messages > kMaxMessages) {
    std::fprintf(stderr, "physiolite: warning: %lld bad lines in all\n",
                 static_cast<long long>(reader.bad_inputs()));
  }
  std::fprintf(sink->stats_stream(),
               "stdin, %lld samples at %g Hz: ", static_cast<long long>(reader.samples_read()),
               args.fs_hz);
  print_summary(sink->stats_stream(), all, args.fs_hz, detector.max_delay_samples());
}

void add_detect(CLI::App& app) {
  auto args = std::make_shared<DetectArgs>();
  auto* cmd = app.add_subcommand(
      "detect", "Detect QRS complexes with the streaming (on-device) detector; CSV sample,time");
  cmd->add_option("record", args->input, "WFDB record path without extension, or '-' for stdin")
      ->required();
  cmd->add_option("--signal", args->signal,
                  "Signal name (default: MLII if present, else the first)");
  cmd->add_option("--output", args->output, "CSV file to write (default: stdout)");
  cmd->add_option("--fs", args->fs_hz, "Sampling rate of the raw stream on stdin, Hz");
  cmd->add_flag("--binary", args->binary, "Stdin holds little-endian int16 samples, not text");
  cmd->add_flag("--allow-outside-paths", args->allow_outside_paths,
                "Read signal files the header names outside the record's folder");
  set_examples(cmd, {"detect ../shared/data/mitdb/100 --output 100_beats.csv",
                     "detect - --fs 360 --binary < stream.i16"});
  cmd->callback([args] {
    if (args->input == "-") {
      detect_stream(*args);
    } else {
      detect_record(*args);
    }
  });
}

void add_detect_eval(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "detect-eval", "Score `detect` on every annotated record of a WFDB database (MIT-BIH)");
  cmd->add_option("mitdb-dir", *dir, "Folder of WFDB records with .atr reference annotations")
      ->required();
  cmd->add_option("--output", *output,
                  "JSON file with every record's scores (default: only the table on stdout)");
  set_examples(cmd, {"detect-eval ../shared/data/mitdb --output detect_eval.json"});
  cmd->callback([dir, output] {
    const auto records = stream::list_annotated_records(*dir);
    ProgressBar progress("detect-eval", static_cast<int64_t>(records.size()), "records");
    const auto evaluation =
        stream::evaluate_qrs_records(records, [&](const stream::QrsRecordScore& s) {
          progress.set_status(s.record);
          progress.tick();
        });
    progress.finish();
    const auto json = stream::to_json(evaluation);
    if (!output->empty()) {
      write_file_atomically(*output, [&](std::ostream& out) { out << json.dump(2) << '\n'; });
    }
    std::map<std::string, std::vector<std::string>> leads;
    for (const auto& s : evaluation.records) leads[escape_controls(s.lead)].push_back(s.record);
    std::string lead_text;
    for (const auto& [lead, names] : leads) {
      lead_text += fmt::format("{}{} ({} records{}{})", lead_text.empty() ? "" : ", ", lead,
                               names.size(), names.size() <= 5 ? ": " : "",
                               names.size() <= 5 ? fmt::format("{}", fmt::join(names, " ")) : "");
    }
    std::fputs(stream::format_qrs_table(evaluation).c_str(), stdout);
    std::printf(
        "%zu records; leads: %s; reference: every beat annotation; match window +/-%.0f ms; "
        "nothing excluded except, in the second gross line, ventricular flutter (AAMI EC57)\n"
        "detector state %zu bytes; delay = emission - reference beat%s%s\n",
        evaluation.records.size(), lead_text.c_str(), 1000.0 * stream::kQrsMatchToleranceS,
        stream::QrsDetector::state_size_bytes(), output->empty() ? "" : "; written ",
        output->c_str());
  });
}

const bool registered_detect = register_command(30, add_detect);
const bool registered_detect_eval = register_command(31, add_detect_eval);

}  // namespace
}  // namespace physiolite::cli
