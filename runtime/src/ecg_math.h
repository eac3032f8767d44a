/* Float32 maths with the same bits on every IEEE-754 machine (ecg_math.c; not installed): the
 * trigonometry and the band-pass sections shared by the detector (qrs.c) and plrt_ecg. */
#ifndef PLRT_ECG_MATH_H
#define PLRT_ECG_MATH_H

#include <stdint.h>

#include "plrt_qrs.h"

#define PLRT_ECG_PI 3.14159265f

/* sin and cos of `y`, |y| <= pi / 4, by their Taylor series in float32: the same bits on every
 * IEEE-754 machine (libm's sinf/cosf/tanf differ between glibc and newlib in the last bit). */
void plrt_ecg_sincos(float y, float* s, float* c);

/* sin and cos of 2 pi num / den (0 <= num, 0 < den), reduced exactly in integers first. */
void plrt_ecg_sincos_turns(int64_t num, int64_t den, float* s, float* c);

/* tan(x) for 0 < x < 1.5 from the series above. */
float plrt_ecg_tan(float x);

/* 2nd-order Butterworth section by the bilinear transform with a prewarped corner, its tangent
 * from the series above, so the detector (qrs.c) and the pipeline filter with the same bits on
 * every libm. */
void plrt_biquad_design(plrt_biquad* q, float corner_hz, float fs_hz, int high_pass);
float plrt_biquad_run(plrt_biquad* q, float x);

/* Group delay of `q` in samples at `w` rad/sample (libm cosf/sinf: round it before it decides
 * anything that must be bit-identical across libraries). */
float plrt_biquad_delay(const plrt_biquad* q, float w);

#endif
