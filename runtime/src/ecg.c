/* plrt_ecg: the streaming beat-classification pipeline (plrt_ecg.h, docs/stream.md). */
#include "plrt_ecg.h"

#include <math.h>
#include <string.h>

#include "ecg_internal.h"
#include "interpreter_internal.h"

void plrt_ecg_default_config(plrt_ecg_config* c) {
  int32_t s;
  if (c == NULL) return;
  memset(c, 0, sizeof *c);
  c->model_fs_hz = 180.0f;
  c->leads = 2;
  c->window_length = 128;
  c->beat_offset = 64;
  c->template_channel = 1;
  c->local_rr_beats = 10;
  c->side = PLRT_ECG_SIDE_RR_RATIOS | PLRT_ECG_SIDE_RR_IRREGULARITY;
  c->n_side = 6;
  for (s = 0; s < PLRT_ECG_MAX_SIDE; ++s) c->side_scale[s] = 1.0f;
  c->pos_freqs = 8;
  c->pe_scale = 0.1f;
  c->low_hz = 0.5f;
  c->high_hz = 40.0f;
  c->valid_min = -1e7f; /* the detector's defaults */
  c->valid_max = 1e7f;
  c->norm_seconds = 300.0f;
  c->template_step = 0.02f;
  c->learn_beats = 8;
  /* A pause of more than 3 s is the clinically significant one: a beat before any shorter pause
     gets the RR after it, however long the detector takes to report the next beat. */
  c->max_post_ms = 3000.0f;
  c->refine_ms = 50.0f;
}

static int in_range(float v, float lo, float hi) { return v >= lo && v <= hi; } /* NaN -> 0 */

static int32_t side_count(uint32_t side) {
  return 3 + ((side & PLRT_ECG_SIDE_RR_SECONDS) ? 1 : 0) +
         ((side & PLRT_ECG_SIDE_RR_RATIOS) ? 2 : 0) +
         ((side & PLRT_ECG_SIDE_RR_VARIABILITY) ? 1 : 0) +
         ((side & PLRT_ECG_SIDE_RR_IRREGULARITY) ? 1 : 0);
}

static int32_t signal_channels(const plrt_ecg_config* c) {
  return c->leads * (c->template_channel ? 2 : 1);
}

plrt_status plrt_ecg_check_config(const plrt_ecg_config* c, const plrt_model* model) {
  int32_t s;
  if (c == NULL) return PLRT_ERR_ARGUMENT;
  if (!in_range(c->model_fs_hz, 50.0f, 500.0f) || c->leads < 1 || c->leads > PLRT_ECG_MAX_LEADS ||
      c->window_length < 8 || c->window_length > PLRT_ECG_MAX_WINDOW || c->beat_offset < 0 ||
      c->beat_offset >= c->window_length ||
      (c->template_channel != 0 && c->template_channel != 1) || c->local_rr_beats < 1 ||
      c->local_rr_beats > PLRT_ECG_MAX_LOCAL_RR || c->side > 15u ||
      c->n_side != side_count(c->side) || c->n_side > PLRT_ECG_MAX_SIDE || c->pos_freqs < 0 ||
      c->pos_freqs > PLRT_ECG_MAX_POS_FREQS || !in_range(c->pe_scale, 0.0f, 100.0f) ||
      !(c->low_hz > 0.0f) || !(c->high_hz > c->low_hz) || !(c->high_hz < 0.45f * c->model_fs_hz) ||
      !(c->valid_min < c->valid_max) || !in_range(c->norm_seconds, 1.0f, 3600.0f) ||
      !(c->template_step > 0.0f) || !(c->template_step <= 1.0f) || c->learn_beats < 0 ||
      c->learn_beats > 1000 || !in_range(c->max_post_ms, 300.0f, 3000.0f) ||
      !in_range(c->refine_ms, 0.0f, 80.0f)) {
    return PLRT_ERR_ARGUMENT;
  }
  for (s = 0; s < c->n_side; ++s) {
    if (!(c->side_scale[s] > 0.0f) || !in_range(c->side_offset[s], -1e6f, 1e6f))
      return PLRT_ERR_ARGUMENT;
  }
  if (model != NULL && (plrt_input_channels(model) !=
                            (uint32_t)(signal_channels(c) + c->n_side + 2 * c->pos_freqs) ||
                        plrt_input_length(model) != (uint32_t)c->window_length ||
                        plrt_num_classes(model) > PLRT_ECG_MAX_CLASSES)) {
    return PLRT_ERR_ARGUMENT;
  }
  return PLRT_OK;
}

