#include "synthetic_ecg.h"

#include <math.h>

static float wave(float t, float centre_s, float width_s, float height) {
  const float z = (t - centre_s) / width_s;
  return height * expf(-0.5f * z * z);
}

static uint32_t next_random(uint32_t* state) {
  *state = *state * 1664525u + 1013904223u;
  return *state >> 8;
}

size_t synthetic_ecg_generate(const synthetic_ecg* c, float* out, size_t count, int64_t* r_peaks,
                              size_t max_peaks, float (*amplitude)(size_t)) {
  uint32_t rng = 12345u;
  size_t i, beats = 0;
  float t_beat = 0.6f;
  for (i = 0; i < count; ++i) out[i] = 0.0f;
  while (beats < max_peaks) {
    const int64_t r = (int64_t)(t_beat * c->fs_hz + 0.5f);
    const float a = amplitude != NULL ? amplitude(beats) : 1.0f;
    const int64_t lo = r - (int64_t)(0.4f * c->fs_hz), hi = r + (int64_t)(0.6f * c->fs_hz);
    int64_t k;
    if (r >= (int64_t)count) break;
    r_peaks[beats++] = r;
    for (k = lo < 0 ? 0 : lo; k < hi && k < (int64_t)count; ++k) {
      const float t = (float)(k - r) / c->fs_hz;
      out[k] += wave(t, -c->pr_s, c->p_width_s, c->p_mv) +
                a * (wave(t, -0.025f, 0.008f, -0.12f) + wave(t, 0.0f, 0.010f, 1.0f) +
                     wave(t, 0.028f, 0.010f, -0.25f)) +
                wave(t, 0.28f, 0.045f, 0.30f);
    }
    t_beat +=
        c->rr_s * (1.0f + c->rr_jitter * ((float)(next_random(&rng) % 2001u) / 1000.0f - 1.0f));
  }
  for (i = 0; i < count; ++i) {
    const float t = (float)i / c->fs_hz;
    const float u = (float)(next_random(&rng) % 2001u) / 1000.0f - 1.0f;
    out[i] += c->offset_mv + c->wander_mv * sinf(2.0f * 3.14159265f * 0.3f * t) + c->noise_mv * u;
  }
  return beats;
}
