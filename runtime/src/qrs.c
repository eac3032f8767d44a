/* Streaming QRS detector; the algorithm and its references are described in plrt_qrs.h. */
#include "plrt_qrs.h"

#include <float.h>
#include <math.h>

#include "ecg_math.h"

static int32_t ms_to_samples(float ms, float fs_hz) {
  return (int32_t)(ms * fs_hz / 1000.0f + 0.5f);
}

void plrt_qrs_default_params(plrt_qrs_params* params, float fs_hz) {
  if (params == NULL) return;
  params->fs_hz = fs_hz;
  params->valid_min = -1.0e7f;
  params->valid_max = 1.0e7f;
  params->flat_ms = 300.0f;
  params->hp_hz = 7.0f;
  params->lp_hz = 12.0f;
  params->mwi_ms = 150.0f;
  params->peak_timeout_ms = 95.0f;
  params->refractory_ms = 200.0f;
  params->twave_ms = 360.0f;
  params->twave_slope_ratio = 0.5f;
  params->hold_ms = 250.0f;
  params->hold_spk_ratio = 0.8f;
  params->threshold_coef = 0.25f;
  params->searchback_factor = 1.3f;
  params->learn_ms = 2000.0f;
  params->max_rr_ms = 2000.0f;
}

static int in_range(float v, float lo, float hi) { return v >= lo && v <= hi; } /* NaN -> 0 */

static plrt_status check_params(const plrt_qrs_params* p) {
  const float fs = p->fs_hz;
  if (!in_range(fs, (float)PLRT_QRS_MIN_FS_HZ, (float)PLRT_QRS_MAX_FS_HZ)) {
    return in_range(fs, 1.0f, 1.0e6f) ? PLRT_ERR_UNSUPPORTED : PLRT_ERR_ARGUMENT;
  }
  if (!(p->valid_min < p->valid_max) || !in_range(p->valid_min, -FLT_MAX, FLT_MAX) ||
      !in_range(p->valid_max, -FLT_MAX, FLT_MAX) || !in_range(p->flat_ms, 20.0f, 10000.0f) ||
      !(p->hp_hz > 0.0f && p->hp_hz < p->lp_hz && p->lp_hz < 0.45f * fs) ||
      !(p->mwi_ms > 0.0f && p->mwi_ms <= (float)PLRT_QRS_MAX_MWI_MS) ||
      !(p->peak_timeout_ms > 0.0f && p->peak_timeout_ms <= (float)PLRT_QRS_MAX_TIMEOUT_MS) ||
      !in_range(p->refractory_ms, 100.0f, 400.0f) ||
      !in_range(p->twave_ms, p->refractory_ms, 600.0f) ||
      !in_range(p->twave_slope_ratio, 0.0f, 1.0f) || !in_range(p->hold_ms, 0.0f, 400.0f) ||
      !in_range(p->hold_spk_ratio, 0.0f, 10.0f) ||
      !(p->threshold_coef > 0.0f && p->threshold_coef < 1.0f) ||
      !in_range(p->searchback_factor, 1.0f, 3.0f) || !in_range(p->learn_ms, 500.0f, 10000.0f) ||
      !in_range(p->max_rr_ms, 500.0f, 3000.0f)) {
    return PLRT_ERR_ARGUMENT;
  }
  return PLRT_OK;
}

static void release(plrt_qrs_state* s);

/* Forgets everything learned about the signal (after emitting the held beat); `x` becomes the
 * new baseline. */
static void restart(plrt_qrs_state* s, float x) {
  int32_t i;
  release(s);
  s->hp.z1 = s->hp.z2 = s->lp.z1 = s->lp.z2 = 0.0f;
  s->start = s->n;
  s->condition = PLRT_QRS_COND_LEARNING | (s->condition & PLRT_QRS_COND_OVERFLOW);
  s->offset = x;
  s->ring_pos = 0;
  s->mwi_pos = 0;
  s->prev_y = 0.0f;
  s->mwi_sum = 0.0f;
  for (i = 0; i < PLRT_QRS_RING_CAPACITY; ++i) s->ring[i] = 0.0f;
  for (i = 0; i < PLRT_QRS_MWI_CAPACITY; ++i) s->mwi[i] = 0.0f;
  s->pk_height = 0.0f;
  s->trough = 0.0f;
  s->pk_sample = s->n;
  s->descending = 0;
  s->spk = 0.0f;
  s->npk = 0.0f;
  s->last_slope = 0.0f;
  s->last_beat = s->n;
  s->have_beat = 0;
  s->holding = 0;
  s->last_emitted = s->n;
  s->have_emitted = 0;
  s->rr_count = 0;
  s->rr_pos = 0;
  s->rr_mean = s->params.fs_hz; /* 1 s until the first interval is measured */
  s->candidate.height = 0.0f;
  s->learn_count = 0;
}