size_t plrt_ecg_state_size(void) { return sizeof(plrt_ecg_state); }

/* Quantised positional channels: row 2k = pe_scale sin(2 pi 2^k n / (L - 1)), row 2k + 1 the
 * cosine (arch/positional.cpp), computed exactly reduced so that every machine gets the same
 * codes. */
static void fill_positional(plrt_ecg_state* s) {
  const plrt_ecg_config* c = &s->config;
  const uint32_t base = (uint32_t)(signal_channels(c) + c->n_side);
  const int64_t den = c->window_length > 1 ? c->window_length - 1 : 1;
  int32_t k, n;
  for (k = 0; k < c->pos_freqs; ++k) {
    for (n = 0; n < c->window_length; ++n) {
      float sn, cs;
      plrt_ecg_sincos_turns(c->window_length > 1 ? ((int64_t)1 << k) * n : 0, den, &sn, &cs);
      s->positional[2 * k][n] =
          plrt_quantize_value(s->model, base + 2u * (uint32_t)k, c->pe_scale * sn);
      s->positional[2 * k + 1][n] =
          plrt_quantize_value(s->model, base + 2u * (uint32_t)k + 1u, c->pe_scale * cs);
    }
  }
}

plrt_status plrt_ecg_init(plrt_ecg_state* s, const plrt_ecg_config* config,
                          const plrt_qrs_params* qrs, float fs_hz, const plrt_model* model,
                          void* arena, size_t arena_size) {
  plrt_qrs_params qp;
  plrt_status status;
  int32_t lead;
  if (s == NULL || config == NULL || model == NULL || arena == NULL) return PLRT_ERR_ARGUMENT;
  if (!in_range(fs_hz, (float)PLRT_ECG_MIN_FS_HZ, (float)PLRT_ECG_MAX_FS_HZ) ||
      fs_hz > (float)PLRT_QRS_MAX_FS_HZ) {
    return PLRT_ERR_UNSUPPORTED;
  }
  status = plrt_ecg_check_config(config, model);
  if (status != PLRT_OK) return status;
  if (config->high_hz >= 0.45f * fs_hz) return PLRT_ERR_ARGUMENT;
  if (arena_size < plrt_model_arena_size(model)) return PLRT_ERR_ARENA;
  if (qrs != NULL) {
    qp = *qrs;
  } else {
    plrt_qrs_default_params(&qp, fs_hz);
    qp.valid_min = config->valid_min;
    qp.valid_max = config->valid_max;
  }
  qp.fs_hz = fs_hz;
  memset(s, 0, sizeof *s);
  status = plrt_qrs_init(&s->qrs, &qp);
  if (status != PLRT_OK) return status;
  s->config = *config;
  s->model = model;
  s->arena = arena;
  s->arena_size = arena_size;
  s->fs_hz = fs_hz;
  s->fs_q = (int64_t)(fs_hz * 1000.0f + 0.5f);
  s->model_fs_q = (int64_t)(config->model_fs_hz * 1000.0f + 0.5f);
  s->max_post_len = (int32_t)(config->max_post_ms * fs_hz / 1000.0f + 0.5f);
  s->flat_len = (int32_t)(qp.flat_ms * fs_hz / 1000.0f + 0.5f);
  s->norm_len = (int32_t)(config->norm_seconds * config->model_fs_hz + 0.5f);
  for (lead = 0; lead < config->leads; ++lead) {
    plrt_biquad_design(&s->hp[lead], config->low_hz, fs_hz, 1);
    plrt_biquad_design(&s->lp[lead], config->high_hz, fs_hz, 0);
  }
  s->refine_half = (int32_t)(config->refine_ms * config->model_fs_hz / 1000.0f + 0.5f);
  {
    /* The band-passed R peak lags the input's by the group delay at the QRS's main frequency. */
    const float w = 2.0f * PLRT_ECG_PI * 10.0f / fs_hz;
    const float delay = plrt_biquad_delay(&s->hp[0], w) + plrt_biquad_delay(&s->lp[0], w);
    s->refine_shift = delay > 0.0f ? (int32_t)(delay + 0.5f) : 0;
  }
  s->channels = (int32_t)plrt_input_channels(model);
  fill_positional(s);
  return PLRT_OK;
}

