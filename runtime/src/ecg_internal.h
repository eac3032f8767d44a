/* plrt_ecg internals shared by its translation units (not installed). */
#ifndef PLRT_ECG_INTERNAL_H
#define PLRT_ECG_INTERNAL_H

#include <stdint.h>

#include "ecg_math.h"
#include "plrt_ecg.h"

/* The RR side inputs of one beat (plrt_ecg_config.side order, before standardisation) from the
 * beats known when it is finalised: `beats[0 .. count)` increasing, the beat itself at index
 * `self`, the beat after it at self + 1 when self + 1 < count (else its RR after = its RR
 * before); `first` is the run's first beat (for the mean RR over (count - 1 + its index) ...
 * see ecg_rr.c). Writes n_side values to `out`. */
void plrt_ecg_rr_inputs(const plrt_ecg_config* config, const int64_t* beats, int32_t count,
                        int32_t self, int64_t run_first, int64_t run_intervals, float fs_hz,
                        float* out);

#endif /* PLRT_ECG_INTERNAL_H */