plrt_status plrt_qrs_init(plrt_qrs_state* s, const plrt_qrs_params* p) {
  const float fs = p == NULL ? 0.0f : p->fs_hz;
  plrt_status status;
  if (s == NULL || p == NULL) return PLRT_ERR_ARGUMENT;
  status = check_params(p);
  if (status != PLRT_OK) return status;
  s->params = *p;
  s->mwi_len = ms_to_samples(p->mwi_ms, fs);
  if (s->mwi_len < 1) s->mwi_len = 1;
  s->timeout_len = ms_to_samples(p->peak_timeout_ms, fs);
  if (s->timeout_len < 1) s->timeout_len = 1;
  s->margin_len = ms_to_samples((float)PLRT_QRS_SEARCH_MARGIN_MS, fs);
  s->ring_len = s->mwi_len + s->timeout_len + s->margin_len + 2;
  s->flat_len = ms_to_samples(p->flat_ms, fs);
  s->refractory_len = ms_to_samples(p->refractory_ms, fs);
  s->twave_len = ms_to_samples(p->twave_ms, fs);
  s->hold_len = ms_to_samples(p->hold_ms, fs);
  s->learn_len = ms_to_samples(p->learn_ms, fs);
  s->max_rr_len = ms_to_samples(p->max_rr_ms, fs);
  /* A peak's fiducial lies at most mwi + margin before the integral's maximum, which is declared
   * at most timeout after it. */
  s->decision_len = s->mwi_len + s->margin_len + s->timeout_len;
  s->searchback_max_len =
      (int32_t)(p->searchback_factor * (float)s->max_rr_len) + s->decision_len + 1;
  plrt_biquad_design(&s->hp, p->hp_hz, fs, 1);
  plrt_biquad_design(&s->lp, p->lp_hz, fs, 0);
  {
    /* The band-passed QRS lags the input by the group delay at the band's centre. */
    const float w = 2.0f * PLRT_ECG_PI * sqrtf(p->hp_hz * p->lp_hz) / fs;
    const float delay = plrt_biquad_delay(&s->hp, w) + plrt_biquad_delay(&s->lp, w);
    s->shift_len = delay > 0.0f ? (int32_t)(delay + 0.5f) : 0;
  }
  /* A peak whose fiducial is less than hold_len after the held one has its integral maximum at
   * most mwi + margin + shift after that fiducial. */
  s->hold_cutoff_len = s->hold_len + s->mwi_len + s->margin_len + s->shift_len;
  s->n = 0;
  s->flat_run = 0;
  s->last_x = 0.0f;
  s->queue_head = 0;
  s->queue_count = 0;
  s->dropped = 0;
  s->holding = 0;
  s->condition = 0; /* restart keeps the overflow bit: start from none */
  restart(s, 0.0f);
  s->condition = PLRT_QRS_COND_NOT_STARTED;
  return PLRT_OK;
}

static void emit(plrt_qrs_state* s, const plrt_qrs_peak* peak, uint32_t flags) {
  plrt_qrs_beat* beat;
  if (s->queue_count == PLRT_QRS_QUEUE) { /* the caller is not popping: drop the oldest, say so */
    s->queue_head = (s->queue_head + 1) % PLRT_QRS_QUEUE;
    --s->queue_count;
    ++s->dropped;
    s->condition |= PLRT_QRS_COND_OVERFLOW;
  }
  beat = &s->queue[(s->queue_head + s->queue_count) % PLRT_QRS_QUEUE];
  beat->sample = peak->sample;
  beat->emitted_sample = s->n;
  beat->flags = flags;
  ++s->queue_count;
}

static float threshold1(const plrt_qrs_state* s) {
  return s->npk + s->params.threshold_coef * (s->spk - s->npk);
}

