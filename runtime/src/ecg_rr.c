/* The RR side inputs of plrt_ecg: the training-time definitions (src/data/beat_windows.cpp)
 * over the beats known when a beat is finalised (docs/stream.md). float32. */
#include "ecg_internal.h"

#include <math.h>

/* Median of v[0 .. n), n >= 1 (reordered): the mean of the middle two for an even n, as the
 * training code's median_of. */
static float median_of(float* v, int32_t n) {
  int32_t i, j;
  for (i = 1; i < n; ++i) { /* insertion sort: n <= 2 PLRT_ECG_MAX_LOCAL_RR */
    const float x = v[i];
    for (j = i; j > 0 && v[j - 1] > x; --j) v[j] = v[j - 1];
    v[j] = x;
  }
  if (n % 2 == 1) return v[n / 2];
  return 0.5f * (v[n / 2] + v[n / 2 - 1]);
}

void plrt_ecg_rr_inputs(const plrt_ecg_config* config, const int64_t* beats, int32_t count,
                        int32_t self, int64_t run_first, int64_t run_intervals, float fs_hz,
                        float* out) {
  float intervals[2 * PLRT_ECG_MAX_LOCAL_RR + 2], differences[2 * PLRT_ECG_MAX_LOCAL_RR + 2];
  const int32_t local_beats = config->local_rr_beats;
  const float mean_rr = run_intervals > 0
                            ? (float)(beats[count - 1] - run_first) / (float)run_intervals / fs_hz
                            : 1.0f;
  float pre, post, local = 0.0f;
  int32_t k, m = 0, o = 0;
#define RR(k) ((float)(beats[(k)] - beats[(k)-1]) / fs_hz)
  pre = self > 0 ? RR(self) : (count > 1 ? RR(1) : mean_rr);
  post = self + 1 < count ? RR(self + 1) : pre;
  for (k = self; k >= 1 && m < local_beats; --k, ++m) local += RR(k);
  local = m > 0 ? local / (float)m : pre;
  out[o++] = pre / mean_rr;
  out[o++] = post / mean_rr;
  out[o++] = local / mean_rr;
  if (config->side & PLRT_ECG_SIDE_RR_SECONDS) out[o++] = mean_rr;
  if (config->side & PLRT_ECG_SIDE_RR_RATIOS) {
    out[o++] = pre / local;
    out[o++] = post / pre;
  }
  if (config->side & PLRT_ECG_SIDE_RR_VARIABILITY) {
    float sum = 0.0f, sum_sq = 0.0f, cv = 0.0f;
    m = 0;
    for (k = self > 0 ? self - 1 : 0; k >= 1 && m < local_beats; --k, ++m) {
      sum += RR(k);
      sum_sq += RR(k) * RR(k);
    }
    if (m >= 2) {
      const float mean = sum / (float)m;
      const float var = sum_sq / (float)m - mean * mean;
      cv = sqrtf(var > 0.0f ? var : 0.0f) / mean;
    }
    out[o++] = cv;
  }
  if (config->side & PLRT_ECG_SIDE_RR_IRREGULARITY) {
    /* intervals k in [max(1, self - half + 1), min(count - 1, self + half)]: those known */
    const int32_t first = self - local_beats + 1 > 1 ? self - local_beats + 1 : 1;
    const int32_t last = self + local_beats < count - 1 ? self + local_beats : count - 1;
    int32_t ni = 0, nd = 0;
    for (k = first; k <= last; ++k) {
      intervals[ni++] = (float)(beats[k] - beats[k - 1]);
      if (k > first) {
        const float d = intervals[ni - 1] - intervals[ni - 2];
        differences[nd++] = d < 0.0f ? -d : d;
      }
    }
    out[o++] = nd < 2 ? 0.0f : median_of(differences, nd) / median_of(intervals, ni);
  }
#undef RR
}
