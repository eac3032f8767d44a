// UCI "EMG data for gestures" (dataset 481): raw MYO armband recordings, one text file each.
//
// Layout: `<dir>/SS/K_raw_data_HH-MM_DD.MM.YY.txt` or `.txt.gz`, SS = subject 01..36, K = recording
// (1 or 2). A file is a tab-separated header `time channel1 … channel8 class`, then one row per
// line: `time` in integer milliseconds (strictly increasing), 8 decimal EMG values, and an integer
// class 0..7 (0 unmarked, 1 rest, 2 fist, 3 wrist flexion, 4 wrist extension, 5 radial deviation,
// 6 ulnar deviation, 7 extended palm). LF or CRLF line endings.
//
// Rows are NOT samples. The logger writes a row about every millisecond and repeats the armband's
// latest 8-channel reading on each row until a new one arrives (≈ 104 new readings per second,
// nominal device rate 200 Hz). to_uniform_grid() puts a recording on a uniform time grid by
// sample-and-hold: grid sample k at t_k = t_0 + k / grid_hz takes the values and class of the last
// row whose time is ≤ t_k. That is exact for held data: it is what the logger itself would have
// shown at t_k. The grid rate has no default: 200 Hz is the device rate, 1000 Hz gives the
// reference's "one row ≈ one sample" reading. See docs/uci_emg.md.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "physiolite/dsp/signal.hpp"

namespace physiolite::io {

inline constexpr int kUciEmgChannels = 8;
inline constexpr int kUciEmgSubjects = 36;  // subjects are numbered 1..36
inline constexpr int kUciEmgMaxClass = 7;
// Largest accepted step between consecutive rows. The logger writes a row about every millisecond
// (longest step in the 64 files: 48 ms); a longer gap is lost data, which sample-and-hold would
// silently bridge, and it bounds the size of a uniform grid by the size of the file.
inline constexpr int64_t kUciEmgMaxStepMs = 1000;

// Units of the EMG values as written in the files: the armband's signed 8-bit counts × 1e-5
// (every value is a multiple of 1e-5 in [-0.00128, 0.00127]); the dataset states no unit.
inline constexpr const char* kUciEmgUnits = "au";

// Subject and recording, read from a path following the dataset's layout.
struct UciEmgFileId {
  int subject = 0;    // from the folder name "SS"
  int recording = 0;  // from the file name "K_raw_data_…"
};

// The id of `path`, or std::nullopt when its folder is not a number or its name is not
// `<K>_raw_data_<anything>.txt[.gz]`.
std::optional<UciEmgFileId> parse_uci_emg_file_id(const std::filesystem::path& path);

struct UciEmgRecording {
  std::filesystem::path path;
  UciEmgFileId id;  // 0/0 when the path does not follow the dataset's layout
  std::vector<int64_t> times_ms;
  std::array<std::vector<double>, kUciEmgChannels> channels;  // in kUciEmgUnits, one per row
  std::vector<int> classes;                                   // 0..7, one per row

  int64_t num_rows() const { return static_cast<int64_t>(times_ms.size()); }
};

// Parses the text of one file (already decompressed). `path` names the file in error messages and
// gives the id. Throws InputError naming file, line, column and what was expected for: a wrong
// header, no data rows, a wrong number of columns, a non-number, a class outside 0..7, a negative
// time, or one not greater than the previous row's or more than kUciEmgMaxStepMs after it.
UciEmgRecording parse_uci_emg(std::string_view text, const std::filesystem::path& path);

// Reads `NAME.txt` or `NAME.txt.gz`. Also throws InputError for a missing file and for a truncated
// or corrupt gzip stream (with zlib's message).
UciEmgRecording read_uci_emg(const std::filesystem::path& path);

// A recording on a uniform grid (sample-and-hold, see the top of this file).
struct UciEmgGrid {
  std::array<dsp::Signal, kUciEmgChannels>
      channels;              // fs_hz = grid_hz, names "channel1".."channel8"
  std::vector<int> classes;  // class of each grid sample
  double t0_ms = 0.0;        // time of grid sample 0 (the first row's)
};

// Grid samples k = 0, 1, … while t_k ≤ the last row's time. Throws UsageError unless grid_hz is
// finite and > 0.
UciEmgGrid to_uniform_grid(const UciEmgRecording& recording, double grid_hz);

struct UciEmgFile {
  UciEmgFileId id;
  std::filesystem::path path;
};

// Every recording under `dir` (`SS/K_raw_data_*.txt[.gz]`), sorted by subject then recording.
// Throws InputError if `dir` is not a directory, or if two files claim the same subject and
// recording (for instance both `NAME.txt` and `NAME.txt.gz`).
std::vector<UciEmgFile> list_uci_emg_files(const std::filesystem::path& dir);

// Subjects 1..36 with no file in `files`, ascending.
std::vector<int> absent_uci_emg_subjects(const std::vector<UciEmgFile>& files);

}  // namespace physiolite::io