static void update_noise(plrt_qrs_state* s, float height) {
  s->npk = 0.125f * height + 0.875f * s->npk;
}

/* The held beat is final: it enters the RR history and SPK and is emitted. */
static void release(plrt_qrs_state* s) {
  const plrt_qrs_peak* peak = &s->held;
  const int searchback = (s->held_flags & PLRT_QRS_BEAT_SEARCHBACK) != 0;
  if (!s->holding) return;
  if (s->have_emitted) {
    const int64_t rr = peak->sample - s->last_emitted;
    if (rr <= s->max_rr_len) {
      int32_t i;
      int64_t sum = 0;
      s->rr[s->rr_pos] = (int32_t)rr;
      s->rr_pos = (s->rr_pos + 1) % PLRT_QRS_RR_HISTORY;
      if (s->rr_count < PLRT_QRS_RR_HISTORY) ++s->rr_count;
      for (i = 0; i < s->rr_count; ++i) sum += s->rr[i];
      s->rr_mean = (float)sum / (float)s->rr_count;
    }
  }
  s->spk =
      searchback ? 0.25f * peak->height + 0.75f * s->spk : 0.125f * peak->height + 0.875f * s->spk;
  s->last_emitted = peak->sample;
  s->have_emitted = 1;
  s->holding = 0;
  emit(s, peak, s->held_flags);
}

/* `peak` is the newest beat; it is held for hold_ms in case a larger peak replaces it. */
static void hold(plrt_qrs_state* s, const plrt_qrs_peak* peak, uint32_t flags) {
  release(s);
  s->held = *peak;
  s->held_flags = flags;
  s->holding = 1;
  s->last_slope = peak->slope;
  s->last_beat = peak->sample;
  s->have_beat = 1;
  s->candidate.height = 0.0f;
}

/* Within hold_ms of the held beat, a larger peak that is not a T wave of it is the QRS and the
 * held one was a P wave or noise (Hamilton & Tompkins keep the largest peak of any 200 ms). */
static int replaces_held(const plrt_qrs_state* s, const plrt_qrs_peak* peak) {
  return s->holding && peak->sample > s->held.sample &&
         peak->sample - s->held.sample < s->hold_len && peak->height > s->held.height &&
         peak->slope >= s->params.twave_slope_ratio * s->held.slope;
}

/* Searchback (Pan & Tompkins): once searchback_factor x the mean RR has passed since the last
 * beat, the largest noise peak above THR2 = THR1 / 2 in the interval is taken as a beat. */
static int searchback_due(const plrt_qrs_state* s, float interval) {
  return s->candidate.height > 0.5f * threshold1(s) &&
         interval > s->params.searchback_factor * s->rr_mean;
}

static void take_candidate(plrt_qrs_state* s) {
  const plrt_qrs_peak found = s->candidate;
  hold(s, &found, PLRT_QRS_BEAT_SEARCHBACK);
  release(s); /* found late already: not held */
}

static void classify(plrt_qrs_state* s, const plrt_qrs_peak* peak) {
  const int64_t since = peak->sample - s->last_beat;
  if (replaces_held(s, peak)) {
    update_noise(s, s->held.height);
    s->holding = 0;
    hold(s, peak, 0u);
    return;
  }
  if (s->have_beat && since < s->refractory_len) return;
  if (peak->height > threshold1(s)) {
    if (!(s->have_beat && since < s->twave_len &&
          peak->slope < s->params.twave_slope_ratio * s->last_slope)) {
      hold(s, peak, 0u);
      return;
    }
  } else if (peak->height > s->candidate.height) {
    s->candidate = *peak;
  }
  update_noise(s, peak->height);
}

/* Keeps the PLRT_QRS_LEARN_PEAKS largest peaks of the learning period, in time order. */
static void remember(plrt_qrs_state* s, const plrt_qrs_peak* peak) {
  int32_t i, smallest = 0;
  if (s->learn_count < PLRT_QRS_LEARN_PEAKS) {
    s->learn[s->learn_count++] = *peak;
    return;
  }
  for (i = 1; i < s->learn_count; ++i) {
    if (s->learn[i].height < s->learn[smallest].height) smallest = i;
  }
  if (peak->height <= s->learn[smallest].height) return;
  for (i = smallest; i + 1 < s->learn_count; ++i) s->learn[i] = s->learn[i + 1];
  s->learn[s->learn_count - 1] = *peak;
}