/* ---- finalising a beat: its window, its inputs, the model ---- */

/* round(x * to / from) for x >= 0, the rates in 1/1000 Hz: a beat's sample at the other rate */
static int64_t rescale_round(int64_t x, int64_t to_q, int64_t from_q) {
  return (2 * x * to_q + from_q) / (2 * from_q);
}

static int32_t ring_at(int64_t i) { return (int32_t)(i % PLRT_ECG_RING); }

static int8_t argmax_label(const int8_t* logits, uint32_t k, int32_t* label) {
  uint32_t i;
  int32_t best = 0;
  for (i = 1; i < k; ++i)
    if (logits[i] > logits[best]) best = (int32_t)i;
  *label = best;
  return logits[best];
}

/* The beat at the pending queue's head becomes a plrt_ecg_beat at the queue's tail. `post_known`:
 * the next pending beat is its successor. */
static void finalise(plrt_ecg_state* s, int post_known) {
  const plrt_ecg_config* c = &s->config;
  plrt_ecg_pending* p = &s->pending[s->pending_head];
  plrt_ecg_beat* out = &s->queue[(s->queue_head + s->queue_count) % PLRT_ECG_QUEUE];
  const int32_t length = c->window_length, leads = c->leads, channels = s->channels;
  const int64_t start = p->centre - c->beat_offset, end = start + length - 1;
  int64_t beats[PLRT_ECG_MAX_LOCAL_RR + 4];
  float side[PLRT_ECG_MAX_SIDE];
  int32_t count = 0, self, i, lead, t;
  uint32_t condition = p->condition;
  int8_t* input = plrt_input(s->model, s->arena);

  memset(out, 0, sizeof *out);
  out->sample = p->sample;
  out->emitted_sample = s->n - 1;
  if (end >= s->m) condition |= PLRT_ECG_COND_STREAM_ENDED;
  if (start < s->m - PLRT_ECG_RING) condition |= PLRT_ECG_COND_TOO_LATE;
  if ((condition & (PLRT_ECG_COND_STREAM_ENDED | PLRT_ECG_COND_TOO_LATE)) == 0) {
    for (i = start < 0 ? 0 : (int32_t)(0); i < length; ++i) {
      if (start + i >= 0) condition |= s->ring_flags[ring_at(start + i)];
    }
  }
  if (p->run_index < c->learn_beats) condition |= PLRT_ECG_COND_LEARNING;

  /* RR inputs from the run's known beats: history, this beat, the next one if known */
  for (i = 0; i < s->history_count; ++i) beats[count++] = s->history[i];
  self = count;
  beats[count++] = p->sample;
  if (post_known) beats[count++] = s->pending[(s->pending_head + 1) % PLRT_ECG_PENDING].sample;
  plrt_ecg_rr_inputs(c, beats, count, self, s->run_first, p->run_index + (post_known ? 1 : 0),
                     s->fs_hz, side);

  /* signal channels: z-scored window (zero outside the stream), the running median beat */
  if ((condition & (PLRT_ECG_COND_STREAM_ENDED | PLRT_ECG_COND_TOO_LATE |
                    PLRT_ECG_COND_SIGNAL_LOST | PLRT_ECG_COND_INVALID_SAMPLE)) == 0) {
    const int32_t template_base = leads;
    for (lead = 0; lead < leads; ++lead) {
      const float mean = s->ring_mean[lead][ring_at(end)];
      const float sd0 = s->ring_sd[lead][ring_at(end)];
      const float sd = sd0 > 0.0f ? sd0 : 1.0f;
      float* m = s->template_beat[lead];
      for (t = 0; t < length; ++t) {
        const float x = start + t >= 0 ? (s->ring[lead][ring_at(start + t)] - mean) / sd : 0.0f;
        input[t * channels + lead] = plrt_quantize_value(s->model, (uint32_t)lead, x);
        if (!c->template_channel) continue;
        if (p->run_index < c->learn_beats || !s->have_template) {
          /* the mean of the first beats, then a running median */
          m[t] = s->have_template ? m[t] + (x - m[t]) / (float)(p->run_index + 1) : x;
        } else if (x > m[t]) {
          m[t] += c->template_step;
        } else if (x < m[t]) {
          m[t] -= c->template_step;
        }
        input[t * channels + template_base + lead] =
            plrt_quantize_value(s->model, (uint32_t)(template_base + lead), x - m[t]);
      }
    }
    s->have_template = 1;
  }

  if (condition == 0) {
    const int32_t side_base = signal_channels(c), pos_base = side_base + c->n_side;
    const int8_t* logits;
    uint32_t k;
    for (i = 0; i < c->n_side; ++i) {
      const int8_t q = plrt_quantize_value(s->model, (uint32_t)(side_base + i),
                                           (side[i] - c->side_offset[i]) / c->side_scale[i]);
      for (t = 0; t < length; ++t) input[t * channels + side_base + i] = q;
    }
    for (i = 0; i < 2 * c->pos_freqs; ++i) {
      for (t = 0; t < length; ++t) input[t * channels + pos_base + i] = s->positional[i][t];
    }
    plrt_invoke_prechecked_scratch(s->model, s->arena, s->arena_size, s->scratch);
    logits = plrt_output(s->model, s->arena);
    for (k = 0; k < plrt_num_classes(s->model); ++k) out->logits[k] = logits[k];
    (void)argmax_label(out->logits, plrt_num_classes(s->model), &out->label);
  } else {
    out->label = -1;
  }
  out->condition = condition;
  ++s->queue_count;

  /* the beat joins the run's history */
  if (s->history_count == PLRT_ECG_MAX_LOCAL_RR + 2) {
    memmove(s->history, s->history + 1, sizeof(s->history[0]) * (PLRT_ECG_MAX_LOCAL_RR + 1));
    --s->history_count;
  }
  s->history[s->history_count++] = p->sample;
  ++s->run_beats;
  s->pending_head = (s->pending_head + 1) % PLRT_ECG_PENDING;
  --s->pending_count;
  --s->pending_refined;
}

