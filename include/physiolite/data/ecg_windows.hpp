// The reference's three 12-lead ECG benchmarks (500 Hz, windows of 2 048 samples, step 1 024):
//
//   PTB-XL    5 diagnostic superclasses, single label; strat_fold 1-8 / 9 / 10; each window
//             min-max scaled per lead to [-1, 1] (a constant lead gives 0).
//   CPSC 2018 9 rhythm/conduction classes from SNOMED codes, multi-hot; records split 70 / 20 / 10
//             with sklearn's train_test_split (seed 42); each window z-scored per lead
//             (population sigma + 1e-8).
//   Chapman   4 merged rhythm classes, multi-hot; records shuffled with numpy seed 42 and cut
//             70 / 20 / 10; each record z-scored per lead before windowing.
//
// Windows start at 0, step, 2 step, ... while they fit. The tail differs between the scripts:
// PTB-XL and Chapman add one window from floor(n / step) * step to the end when n is not a
// multiple of the step (5 000 samples: 0, 1 024, 2 048 and the tail 4 096-4 999); CPSC adds one
// from the end of the last full window (from 0 when the record is shorter than a window) when that
// end is before the record's end. A tail is zero-padded to the window length and, for the per-
// window normalisations, normalised with its padding (as the reference does). PTB-XL and Chapman
// drop records shorter than one window; CPSC keeps them as one padded window.
//
// The reference lists records in os.walk / glob order, which depends on the file system; we use
// sorted path order, so the CPSC and Chapman splits equal the reference's only where the two
// orders agree.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/data/benchmark.hpp"
#include "physiolite/data/window_set.hpp"

namespace physiolite::data {

enum class EcgTail { kStepRemainder, kAfterLastWindow };

struct WindowSpan {
  int64_t begin = 0;
  int64_t length = 0;  // samples taken from the record; the rest of the window is zero
};
std::vector<WindowSpan> ecg_window_spans(int64_t num_samples, int64_t window, int64_t step,
                                         EcgTail tail);

struct EcgOptions {
  std::filesystem::path dir;  // ptb-xl/, cpsc2018/ or chapman/
  int64_t window_length = 2048;
  int64_t stride = 1024;
  // PTB-XL: SCP likelihood threshold (percent) and folds per split.
  double likelihood_threshold = 80.0;
  std::vector<int> train_folds = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<int> validation_folds = {9};
  std::vector<int> test_folds = {10};
  // CPSC / Chapman: the shuffle seed and the multi-label decision threshold used in scoring.
  int seed = 42;
  double threshold = 0.3;
  void validate() const;  // UsageError naming the option
};

// The records of a split after labelling and the length rule, in the order their windows are
// written. `name` is the record name (PTB-XL: ecg_id).
struct LabelledRecord {
  std::string name;
  std::filesystem::path path;   // PTB-XL: WFDB record without extension; else the .hea
  std::vector<int64_t> labels;  // single label (1 entry) or multi-hot (K entries)
  int64_t num_samples = -1;     // from the header (-1 = not given), to size the output once
};

std::vector<std::string> ptbxl_class_names();    // NORM MI STTC CD HYP
std::vector<std::string> cpsc_class_names();     // SNR AF IAVB LBBB RBBB PAC PVC STD STE
std::vector<std::string> chapman_class_names();  // SB AFIB GSVT SR

// Multi-hot labels of a #Dx code list; all zero when nothing matches.
std::vector<int64_t> cpsc_labels(const std::vector<std::string>& dx);
std::vector<int64_t> chapman_labels(const std::vector<std::string>& dx);

std::vector<LabelledRecord> ptbxl_split_records(const EcgOptions& o, Split split);
std::vector<LabelledRecord> cpsc_split_records(const EcgOptions& o, Split split);
std::vector<LabelledRecord> chapman_split_records(const EcgOptions& o, Split split);

WindowSet build_ptbxl_windows(const EcgOptions& o, Split split);
WindowSet build_cpsc_windows(const EcgOptions& o, Split split);
WindowSet build_chapman_windows(const EcgOptions& o, Split split);

}  // namespace physiolite::data