/* Ends the learning period: thresholds from its peaks, then its peaks are classified. */
static void finish_learning(plrt_qrs_state* s) {
  int32_t i;
  float highest = 0.0f;
  for (i = 0; i < s->learn_count; ++i) {
    if (s->learn[i].height > highest) highest = s->learn[i].height;
  }
  s->spk = highest;
  s->npk = 0.125f * highest;
  s->condition &= ~(uint32_t)PLRT_QRS_COND_LEARNING;
  for (i = 0; i < s->learn_count; ++i) classify(s, &s->learn[i]);
  s->learn_count = 0;
}

static int32_t ring_index(const plrt_qrs_state* s, int64_t sample) {
  /* `sample` is at most ring_len - 1 samples old. */
  int32_t back = (int32_t)(s->n - sample);
  int32_t i = s->ring_pos - back;
  return i < 0 ? i + s->ring_len : i;
}

/* The integral peaked at pk_sample: locate the QRS in the band-passed signal before it. */
static void on_peak(plrt_qrs_state* s, float height, int64_t pk_sample) {
  plrt_qrs_peak peak;
  int64_t lo = pk_sample - s->mwi_len - s->margin_len, i;
  float best = -1.0f, slope = 0.0f, prev;
  if (lo < s->start) lo = s->start;
  peak.sample = lo;
  prev = s->ring[ring_index(s, lo)];
  for (i = lo; i <= pk_sample; ++i) {
    const float y = s->ring[ring_index(s, i)];
    const float a = fabsf(y), d = fabsf(y - prev);
    if (a > best) {
      best = a;
      peak.sample = i;
    }
    if (d > slope) slope = d;
    prev = y;
  }
  peak.sample -= s->shift_len;
  if (peak.sample < s->start) peak.sample = s->start;
  peak.height = height;
  peak.slope = slope;
  if (s->condition & PLRT_QRS_COND_LEARNING) {
    remember(s, &peak);
  } else {
    classify(s, &peak);
  }
}

/* The held beat is released once no peak that could replace it can come any more: it is large
 * (at least hold_spk_ratio x SPK, so not a P wave) or every later integral maximum belongs to a
 * fiducial past the hold window; and the integral is not rising to a larger maximum that could. */
static int hold_over(const plrt_qrs_state* s) {
  const int64_t age = s->n - s->held.sample;
  const int rising_larger = !s->descending && s->pk_height > s->held.height &&
                            s->pk_sample - s->held.sample < s->hold_cutoff_len;
  return (age >= s->hold_cutoff_len || s->held.height >= s->params.hold_spk_ratio * s->spk) &&
         !rising_larger;
}

static void detect(plrt_qrs_state* s, float x) {
  float y, d, e, m;
  y = plrt_biquad_run(&s->lp, plrt_biquad_run(&s->hp, x - s->offset));
  s->ring_pos = s->ring_pos + 1 == s->ring_len ? 0 : s->ring_pos + 1;
  s->ring[s->ring_pos] = y;
  d = y - s->prev_y;
  s->prev_y = y;
  e = d * d;
  s->mwi_sum += e - s->mwi[s->mwi_pos];
  s->mwi[s->mwi_pos] = e;
  if (++s->mwi_pos == s->mwi_len) {
    /* Re-add the window once per turn, so that rounding never accumulates. */
    int32_t i;
    float sum = 0.0f;
    for (i = 0; i < s->mwi_len; ++i) sum += s->mwi[i];
    s->mwi_sum = sum;
    s->mwi_pos = 0;
  }
  m = s->mwi_sum > 0.0f ? s->mwi_sum : 0.0f;
  if (!(m <= FLT_MAX)) { /* overflow: start over rather than propagate inf/NaN */
    restart(s, x);
    return;
  }

  if (s->descending) {
    if (m < s->trough) {
      s->trough = m;
    } else if (m > s->trough) {
      s->descending = 0;
      s->pk_height = m;
      s->pk_sample = s->n;
    }
  } else if (m > s->pk_height) {
    s->pk_height = m;
    s->pk_sample = s->n;
  } else if (s->pk_height > 0.0f &&
             (m <= 0.5f * s->pk_height || s->n - s->pk_sample >= s->timeout_len)) {
    on_peak(s, s->pk_height, s->pk_sample);
    s->descending = 1;
    s->trough = m;
    s->pk_height = 0.0f;
  }

  if (s->condition & PLRT_QRS_COND_LEARNING) {
    if (s->n - s->start + 1 >= s->learn_len) finish_learning(s);
    return;
  }
  if (s->holding && hold_over(s)) release(s);
  if (s->candidate.height > 0.0f) {
    if (s->n - s->candidate.sample > s->searchback_max_len) {
      s->candidate.height = 0.0f;
    } else if (searchback_due(s, (float)(s->n - s->last_beat - s->decision_len))) {
      take_candidate(s);
    }
  }
}