/* Finalises pending beats in order while the queue has room: a beat waits for its window and for
 * its successor (or max_post_len samples, or the end of the stream). */
static void finalise_ready(plrt_ecg_state* s) {
  while (s->pending_count > 0 && s->queue_count < PLRT_ECG_QUEUE) {
    const plrt_ecg_pending* p = &s->pending[s->pending_head];
    const int64_t end = p->centre - s->config.beat_offset + s->config.window_length - 1;
    const int has_next = s->pending_count > 1;
    if (s->pending_refined < 1) break;
    if (!s->ended && end >= s->m) break; /* window incomplete */
    if (has_next) {
      /* its successor's refined fiducial is this beat's RR after */
      if (s->pending_refined < 2) break;
      finalise(s, 1);
    } else if (s->ended || s->n - p->sample > s->max_post_len) {
      finalise(s, 0);
    } else {
      break;
    }
  }
}

/* Moves each pending beat whose search range has arrived (or every one, once the stream ended)
 * to the largest |band-passed lead 0| within refine_half model samples of its centre (the first
 * of equal ones), back at the input rate less the band-pass's delay. The detector's refractory
 * period (200 ms) is over twice the largest range (80 ms), so beats keep their order. */
static void refine_ready(plrt_ecg_state* s) {
  while (s->pending_refined < s->pending_count) {
    plrt_ecg_pending* p = &s->pending[(s->pending_head + s->pending_refined) % PLRT_ECG_PENDING];
    int64_t lo = p->centre - s->refine_half, hi = p->centre + s->refine_half, k, best;
    int32_t r;
    float top;
    if (s->refine_half == 0) { /* kept where the detector put it */
      ++s->pending_refined;
      continue;
    }
    if (!s->ended && hi >= s->m) break; /* later beats' ranges end later still */
    ++s->pending_refined;
    if (lo < 0) lo = 0;
    if (lo < s->m - PLRT_ECG_RING) lo = s->m - PLRT_ECG_RING;
    if (hi > s->m - 1) hi = s->m - 1;
    if (lo > hi) continue;
    best = lo;
    r = ring_at(lo); /* one 64-bit modulo, not one per sample (a library call on the M4) */
    top = fabsf(s->ring[0][r]);
    for (k = lo + 1; k <= hi; ++k) {
      float v;
      r = r + 1 == PLRT_ECG_RING ? 0 : r + 1;
      v = fabsf(s->ring[0][r]);
      if (v > top) {
        top = v;
        best = k;
      }
    }
    p->sample = rescale_round(best, s->fs_q, s->model_fs_q) - s->refine_shift;
    if (p->sample < 0) p->sample = 0;
    p->centre = rescale_round(p->sample, s->model_fs_q, s->fs_q);
    if (p->run_index == 0) s->run_first = p->sample;
  }
}

