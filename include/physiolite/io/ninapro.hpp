// NinaPro DB5 as published (ninapro.hevs.ch, one zip per subject):
// ninapro-db5/s<N>/S<N>_E<e>_A1.mat, e = 1, 2, 3, MATLAB level-5 files holding `emg` (samples x 16,
// two Myo armbands at 200 Hz), `restimulus` (samples x 1, the relabelled movement, 0 = rest) and
// `rerepetition` (samples x 1, the relabelled repetition 1-6, 0 = rest). Other variables (glove,
// acc, ...) are not decoded.
#pragma once

#include <filesystem>
#include <vector>

namespace physiolite::io {

struct NinaproFile {
  int subject = 0;
  int exercise = 0;  // 1, 2, 3
  std::filesystem::path path;
};

struct NinaproExercise {
  int64_t samples = 0;
  int channels = 0;
  std::vector<float> emg;         // row-major (samples, channels): the first `channels` columns
  std::vector<int> restimulus;    // per sample
  std::vector<int> rerepetition;  // per sample
};

// The files of subjects s1, s2, ... in numeric subject order, exercises 1-3 each. InputError
// naming the folder when it holds no subject folder, or the file when one of a subject's three
// exercises is missing.
std::vector<NinaproFile> list_ninapro_db5(const std::filesystem::path& dir);

// Reads one file, keeping the first `channels` EMG columns. InputError naming the file and the
// variable when one is missing, has fewer columns, or the three disagree in length, or a label is
// not a non-negative integer.
NinaproExercise read_ninapro_exercise(const std::filesystem::path& path, int channels);

}  // namespace physiolite::io