int plrt_qrs_push(plrt_qrs_state* s, float x) {
  const plrt_qrs_params* p;
  int valid;
  if (s == NULL) return 0;
  p = &s->params;
  valid = x >= p->valid_min && x <= p->valid_max; /* false for NaN */
  if (!valid) {
    s->condition |= PLRT_QRS_COND_OUT_OF_RANGE;
    if (s->condition & PLRT_QRS_COND_NOT_STARTED) {
      ++s->n;
      return s->queue_count;
    }
    x = s->last_x; /* hold the last valid sample */
  } else {
    s->condition &= ~(uint32_t)PLRT_QRS_COND_OUT_OF_RANGE;
  }
  if (s->condition & PLRT_QRS_COND_NOT_STARTED) {
    s->last_x = x;
    restart(s, x);
  }
  s->flat_run = x == s->last_x ? s->flat_run + 1 : 0;
  s->last_x = x;
  if (s->flat_run >= s->flat_len) {
    release(s);
    s->condition =
        (s->condition & (PLRT_QRS_COND_OUT_OF_RANGE | PLRT_QRS_COND_OVERFLOW)) | PLRT_QRS_COND_FLAT;
  } else {
    if (s->condition & PLRT_QRS_COND_FLAT) {
      restart(s, x);
      if (!valid) s->condition |= PLRT_QRS_COND_OUT_OF_RANGE;
    }
    detect(s, x);
  }
  ++s->n;
  return s->queue_count;
}

int plrt_qrs_pop(plrt_qrs_state* s, plrt_qrs_beat* beat) {
  if (s == NULL || beat == NULL || s->queue_count == 0) return 0;
  *beat = s->queue[s->queue_head];
  s->queue_head = (s->queue_head + 1) % PLRT_QRS_QUEUE;
  --s->queue_count;
  s->condition &= ~(uint32_t)PLRT_QRS_COND_OVERFLOW;
  return 1;
}

uint32_t plrt_qrs_dropped(const plrt_qrs_state* s) { return s == NULL ? 0u : s->dropped; }

size_t plrt_qrs_process(plrt_qrs_state* s, const float* samples, size_t count, plrt_qrs_beat* beats,
                        size_t capacity, size_t* num_beats) {
  size_t i = 0, out = 0;
  if (num_beats != NULL) *num_beats = 0;
  if (s == NULL || (samples == NULL && count > 0) || (beats == NULL && capacity > 0)) return 0;
  while (out < capacity && plrt_qrs_pop(s, &beats[out])) ++out;
  while (i < count && s->queue_count == 0) {
    if (plrt_qrs_push(s, samples[i++]) > 0) {
      while (out < capacity && plrt_qrs_pop(s, &beats[out])) ++out;
    }
  }
  if (num_beats != NULL) *num_beats = out;
  return i;
}

uint32_t plrt_qrs_condition(const plrt_qrs_state* s) {
  return s == NULL ? (uint32_t)PLRT_QRS_COND_NOT_STARTED : s->condition;
}

int64_t plrt_qrs_max_delay_samples(const plrt_qrs_state* s) {
  int64_t bound;
  if (s == NULL) return 0;
  /* A beat waits for the end of the learning period, or for the end of its hold; either may be
   * prolonged by a larger peak still rising then (at most timeout). A searchback beat is taken at
   * most searchback_max_len after its fiducial. */
  bound = (int64_t)(s->learn_len > s->hold_cutoff_len ? s->learn_len : s->hold_cutoff_len) +
          s->timeout_len;
  if (s->searchback_max_len > bound) bound = s->searchback_max_len;
  return bound + s->shift_len;
}
