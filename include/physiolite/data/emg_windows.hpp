// The reference's two other EMG benchmarks (200 Hz, 8 channels):
//
//   NinaPro DB5  windows of 512 samples, step 64, only inside a contiguous run of one repetition
//                id > 0 (so no window crosses a repetition boundary); label = the majority of the
//                movement labels in the window (restimulus + exercise offset: E1 as is, E2 + 12,
//                E3 + 29; rest 0; ties to the smaller label), finally renumbered 0..K-1 over the
//                labels present in all splits (53 with the full data). First 8 of 16 channels,
//                per subject and channel z-scored with the mean and unbiased standard deviation
//                (floored at 1e-3) of the subject's training repetitions, then clipped to +-10.
//                Split by repetition: train {1, 3, 4, 6}, validation {2}, test {5}.
//   EMG-EPN-612  one window per recording: channels in sorted key order, divided by 128, first
//                1 024 samples (zero-padded when shorter), max-abs scaled per channel. Labels
//                noGesture 0, waveIn 1, waveOut 2, pinch 3, open 4, fist 5; notProvided dropped.
//                Train = trainingJSON users' trainingSamples + testingJSON users' first 10
//                trainingSamples of each gesture; validation = trainingJSON users'
//                testingSamples; test = the rest of testingJSON users' trainingSamples.
//                Users in numeric order (the reference lists folders in file-system order).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/data/benchmark.hpp"
#include "physiolite/data/window_set.hpp"

namespace physiolite::data {

struct Db5Options {
  std::filesystem::path dir;  // ninapro-db5/
  int64_t window_length = 512;
  int64_t stride = 64;
  int channels = 8;
  double clip = 10.0;
  double std_floor = 1e-3;
  std::vector<int> train_repetitions = {1, 3, 4, 6};
  std::vector<int> validation_repetitions = {2};
  std::vector<int> test_repetitions = {5};
  void validate() const;  // UsageError naming the option
};

// Movement label of a restimulus value in exercise 1-3 (0 stays rest).
int db5_movement_label(int exercise, int restimulus);
// Majority label of a window, ties to the smallest.
int majority_label(const int* labels, int64_t count);

std::vector<std::string> db5_split_subjects(const Db5Options& o);
WindowSet build_db5_windows(const Db5Options& o, Split split);

struct Epn612Options {
  std::filesystem::path dir;  // emg-epn-612/
  int64_t window_length = 1024;
  int64_t train_per_gesture = 10;  // testingJSON users' trainingSamples per gesture put in train
  void validate() const;
};

std::vector<std::string> epn612_class_names();
// The users whose samples a split draws on ("user1" ...).
std::vector<std::string> epn612_split_users(const Epn612Options& o, Split split);
WindowSet build_epn612_windows(const Epn612Options& o, Split split);

}  // namespace physiolite::data
