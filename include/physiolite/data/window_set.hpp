// A set of fixed-length windows ready for a model: data (N, C, T) float32, labels, and where each
// window came from. The HDF5 layout of the reference's tools (hdf5_windows.hpp) reads and writes
// it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace physiolite::data {

// Caps on the dataset options (docs/limits.md), checked by each options' validate(): windows up to
// 65536 samples (the model's input_length cap), resampling rates up to 20 kHz, beat counts (RR
// averages, templates) up to 10000.
inline constexpr int64_t kMaxWindowLength = int64_t{1} << 16;
inline constexpr double kMaxRateHz = 20000.0;
inline constexpr int64_t kMaxBeatCount = 10000;
// Most values one HDF5 dataset read may hold (docs/limits.md): 2^28, 1 GiB as float32 (PTB-XL's
// 21837 x 12 x 1000 windows fit). A larger declared shape is refused before anything is
// allocated; read such a file in slices (Hdf5ReadOptions' rows).
inline constexpr uint64_t kMaxHdf5Values = uint64_t{1} << 28;

struct WindowSet {
  int64_t n = 0;            // windows
  int64_t c = 0;            // channels
  int64_t t = 0;            // samples per window
  std::vector<float> data;  // row-major (N, C, T)

  // Single-label: labels has N entries and num_label_columns == 0.
  // Multi-label: labels has N*K entries (0/1, row-major) and num_label_columns == K.
  std::vector<int64_t> labels;
  int64_t num_label_columns = 0;
  std::vector<std::string> class_names;  // optional; index = label value (or column)

  // Optional side inputs, row-major (N, side_dim), e.g. normalised RR intervals per beat.
  std::vector<float> side;
  int64_t side_dim = 0;
  std::vector<std::string> side_names;

  // Provenance per window (optional; empty or N entries).
  std::vector<std::string> source;    // record or subject id
  std::vector<int64_t> begin_sample;  // first sample of the window in its source signal

  double fs_hz = 0.0;  // sampling frequency of the windows (0 = unknown)

  // Optional cached teacher logits for distillation, row-major (N, teacher_logits_dim); row i
  // belongs to window i. Empty and 0 when absent.
  std::vector<float> teacher_logits;
  int64_t teacher_logits_dim = 0;

  bool multi_label() const { return num_label_columns > 0; }
  const float* window(int64_t i) const { return data.data() + i * c * t; }
};

}  // namespace physiolite::data
