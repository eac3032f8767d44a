// UCI EMG gestures 1-6, subject-independent windows.
//
// Per subject: every recording put on a uniform grid (io::to_uniform_grid, sample-and-hold) ->
// per-subject, per-channel z-score over all the subject's grid samples (class 0 included), as
// the reference does before windowing -> contiguous runs of one gesture class 1..6 -> `edge_trim`
// samples dropped at both ends of a run -> windows of `window_length` every `stride` samples
// that fit inside the trimmed run. Label = class - 1 (0..5).
//
// Two protocols come as presets (uci_emg_reference_options / uci_emg_tinymyo_options). Both
// count windows in logger rows, which is what the reference and TinyMyo did: on the 1 kHz grid a
// row is 1 ms, so a 1024-sample window spans about 1 s of wall time (not the 5 s a 200 Hz reading
// would suggest; see docs/uci_emg.md).
#pragma once

#include <filesystem>
#include <vector>

#include "physiolite/data/window_set.hpp"

namespace physiolite::data {

struct UciEmgOptions {
  std::filesystem::path dir;  // required: holds SS/K_raw_data_*.txt[.gz]
  double grid_hz = 0;         // required: 1000 = one row per sample, 200 = the device rate
  int64_t window_length = 0;  // required, in grid samples
  int64_t stride = 0;         // required, in grid samples
  int64_t edge_trim = 0;      // grid samples dropped at each end of a gesture run
  double zscore_epsilon = 1e-6;
  std::vector<int> train_subjects;
  std::vector<int> validation_subjects;
  std::vector<int> test_subjects;

  void validate() const;  // UsageError naming the option
};

// [R]'s protocol: 1 kHz grid, windows 1024 / stride 512, trim 120, train 1-32, val 33-34,
// test 35-36.
UciEmgOptions uci_emg_reference_options(std::filesystem::path dir);
// TinyMyo's (Fasulo et al. 2025): windows 1000 / stride 500, train 1-24, val 25-30, test 31-36.
UciEmgOptions uci_emg_tinymyo_options(std::filesystem::path dir);

enum class UciEmgSplit { kTrain, kValidation, kTest };

const std::vector<int>& uci_emg_split_subjects(const UciEmgOptions& options, UciEmgSplit split);

inline constexpr int kUciEmgGestures = 6;

// Windows of the given subjects (those absent from the copy are skipped; see
// io::absent_uci_emg_subjects), ordered by subject, recording, then time. Channel order
// channel1..channel8. Progress bar over files.
WindowSet build_uci_emg_windows(const std::vector<int>& subjects, const UciEmgOptions& options);

}  // namespace physiolite::data
