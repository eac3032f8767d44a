// libFuzzer target for the streaming QRS detector: arbitrary sampling rates, parameters near
// their limits and arbitrary sample values (NaN, inf, denormals, rails). The detector must never
// crash, must consume every sample it is given (no stall), and must emit beats in order within
// its documented delay bound.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "plrt_qrs.h"

namespace {
float take_float(const uint8_t*& data, size_t& size) {
  float v = 0.0f;
  if (size >= sizeof v) {
    std::memcpy(&v, data, sizeof v);
    data += sizeof v;
    size -= sizeof v;
  }
  return v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t mode = data[0];
  const uint8_t rate = data[1];
  data += 2;
  size -= 2;
  plrt_qrs_params params;
  // Mostly valid rates (100..1000 Hz), sometimes an arbitrary float.
  const float fs =
      (mode & 1) ? take_float(data, size) : 100.0f + 900.0f * static_cast<float>(rate) / 255.0f;
  plrt_qrs_default_params(&params, fs);
  if (mode & 2) params.flat_ms = 20.0f;
  if (mode & 4) params.learn_ms = 500.0f;
  plrt_qrs_state state;
  if (plrt_qrs_init(&state, &params) != PLRT_OK) return 0;
  const int64_t bound = plrt_qrs_max_delay_samples(&state);

  // Samples: float32 (mode & 8) or int16, each repeated (mode >> 4) + 1 times to make runs.
  const int repeat = (mode >> 4) + 1;
  float block[256];
  plrt_qrs_beat beats[4];
  int64_t last_sample = -1, last_emitted = -1;
  while (size > 0) {
    size_t n = 0;
    while (n + static_cast<size_t>(repeat) <= 256 && size > 0) {
      float x;
      if (mode & 8) {
        x = take_float(data, size);
        if (size < sizeof(float) && size > 0) size = 0;
      } else {
        int16_t v = 0;
        std::memcpy(&v, data, size >= 2 ? 2 : 1);
        data += size >= 2 ? 2 : 1;
        size -= size >= 2 ? 2 : 1;
        x = static_cast<float>(v);
      }
      for (int r = 0; r < repeat; ++r) block[n++] = x;
    }
    size_t offset = 0;
    int guard = 0;
    while (offset < n) {
      size_t got = 0;
      const size_t used = plrt_qrs_process(&state, block + offset, n - offset, beats, 4, &got);
      if (used == 0 && got == 0) abort();  // stalled
      offset += used;
      for (size_t i = 0; i < got; ++i) {
        if (beats[i].sample <= last_sample || beats[i].emitted_sample < last_emitted) abort();
        if (beats[i].emitted_sample - beats[i].sample > bound) abort();
        last_sample = beats[i].sample;
        last_emitted = beats[i].emitted_sample;
      }
      if (++guard > 100000) abort();
    }
  }
  return 0;
}
