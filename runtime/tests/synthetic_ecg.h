/* Synthetic ECG for the runtime tests: P, Q, R, S and T waves as Gaussians around known R-peak
 * samples, plus baseline wander and deterministic noise. The R-peak samples are the oracle. */
#ifndef PLRT_TESTS_SYNTHETIC_ECG_H
#define PLRT_TESTS_SYNTHETIC_ECG_H

#include <stddef.h>
#include <stdint.h>

typedef struct synthetic_ecg {
  float fs_hz;
  float rr_s;      /* mean RR interval */
  float rr_jitter; /* RR varies by up to +/- this fraction */
  float noise_mv;  /* uniform noise amplitude */
  float wander_mv; /* 0.3 Hz baseline wander amplitude */
  float offset_mv; /* DC offset */
  float p_mv;      /* P wave height (0.12 typical) */
  float p_width_s; /* P wave Gaussian width (0.025 typical) */
  float pr_s;      /* P wave centre before the R peak (0.20 typical) */
} synthetic_ecg;

/* Writes `count` samples (mV) to `out` and the R-peak sample indices to `r_peaks` (capacity
 * `max_peaks`); returns the number of R peaks. `amplitude(i)` scales beat i (NULL = all 1). */
size_t synthetic_ecg_generate(const synthetic_ecg* config, float* out, size_t count,
                              int64_t* r_peaks, size_t max_peaks, float (*amplitude)(size_t));

#endif
