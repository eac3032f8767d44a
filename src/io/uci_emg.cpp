#include "physiolite/io/uci_emg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <system_error>

#include "physiolite/core/error.hpp"
#include "physiolite/io/text_lines.hpp"

namespace physiolite::io {

namespace {

constexpr int kColumns = kUciEmgChannels + 2;
constexpr std::array<std::string_view, kColumns> kColumnNames = {
    "time",     "channel1", "channel2", "channel3", "channel4",
    "channel5", "channel6", "channel7", "channel8", "class"};
constexpr const char* kColumnsExpected =
    "10 tab-separated columns (time, channel1 … channel8, class)";
// Grid rates above this would need more than one grid sample per microsecond of recording.
constexpr double kMaxGridHz = 1e6;

// Error messages quote at most this much of a bad field or line.
std::string quote(std::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "…";
}

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

template <typename T>
bool parse_whole(std::string_view field, T& value) {
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, value);
  return ec == std::errc() && ptr == end;
}

// Collects the rows of one file; the same code serves the in-memory and the file reader.
class RowParser {
 public:
  explicit RowParser(const std::filesystem::path& path) {
    recording_.path = path;
    recording_.id = parse_uci_emg_file_id(path).value_or(UciEmgFileId{});
  }

  void add_line(std::string_view line, int64_t line_number) {
    if (line_number == 1) {
      check_header(line);
    } else {
      add_row(line, line_number);
    }
  }

  UciEmgRecording finish(int64_t lines_seen) {
    if (lines_seen == 0)
      fail(1, "header", "the header line 'time channel1 … channel8 class'", "an empty file");
    if (recording_.times_ms.empty())
      fail(2, "rows", "at least one data row after the header", "end of file");
    return std::move(recording_);
  }

 private:
  [[noreturn]] void fail(int64_t line, std::string_view field, std::string_view expected,
                         std::string_view found) const {
    throw InputError(InputLocation::at_line(recording_.path.string(), line), std::string(field),
                     std::string(expected), std::string(found));
  }

  void check_header(std::string_view line) const {
    std::string expected;
    for (auto name : kColumnNames) {
      if (!expected.empty()) expected += '\t';
      expected += name;
    }
    if (line != expected) {
      fail(1, "header", "the tab-separated header 'time channel1 … channel8 class'", quote(line));
    }
  }

  // Parses the fields left to right with from_chars, each followed by a tab (the last by the end
  // of the line), so the line is never split first; any failure goes to reject().
  void add_row(std::string_view line, int64_t line_number) {
    const char* p = line.data();
    const char* const end = p + line.size();
    auto parse = [&](auto& value, int column) {
      auto [next, ec] = std::from_chars(p, end, value);
      const bool last = column == kColumns - 1;
      if (ec != std::errc() || (last ? next != end : (next == end || *next != '\t'))) return false;
      p = last ? next : next + 1;
      return true;
    };

    int64_t time_ms = 0;
    if (!parse(time_ms, 0) || time_ms < 0) {
      reject(line, line_number, 0, "a non-negative integer number of milliseconds");
    }
    if (!recording_.times_ms.empty()) {
      int64_t previous = recording_.times_ms.back();
      if (time_ms <= previous || time_ms - previous > kUciEmgMaxStepMs) {
        reject(
            line, line_number, 0,
            fmt::format("a time greater than the previous row's {} ms and at most {} ms after it",
                        previous, kUciEmgMaxStepMs));
      }
    }
    std::array<double, kUciEmgChannels> values{};
    for (int ch = 0; ch < kUciEmgChannels; ++ch) {
      if (!parse(values[ch], 1 + ch) || !std::isfinite(values[ch])) {
        reject(line, line_number, 1 + ch, "a finite decimal number");
      }
    }
    int label = 0;
    if (!parse(label, kColumns - 1) || label < 0 || label > kUciEmgMaxClass) {
      reject(line, line_number, kColumns - 1, "an integer class 0..7");
    }

    recording_.times_ms.push_back(time_ms);
    for (int ch = 0; ch < kUciEmgChannels; ++ch) recording_.channels[ch].push_back(values[ch]);
    recording_.classes.push_back(label);
  }

  // A wrong column count takes precedence (it explains any bad field); otherwise the message
  // quotes field `column` and says what it should have been.
  [[noreturn]] void reject(std::string_view line, int64_t line_number, int column,
                           const std::string& expected) const {
    auto columns = static_cast<int>(std::count(line.begin(), line.end(), '\t')) + 1;
    if (columns != kColumns) {
      fail(line_number, columns < kColumns ? kColumnNames[columns] : "column 11", kColumnsExpected,
           fmt::format("{} columns", columns));
    }
    size_t begin = 0;
    for (int c = 0; c < column; ++c) begin = line.find('\t', begin) + 1;
    std::string_view field = line.substr(begin, line.find('\t', begin) - begin);
    fail(line_number, kColumnNames[column], expected, quote(field));
  }

