/* Deterministic float32 trigonometry and the band-pass sections of the detector and plrt_ecg
 * (ecg_math.h). */
#include "ecg_math.h"

#include <math.h>

#define PLRT_ECG_HALF_PI 1.57079633f

void plrt_ecg_sincos(float y, float* s, float* c) {
  const float y2 = y * y;
  /* Horner forms of the series to y^13 and y^14: the remainder is below 1e-13 for |y| <= pi/4. */
  *s = y * (1.0f + y2 * (-1.0f / 6.0f +
                         y2 * (1.0f / 120.0f + y2 * (-1.0f / 5040.0f +
                                                     y2 * (1.0f / 362880.0f +
                                                           y2 * (-1.0f / 39916800.0f +
                                                                 y2 * (1.0f / 6227020800.0f)))))));
  *c = 1.0f +
       y2 * (-0.5f +
             y2 * (1.0f / 24.0f +
                   y2 * (-1.0f / 720.0f +
                         y2 * (1.0f / 40320.0f +
                               y2 * (-1.0f / 3628800.0f + y2 * (1.0f / 479001600.0f +
                                                                y2 * (-1.0f / 87178291200.0f)))))));
}

void plrt_ecg_sincos_turns(int64_t num, int64_t den, float* s, float* c) {
  /* angle = 2 pi r / den with r = num mod den; quarter turns j = round(4 r / den), the rest
   * y = (pi / 2) (4 r - j den) / den in [-pi/4, pi/4]. */
  const int64_t r = num % den;
  const int64_t j = (8 * r + den) / (2 * den);
  const float y = (float)(4 * r - j * den) * (PLRT_ECG_HALF_PI / (float)den);
  float sy, cy;
  plrt_ecg_sincos(y, &sy, &cy);
  switch (j % 4) {
    case 0:
      *s = sy;
      *c = cy;
      break;
    case 1:
      *s = cy;
      *c = -sy;
      break;
    case 2:
      *s = -sy;
      *c = -cy;
      break;
    default:
      *s = -cy;
      *c = sy;
      break;
  }
}

float plrt_ecg_tan(float x) {
  /* tan x = sin x / cos x with x = 2y (the 2y identities keep |y| <= pi/4). */
  float s, c;
  plrt_ecg_sincos(0.5f * x, &s, &c);
  return (2.0f * s * c) / ((c - s) * (c + s));
}

void plrt_biquad_design(plrt_biquad* q, float corner_hz, float fs_hz, int high_pass) {
  const float k = plrt_ecg_tan(PLRT_ECG_PI * corner_hz / fs_hz);
  const float inv_q = 1.41421356f;
  const float norm = 1.0f / (1.0f + k * inv_q + k * k);
  q->b0 = high_pass ? norm : k * k * norm;
  q->b1 = high_pass ? -2.0f * q->b0 : 2.0f * q->b0;
  q->b2 = q->b0;
  q->a1 = 2.0f * (k * k - 1.0f) * norm;
  q->a2 = (1.0f - k * inv_q + k * k) * norm;
  q->z1 = 0.0f;
  q->z2 = 0.0f;
}

float plrt_biquad_run(plrt_biquad* q, float x) {
  const float y = q->b0 * x + q->z1;
  q->z1 = q->b1 * x - q->a1 * y + q->z2;
  q->z2 = q->b2 * x - q->a2 * y;
  return y;
}

/* Group delay in samples of one section at `w` rad/sample: Re(sum k c_k z^-k / sum c_k z^-k) of
 * the numerator minus that of the denominator, z = e^jw. */
static float part_delay(float c0, float c1, float c2, float w) {
  const float re = c0 + c1 * cosf(w) + c2 * cosf(2.0f * w);
  const float im = -c1 * sinf(w) - c2 * sinf(2.0f * w);
  const float kre = c1 * cosf(w) + 2.0f * c2 * cosf(2.0f * w);
  const float kim = -c1 * sinf(w) - 2.0f * c2 * sinf(2.0f * w);
  return (kre * re + kim * im) / (re * re + im * im);
}

float plrt_biquad_delay(const plrt_biquad* q, float w) {
  return part_delay(q->b0, q->b1, q->b2, w) - part_delay(1.0f, q->a1, q->a2, w);
}
