// A .plq file run by the C99 runtime (runtime/, plrt_model.h) from C++: the bytes verified by
// plrt_model_init (its reason becomes an InputError naming the file), then windows quantised and
// invoked with either kernel set, on every core (one arena per job). Torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "plrt_model.h"

namespace physiolite::qgraph {

class RuntimeModel {
 public:
  // InputError "<origin>: field 'model': expected a .plq the runtime accepts, got '<reason>'".
  RuntimeModel(const std::vector<uint8_t>& bytes, std::string origin);
  static RuntimeModel load(const std::filesystem::path& path);

  int channels() const;
  int length() const;
  int num_classes() const;
  const std::string& origin() const { return origin_; }
  // The verified model (it points into this object's buffer), for plrt_ecg.
  const plrt_model& model() const { return model_; }

  // `windows` float windows, channel-first (C x L each, contiguous) -> int8 output codes
  // (windows x K), through plrt_quantize_input and plrt_invoke.
  std::vector<int8_t> run(const float* x, int64_t windows, plrt_kernels kernels) const;
  // The int8 inputs plrt_quantize_input makes of the same windows: windows x (L x C),
  // channel-last as the graph input tensor (what an exporter hands to another executor).
  std::vector<int8_t> quantize(const float* x, int64_t windows) const;
  // Output codes (windows x K) of int8 inputs laid out as quantize() returns them.
  std::vector<int8_t> run_quantized(const int8_t* q, int64_t windows, plrt_kernels kernels) const;

 private:
  std::vector<uint32_t> buffer_;  // the file's bytes, 4-byte aligned as plrt_model_init needs
  plrt_model model_{};
  std::string origin_;
};

}  // namespace physiolite::qgraph