  UciEmgRecording recording_;
};

}  // namespace

std::optional<UciEmgFileId> parse_uci_emg_file_id(const std::filesystem::path& path) {
  std::string folder = path.parent_path().filename().string();
  std::string name = path.filename().string();
  std::string_view stem = name;
  if (stem.ends_with(".gz")) stem.remove_suffix(3);
  if (!stem.ends_with(".txt")) return std::nullopt;
  size_t underscore = stem.find("_raw_data_");
  if (underscore == std::string_view::npos) return std::nullopt;
  std::string_view recording = stem.substr(0, underscore);
  if (!all_digits(folder) || !all_digits(recording)) return std::nullopt;
  UciEmgFileId id;
  if (!parse_whole(std::string_view(folder), id.subject) || !parse_whole(recording, id.recording)) {
    return std::nullopt;  // more digits than an int holds
  }
  return id;
}

UciEmgRecording parse_uci_emg(std::string_view text, const std::filesystem::path& path) {
  RowParser parser(path);
  int64_t line_number = 0;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    parser.add_line(line, ++line_number);
  }
  return parser.finish(line_number);
}

UciEmgRecording read_uci_emg(const std::filesystem::path& path) {
  TextLineReader reader(path);
  RowParser parser(path);
  while (auto line = reader.next_line()) parser.add_line(*line, reader.line_number());
  return parser.finish(reader.line_number());
}

UciEmgGrid to_uniform_grid(const UciEmgRecording& recording, double grid_hz) {
  if (!std::isfinite(grid_hz) || grid_hz <= 0 || grid_hz > kMaxGridHz) {
    throw UsageError(
        fmt::format("UCI EMG grid rate must be > 0 and ≤ {} Hz, got {}", kMaxGridHz, grid_hz));
  }
  PL_CHECK(!recording.times_ms.empty(), "a parsed UCI EMG recording has at least one row");
  const auto& times = recording.times_ms;
  // Times are integers, so a tolerance far below 1 ms only absorbs the rounding of k * step.
  constexpr double kToleranceMs = 1e-6;
  const double step_ms = 1000.0 / grid_hz;
  const double t0 = static_cast<double>(times.front());
  const double span_ms = static_cast<double>(times.back() - times.front());
  const auto num_samples = static_cast<size_t>(std::floor(span_ms / step_ms + kToleranceMs)) + 1;

  UciEmgGrid grid;
  grid.t0_ms = t0;
  for (int ch = 0; ch < kUciEmgChannels; ++ch) {
    grid.channels[ch].fs_hz = grid_hz;
    grid.channels[ch].units = kUciEmgUnits;
    grid.channels[ch].name = std::string(kColumnNames[1 + ch]);
    grid.channels[ch].samples.resize(num_samples);
  }
  grid.classes.resize(num_samples);
  size_t row = 0;
  for (size_t k = 0; k < num_samples; ++k) {
    const double t_ms = t0 + static_cast<double>(k) * step_ms;
    while (row + 1 < times.size() && static_cast<double>(times[row + 1]) <= t_ms + kToleranceMs) {
      ++row;
    }
    for (int ch = 0; ch < kUciEmgChannels; ++ch) {
      grid.channels[ch].samples[k] = recording.channels[ch][row];
    }
    grid.classes[k] = recording.classes[row];
  }
  return grid;
}

std::vector<UciEmgFile> list_uci_emg_files(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw InputError(InputLocation::file(dir.string()), "directory",
                     "a folder holding the subject folders 01 … 36",
                     std::filesystem::exists(dir, ec) ? "not a directory" : "no such directory");
  }
  std::map<std::pair<int, int>, std::filesystem::path> found;
  for (const auto& subject_dir : std::filesystem::directory_iterator(dir)) {
    if (!subject_dir.is_directory()) continue;
    for (const auto& entry : std::filesystem::directory_iterator(subject_dir.path())) {
      if (!entry.is_regular_file()) continue;
      auto id = parse_uci_emg_file_id(entry.path());
      if (!id) continue;
      auto [it, inserted] = found.emplace(std::pair{id->subject, id->recording}, entry.path());
      if (!inserted) {
        throw InputError(
            InputLocation::file(entry.path().string()), "recording",
            fmt::format("one file for subject {} recording {}", id->subject, id->recording),
            fmt::format("a second one besides {}", it->second.string()));
      }
    }
  }
  std::vector<UciEmgFile> files;
  files.reserve(found.size());
  for (const auto& [key, path] : found) files.push_back({{key.first, key.second}, path});
  return files;
}

std::vector<int> absent_uci_emg_subjects(const std::vector<UciEmgFile>& files) {
  std::vector<int> absent;
  for (int subject = 1; subject <= kUciEmgSubjects; ++subject) {
    bool present = std::any_of(files.begin(), files.end(),
                               [&](const UciEmgFile& f) { return f.id.subject == subject; });
    if (!present) absent.push_back(subject);
  }
  return absent;
}

}  // namespace physiolite::io