/* ---- input side ---- */

/* A beat from the detector joins the pending queue (its run index counts from the run start). */
static void add_pending(plrt_ecg_state* s, int64_t sample, uint32_t condition) {
  plrt_ecg_pending* p;
  if (s->pending_count == PLRT_ECG_PENDING) return; /* the caller stopped popping: dropped */
  if (s->run_beats + s->pending_count == 0) s->run_first = sample;
  p = &s->pending[(s->pending_head + s->pending_count) % PLRT_ECG_PENDING];
  p->sample = sample;
  p->centre = rescale_round(sample, s->model_fs_q, s->fs_q);
  p->run_index = s->run_beats + s->pending_count;
  p->condition = condition;
  ++s->pending_count;
}

/* One model-rate sample per lead: running z-score, ring. */
static void emit_model_sample(plrt_ecg_state* s, const float* y, uint32_t flags) {
  const int32_t r = ring_at(s->m);
  const int64_t k = ++s->stat_count;
  const float w = k < s->norm_len ? 1.0f / (float)k : 1.0f / (float)s->norm_len;
  int32_t lead;
  for (lead = 0; lead < s->config.leads; ++lead) {
    const float old_mean = s->stat_mean[lead];
    const float new_mean = old_mean + w * (y[lead] - old_mean);
    s->stat_var[lead] += w * ((y[lead] - old_mean) * (y[lead] - new_mean) - s->stat_var[lead]);
    s->stat_mean[lead] = new_mean;
    s->ring[lead][r] = y[lead];
    s->ring_mean[lead][r] = new_mean;
    s->ring_sd[lead][r] = sqrtf(s->stat_var[lead] > 0.0f ? s->stat_var[lead] : 0.0f);
  }
  s->ring_flags[r] = (uint8_t)flags;
  ++s->m;
}

static int push_sample(plrt_ecg_state* s, const float* sample) {
  const plrt_ecg_config* c = &s->config;
  const int64_t j = s->n; /* this sample's index */
  float y[PLRT_ECG_MAX_LEADS];
  uint32_t flags = 0;
  int32_t lead;
  plrt_qrs_beat beat;
  if (s->ended) return s->queue_count;
  for (lead = 0; lead < c->leads; ++lead) {
    float x = sample[lead];
    if (x != x || x - x != 0.0f) { /* NaN or infinite */
      flags |= PLRT_ECG_COND_INVALID_SAMPLE;
      x = s->last_valid[lead];
    } else if (!in_range(x, c->valid_min, c->valid_max)) {
      flags |= PLRT_ECG_COND_SIGNAL_LOST;
      x = s->last_valid[lead];
    } else {
      s->flat_run[lead] = (j > 0 && x == s->last_raw[lead]) ? s->flat_run[lead] + 1 : 1;
      s->last_raw[lead] = x;
      s->last_valid[lead] = x;
      if (s->flat_run[lead] >= s->flat_len) flags |= PLRT_ECG_COND_SIGNAL_LOST;
    }
    if (j == 0) s->offset[lead] = x;
    y[lead] = plrt_biquad_run(&s->lp[lead], plrt_biquad_run(&s->hp[lead], x - s->offset[lead]));
  }
  ++s->n;

  /* beats the detector reports with this sample */
  plrt_qrs_push(&s->qrs, sample[0]);
  while (plrt_qrs_pop(&s->qrs, &beat)) add_pending(s, beat.sample, 0);

  /* model-rate samples between the previous input sample and this one (linear interpolation):
   * output m lies at input position m fs / model_fs = i + rem / model_fs_q */
  for (;;) {
    const int64_t num = s->m * s->fs_q;
    const int64_t i = num / s->model_fs_q, rem = num % s->model_fs_q;
    float v[PLRT_ECG_MAX_LEADS];
    if (i == j && rem == 0) {
      emit_model_sample(s, y, flags);
    } else if (i == j - 1 && rem > 0) {
      const float frac = (float)rem / (float)s->model_fs_q;
      for (lead = 0; lead < c->leads; ++lead)
        v[lead] = s->prev_y[lead] + frac * (y[lead] - s->prev_y[lead]);
      emit_model_sample(s, v, flags | s->prev_flags);
    } else {
      break;
    }
  }
  for (lead = 0; lead < c->leads; ++lead) s->prev_y[lead] = y[lead];
  s->prev_flags = flags;

  /* a lost signal ends the run: the next beat starts a new one (RR history, learning) */
  if (flags & PLRT_ECG_COND_SIGNAL_LOST) s->started = 0;
  refine_ready(s);
  finalise_ready(s);
  if (!s->started && (flags & PLRT_ECG_COND_SIGNAL_LOST) == 0 && s->pending_count == 0) {
    s->started = 1;
    s->run_beats = 0;
    s->history_count = 0;
  }
  return s->queue_count;
}

