#include "physiolite/qgraph/runtime_model.hpp"

#include <fmt/format.h>

#include <cstring>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/core/parallel.hpp"
#include "physiolite/qgraph/plq_file.hpp"

namespace physiolite::qgraph {

RuntimeModel::RuntimeModel(const std::vector<uint8_t>& bytes, std::string origin)
    : buffer_((bytes.size() + 3) / 4), origin_(std::move(origin)) {
  if (!bytes.empty()) std::memcpy(buffer_.data(), bytes.data(), bytes.size());
  plrt_error error{};
  // Host tools run models whose arena exceeds the chips' 512 KiB (PLRT_MAX_ARENA_CHIP), e.g. to
  // compare a large model's int8 accuracy; the firmware path (plq_to_c, classify.c) keeps the
  // chip cap.
  if (plrt_model_init_ex(&model_, buffer_.data(), bytes.size(), PLRT_MAX_ARENA_HOST, &error) !=
      PLRT_OK) {
    throw InputError(InputLocation::file(origin_), "model", "a .plq file the runtime accepts",
                     error.reason);
  }
}

RuntimeModel RuntimeModel::load(const std::filesystem::path& path) {
  return RuntimeModel(read_file_bytes(path, kMaxPlqFileBytes), path.string());
}

int RuntimeModel::channels() const { return static_cast<int>(plrt_input_channels(&model_)); }
int RuntimeModel::length() const { return static_cast<int>(plrt_input_length(&model_)); }
int RuntimeModel::num_classes() const { return static_cast<int>(plrt_num_classes(&model_)); }

std::vector<int8_t> RuntimeModel::run(const float* x, int64_t windows, plrt_kernels kernels) const {
  return run_quantized(quantize(x, windows).data(), windows, kernels);
}

std::vector<int8_t> RuntimeModel::quantize(const float* x, int64_t windows) const {
  const size_t window_floats = static_cast<size_t>(channels()) * static_cast<size_t>(length());
  std::vector<int8_t> q(static_cast<size_t>(windows) * window_floats);
  std::vector<uint8_t> arena(plrt_model_arena_size(&model_));
  int8_t* input = plrt_input(&model_, arena.data());
  for (int64_t w = 0; w < windows; ++w) {
    plrt_quantize_input(&model_, x + static_cast<size_t>(w) * window_floats, input);
    std::memcpy(q.data() + static_cast<size_t>(w) * window_floats, input, window_floats);
  }
  return q;
}

std::vector<int8_t> RuntimeModel::run_quantized(const int8_t* q, int64_t windows,
                                                plrt_kernels kernels) const {
  const auto k = static_cast<size_t>(num_classes());
  const size_t window_bytes = static_cast<size_t>(channels()) * static_cast<size_t>(length());
  std::vector<int8_t> out(static_cast<size_t>(windows) * k);
  constexpr int64_t kChunk = 64;  // windows per job: one arena each
  const auto jobs = static_cast<size_t>((windows + kChunk - 1) / kChunk);
  parallel_for(jobs, [&](size_t job) {
    std::vector<uint8_t> arena(plrt_model_arena_size(&model_));
    const int64_t end = std::min(windows, static_cast<int64_t>(job + 1) * kChunk);
    for (auto w = static_cast<int64_t>(job) * kChunk; w < end; ++w) {
      std::memcpy(plrt_input(&model_, arena.data()), q + static_cast<size_t>(w) * window_bytes,
                  window_bytes);
      const plrt_status s = plrt_invoke(&model_, arena.data(), arena.size(), kernels);
      PL_CHECK(s == PLRT_OK, fmt::format("plrt_invoke returned {}", static_cast<int>(s)));
      std::memcpy(out.data() + static_cast<size_t>(w) * k, plrt_output(&model_, arena.data()), k);
    }
  });
  return out;
}

}  // namespace physiolite::qgraph
