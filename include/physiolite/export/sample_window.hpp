// The real input window an export ships with (NAME.input.npy) and our C runtime's logits for it
// (NAME.expected.npy): the first window of the run's validation split, assembled as the trained
// network sees it and quantised by the runtime (plrt_quantize_input). Torch-free: the windows
// come from the data module and the assembly is written out here (the trainer's is in LibTorch's
// module), following docs/training.md:
//   channels [0, C)              the signal channels, centre-cropped or right zero-padded to
//                                model.input_length
//   channels [C, C + S)          the S side inputs (MIT-BIH: RR features), standardised with
//                                model.side_offset / side_scale, each constant over the window
//   channels [C + S, C + S + 2P) the positional channels (arch::positional_channels)
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/data/benchmark.hpp"
#include "physiolite/qgraph/runtime_model.hpp"

namespace physiolite::exporting {

struct SampleWindow {
  int channels = 0;  // of the graph input
  int length = 0;
  std::vector<int8_t> input;      // (length, channels), channel-last as the runtime's input tensor
  std::vector<float> real_input;  // (channels, length): the float window `input` quantises
  std::vector<int8_t> logits;     // num_classes: the runtime's output codes for it
  std::string origin;             // "validation window 0 of mitbih (record 114, sample 412)"
  std::string layout;             // Markdown: which input channel holds what (for NAME.md)
};

// Windows of a split as the network's float input, (n, channels, length) row-major.
struct SplitInputs {
  int channels = 0;
  int length = 0;
  int64_t n = 0;
  std::vector<float> x;
  std::string dataset;
  std::vector<std::string> source;    // per window: record or subject
  std::vector<int64_t> begin_sample;  // per window (may be empty)
  std::string layout;                 // Markdown: which input channel holds what
};

// `run_dir/config.json` (what `physiolite train` wrote): the data section picks the benchmark and
// its options, the model section the input layout. UsageError naming the file and key when the
// run cannot be rebuilt (no config, an HDF5 dataset, a split without windows).
SplitInputs run_split_inputs(const std::filesystem::path& run_dir, data::Split split,
                             const std::filesystem::path& data_dir);

// Window `index` of `inputs` quantised and run by `runtime` (optimised kernels).
SampleWindow sample_window(const qgraph::RuntimeModel& runtime, const SplitInputs& inputs,
                           int64_t index, const std::string& split_name);

}  // namespace physiolite::exporting