plrt_status plrt_ecg_set_scratch(plrt_ecg_state* s, void* scratch, size_t scratch_size) {
  size_t need;
  if (s == NULL || scratch == NULL || s->model == NULL) return PLRT_ERR_ARGUMENT;
  need = plrt_model_scratch_size(s->model);
  if (scratch_size < need) return PLRT_ERR_ARENA;
  /* Checked once here, so that each beat runs plrt_invoke_prechecked_scratch; a build whose
   * kernels take no scratch keeps the plain path. */
  s->scratch = need > 0 ? scratch : NULL;
  return PLRT_OK;
}

int plrt_ecg_push(plrt_ecg_state* s, const float* sample) {
  return s == NULL || sample == NULL ? 0 : push_sample(s, sample);
}

int plrt_ecg_pop(plrt_ecg_state* s, plrt_ecg_beat* beat) {
  if (s == NULL || beat == NULL || s->queue_count == 0) return 0;
  *beat = s->queue[s->queue_head];
  s->queue_head = (s->queue_head + 1) % PLRT_ECG_QUEUE;
  --s->queue_count;
  return 1;
}

size_t plrt_ecg_process(plrt_ecg_state* s, const float* samples, size_t count, plrt_ecg_beat* beats,
                        size_t capacity, size_t* num_beats) {
  size_t used = 0, got = 0, leads;
  if (num_beats != NULL) *num_beats = 0;
  if (s == NULL || (samples == NULL && count > 0) || (beats == NULL && capacity > 0)) return 0;
  leads = (size_t)s->config.leads;
  for (;;) {
    while (got < capacity && plrt_ecg_pop(s, &beats[got])) ++got;
    if (used == count || s->queue_count > 0) break;
    plrt_ecg_push(s, samples + used * leads);
    ++used;
  }
  if (num_beats != NULL) *num_beats = got;
  return used;
}

int plrt_ecg_finish(plrt_ecg_state* s) {
  if (s == NULL) return 0;
  s->ended = 1;
  refine_ready(s);
  finalise_ready(s);
  return s->queue_count;
}

uint32_t plrt_ecg_condition(const plrt_ecg_state* s) {
  return plrt_qrs_condition(s == NULL ? NULL : &s->qrs);
}

int64_t plrt_ecg_max_delay_samples(const plrt_ecg_state* s) {
  int64_t tail, refine;
  if (s == NULL) return 0;
  tail =
      ((int64_t)(s->config.window_length - s->config.beat_offset) * s->fs_q + s->model_fs_q - 1) /
          s->model_fs_q +
      1;
  /* refine_half model samples (plus one input sample for the interpolation or the rounding)
   * twice: the refined fiducial may lie that much before the detector's (and the group delay
   * more), and a reported successor is waited for until that much after its own */
  refine = ((int64_t)s->refine_half * s->fs_q + s->model_fs_q - 1) / s->model_fs_q + 1;
  return plrt_qrs_max_delay_samples(&s->qrs) + s->max_post_len + tail + 2 * refine +
         s->refine_shift;
}
