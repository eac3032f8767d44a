/* The EMG gesture model's input preparation (C99, float32 only, no heap, no globals, no stdio):
 * one window of raw EMG in, the model's int8 input out, as PhysioLite trains the UCI EMG model
 * (src/data/uci_emg_windows.cpp, docs/datasets.md):
 *
 *   window: raw_channels x window_length samples on the model's grid (1 kHz for UCI EMG),
 *           channel-first (x[c * window_length + t])
 *     -> per channel z-score with statistics known before the window (training uses the
 *        subject's whole recording; on a device, a calibration recording's): (x - mean) * inv,
 *        inv = 1 / (sd + epsilon), or 0 for a flat channel (sd <= 0), as dsp::apply does
 *     -> the positional channels after the raw ones: row 2k = pe_scale sin(2 pi 2^k n / (L - 1)),
 *        row 2k + 1 the cosine (arch/positional.cpp); identical for every window, so quantised
 *        once at plrt_emg_init
 *     -> plrt_quantize_value per element into the graph input (channel-last), ready for
 *        plrt_invoke.
 *
 * The state holds the quantised positional channels (PLRT_EMG_MAX_POS_FREQS x 2 x
 * PLRT_EMG_MAX_WINDOW bytes) and the per-channel factors; the caller owns it (static or stack).
 * Its instruction counts per window on the emulated Cortex-M4F and M55 feed `physiolite profile`'s
 * CPU table (docs/profile.md). */
#ifndef PLRT_EMG_H
#define PLRT_EMG_H

#include <stdint.h>

#include "plrt_model.h"
#include "plrt_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PLRT_EMG_MAX_CHANNELS 16 /* raw signal channels (UCI EMG: 8) */
#define PLRT_EMG_MAX_WINDOW 1024 /* samples per window (UCI EMG: 1024) */
#define PLRT_EMG_MAX_POS_FREQS 8 /* positional frequencies, 2 channels each (UCI EMG: 8) */

typedef struct plrt_emg_config {
  int32_t raw_channels;  /* [1, PLRT_EMG_MAX_CHANNELS] */
  int32_t window_length; /* [1, PLRT_EMG_MAX_WINDOW]; must equal the model's input length */
  int32_t pos_freqs; /* [0, PLRT_EMG_MAX_POS_FREQS]; raw_channels + 2 pos_freqs model channels */
  float pe_scale;    /* the positional channels' amplitude (config model.pe_scale) */
  float epsilon;     /* added to the standard deviation (config data.zscore_epsilon) */
  float mean[PLRT_EMG_MAX_CHANNELS]; /* per raw channel: the z-score's mean and standard */
  float sd[PLRT_EMG_MAX_CHANNELS];   /* deviation */
} plrt_emg_config;

typedef struct plrt_emg_state {
  plrt_emg_config config;
  const plrt_model* model;
  float inv[PLRT_EMG_MAX_CHANNELS]; /* 1 / (sd + epsilon), 0 for a flat channel */
  int8_t positional[2 * PLRT_EMG_MAX_POS_FREQS][PLRT_EMG_MAX_WINDOW];
} plrt_emg_state;

/* Checks `config` against itself and the model (PLRT_ERR_ARGUMENT for null pointers, a value
 * outside its range, a non-finite statistic, or a model whose input is not raw_channels +
 * 2 pos_freqs channels of window_length samples), then quantises the positional channels. */
plrt_status plrt_emg_init(plrt_emg_state* s, const plrt_emg_config* config,
                          const plrt_model* model);

/* Writes the model input for one window `x` (channel-first, config.raw_channels x
 * config.window_length) into `input` (plrt_input of the model's arena, channel-last). A NaN
 * sample gives its channel's zero point (plrt_quantize_value). */
plrt_status plrt_emg_prepare(const plrt_emg_state* s, const float* x, int8_t* input);

#ifdef __cplusplus
}
#endif

#endif /* PLRT_EMG_H */
