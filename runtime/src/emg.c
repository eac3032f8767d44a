/* The EMG model's input preparation (plrt_emg.h). The positional channels use the ECG pipeline's
 * exactly reduced sin/cos (ecg_math.h), so both pipelines quantise them to the same codes. */
#include "plrt_emg.h"

#include <stddef.h>

#include "ecg_math.h"

static int finite_f(float x) { return x == x && x - x == 0.0f; }

plrt_status plrt_emg_init(plrt_emg_state* s, const plrt_emg_config* config,
                          const plrt_model* model) {
  const plrt_emg_config* c = config;
  int32_t ch, k, n;
  int64_t den;
  if (s == NULL || c == NULL || model == NULL) return PLRT_ERR_ARGUMENT;
  if (c->raw_channels < 1 || c->raw_channels > PLRT_EMG_MAX_CHANNELS || c->window_length < 1 ||
      c->window_length > PLRT_EMG_MAX_WINDOW || c->pos_freqs < 0 ||
      c->pos_freqs > PLRT_EMG_MAX_POS_FREQS || !finite_f(c->pe_scale) || !finite_f(c->epsilon) ||
      c->epsilon < 0.0f ||
      plrt_input_channels(model) != (uint32_t)(c->raw_channels + 2 * c->pos_freqs) ||
      plrt_input_length(model) != (uint32_t)c->window_length) {
    return PLRT_ERR_ARGUMENT;
  }
  for (ch = 0; ch < c->raw_channels; ++ch) {
    if (!finite_f(c->mean[ch]) || !finite_f(c->sd[ch])) return PLRT_ERR_ARGUMENT;
  }
  s->config = *c;
  s->model = model;
  /* a flat channel (no spread in the statistics' recording) maps to 0, as dsp::apply does */
  for (ch = 0; ch < c->raw_channels; ++ch) {
    s->inv[ch] = c->sd[ch] > 0.0f ? 1.0f / (c->sd[ch] + c->epsilon) : 0.0f;
  }
  den = c->window_length > 1 ? c->window_length - 1 : 1;
  for (k = 0; k < c->pos_freqs; ++k) {
    const uint32_t row = (uint32_t)(c->raw_channels + 2 * k);
    for (n = 0; n < c->window_length; ++n) {
      float sn, cs;
      plrt_ecg_sincos_turns(c->window_length > 1 ? ((int64_t)1 << k) * n : 0, den, &sn, &cs);
      s->positional[2 * k][n] = plrt_quantize_value(model, row, c->pe_scale * sn);
      s->positional[2 * k + 1][n] = plrt_quantize_value(model, row + 1u, c->pe_scale * cs);
    }
  }
  return PLRT_OK;
}

plrt_status plrt_emg_prepare(const plrt_emg_state* s, const float* x, int8_t* input) {
  int32_t ch, t, i, channels, length;
  if (s == NULL || x == NULL || input == NULL) return PLRT_ERR_ARGUMENT;
  length = s->config.window_length;
  channels = s->config.raw_channels + 2 * s->config.pos_freqs;
  for (ch = 0; ch < s->config.raw_channels; ++ch) {
    const float* row = x + (size_t)ch * (size_t)length;
    const float mean = s->config.mean[ch], inv = s->inv[ch];
    for (t = 0; t < length; ++t) {
      input[(size_t)t * (size_t)channels + (size_t)ch] =
          plrt_quantize_value(s->model, (uint32_t)ch, (row[t] - mean) * inv);
    }
  }
  for (i = 0; i < 2 * s->config.pos_freqs; ++i) {
    const int32_t col = s->config.raw_channels + i;
    for (t = 0; t < length; ++t) {
      input[(size_t)t * (size_t)channels + (size_t)col] = s->positional[i][t];
    }
  }
  return PLRT_OK;
}
