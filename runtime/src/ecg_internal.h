/* plrt_ecg internals shared by its translation units (not installed). */
#ifndef PLRT_ECG_INTERNAL_H
#define PLRT_ECG_INTERNAL_H

#include <stdint.h>

#include "plrt_ecg.h"

/* sin and cos of `y`, |y| <= pi / 4, by their Taylor series in float32: the same bits on every
 * IEEE-754 machine (libm's sinf/cosf/tanf differ between glibc and newlib in the last bit). */
void plrt_ecg_sincos(float y, float* s, float* c);

/* sin and cos of 2 pi num / den (0 <= num, 0 < den), reduced exactly in integers first. */
void plrt_ecg_sincos_turns(int64_t num, int64_t den, float* s, float* c);

/* tan(x) for 0 < x < 1.5 from the series above. */
float plrt_ecg_tan(float x);

/* 2nd-order Butterworth section by the bilinear transform with a prewarped corner. */
void plrt_ecg_design_biquad(plrt_ecg_biquad* q, float corner_hz, float fs_hz, int high_pass);
float plrt_ecg_run_biquad(plrt_ecg_biquad* q, float x);

/* The RR side inputs of one beat (plrt_ecg_config.side order, before standardisation) from the
 * beats known when it is finalised: `beats[0 .. count)` increasing, the beat itself at index
 * `self`, the beat after it at self + 1 when self + 1 < count (else its RR after = its RR
 * before); `first` is the run's first beat (for the mean RR over (count - 1 + its index) ...
 * see ecg_rr.c). Writes n_side values to `out`. */
void plrt_ecg_rr_inputs(const plrt_ecg_config* config, const int64_t* beats, int32_t count,
                        int32_t self, int64_t run_first, int64_t run_intervals, float fs_hz,
                        float* out);

#endif /* PLRT_ECG_INTERNAL_H */
