/* plrt_ecg: the deterministic trigonometry and filter design against numpy/scipy values, the RR
 * inputs by hand, and whole synthetic streams through a test model whose logits are the
 * standardised pre-RR (so a premature beat must come out as class 1), with bad input: NaN,
 * lead-off, an early end, rates outside [100, 1000] Hz and rates the model was not trained for. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/ecg_internal.h"
#include "check.h"
#include "plq_builder.h"
#include "plrt_ecg.h"
#include "synthetic_ecg.h"

static int near(float a, float b, float tol) { return fabsf(a - b) <= tol; }

/* Expected values: /usr/bin/python3 -c "import numpy as np; print(np.tan(0.3), np.tan(1.2),
 * np.sin(2*np.pi*5/127), np.cos(2*np.pi*5/127))" */
static void test_trigonometry(void) {
  float s, c;
  CHECK(near(plrt_ecg_tan(0.3f), 0.3093362496096232f, 1e-7f));
  CHECK(near(plrt_ecg_tan(1.2f), 2.5721516221263183f, 2e-6f));
  plrt_ecg_sincos_turns(5, 127, &s, &c);
  CHECK(near(s, 0.24485438238350124f, 1e-7f));
  CHECK(near(c, 0.9695598647982466f, 1e-7f));
  plrt_ecg_sincos_turns(0, 127, &s, &c); /* exact reductions give exact values */
  CHECK(s == 0.0f && c == 1.0f);
  plrt_ecg_sincos_turns(1, 4, &s, &c);
  CHECK(s == 1.0f && c == 0.0f);
  plrt_ecg_sincos_turns(2 * 127 + 127 / 2, 127, &s, &c); /* 2.5 turns less half a step */
  CHECK(near(s, 0.024734427279994954f, 1e-7f));          /* sin(pi/127) */
}

/* scipy.signal.butter(2, 40, 'low', fs=360) and butter(2, 0.5, 'high', fs=360). */
static void test_biquad_design(void) {
  plrt_biquad q;
  plrt_biquad_design(&q, 40.0f, 360.0f, 0);
  CHECK(near(q.b0, 0.08042366f, 1e-6f) && near(q.b1, 0.16084732f, 1e-6f));
  CHECK(near(q.b2, 0.08042366f, 1e-6f));
  CHECK(near(q.a1, -1.05332992f, 1e-6f) && near(q.a2, 0.37502456f, 1e-6f));
  plrt_biquad_design(&q, 0.5f, 360.0f, 1);
  CHECK(near(q.b0, 0.99384833f, 1e-6f) && near(q.b1, -1.98769666f, 1e-6f));
  CHECK(near(q.a1, -1.98765881f, 1e-6f) && near(q.a2, 0.9877345f, 1e-6f));
}

/* Beats at 100 Hz: 0, 100, 200, 260 (premature), 400. */
static void test_rr_inputs(void) {
  static const int64_t beats[5] = {0, 100, 200, 260, 400};
  plrt_ecg_config c;
  float out[PLRT_ECG_MAX_SIDE];
  plrt_ecg_default_config(&c);
  /* the next beat known: mean RR 400 / 4 = 100 samples = 1 s; pre 0.6, post 1.4, local
   * (1 + 1 + 0.6) / 3; irregularity: intervals 100 100 60 140, |differences| 0 40 80 -> 40 / 100 */
  plrt_ecg_rr_inputs(&c, beats, 5, 3, 0, 4, 100.0f, out);
  CHECK(near(out[0], 0.6f, 1e-6f) && near(out[1], 1.4f, 1e-6f));
  CHECK(near(out[2], 2.6f / 3.0f, 1e-6f));
  CHECK(near(out[3], 0.6f / (2.6f / 3.0f), 1e-6f) && near(out[4], 1.4f / 0.6f, 1e-6f));
  CHECK(near(out[5], 0.4f, 1e-6f));
  /* not known: post = pre = 0.6 s, mean RR 260 / 3 samples; intervals 100 100 60 -> 20 / 100 */
  plrt_ecg_rr_inputs(&c, beats, 4, 3, 0, 3, 100.0f, out);
  CHECK(near(out[0], 0.6f / 0.8666667f, 1e-6f) && near(out[1], out[0], 1e-7f));
  CHECK(near(out[4], 1.0f, 1e-6f) && near(out[5], 0.2f, 1e-6f));
  /* the first beat: pre = post (as training does), one interval */
  plrt_ecg_rr_inputs(&c, beats, 2, 0, 0, 1, 100.0f, out);
  CHECK(near(out[0], 1.0f, 1e-6f) && near(out[1], 1.0f, 1e-6f) && near(out[5], 0.0f, 0.0f));
}

/* ---- streams through a test model ---- */

#define T_WINDOW 64
#define T_OFFSET 16
#define T_CHANNELS 7 /* lead, lead - median beat, 3 RR inputs, 2 positional */

/* logit0 = mean over the window of the standardised pre-RR channel (code), logit1 = -logit0:
 * class 1 exactly when the beat is premature. Input scale 1/16 on every channel. */
static uint8_t* build_model(size_t* size) {
  static int8_t w[2 * T_WINDOW * T_CHANNELS];
  static const int32_t shift[2] = {6, 6};
  plqb b;
  uint8_t* bytes = NULL;
  uint32_t in, out;
  int t;
  for (t = 0; t < T_WINDOW; ++t) {
    w[(0 * T_WINDOW + t) * T_CHANNELS + 2] = 1;
    w[(1 * T_WINDOW + t) * T_CHANNELS + 2] = -1;
  }
  plqb_init(&b, 1);
  in = plqb_tensor_add(&b, T_CHANNELS, T_WINDOW, 1.0f / 16.0f, 0);
  out = plqb_tensor_add(&b, 2, 1, 1.0f / 16.0f, 0);
  plqb_conv(&b, in, out, T_WINDOW, 0, -128, 127, w, NULL, NULL, shift);
  *size = plqb_write(&b, &bytes);
  plqb_free(&b);
  return bytes;
}

static void test_config(plrt_ecg_config* c) {
  plrt_ecg_default_config(c);
  c->leads = 1;
  c->window_length = T_WINDOW;
  c->beat_offset = T_OFFSET;
  c->side = 0;
  c->n_side = 3;
  c->side_offset[0] = 0.85f; /* (pre / mean - 0.85) / 0.1: + for a normal beat, - premature */
  c->side_scale[0] = 0.1f;
  c->pos_freqs = 1;
  c->learn_beats = 4;
}

typedef struct stream_result {
  plrt_ecg_beat beats[256];
  int n;
  int64_t max_delay;
} stream_result;

static uint8_t g_arena[4096];
static uint8_t* g_scratch; /* run_stream hands it to plrt_ecg_set_scratch when set */
static size_t g_scratch_size;

static void run_stream(const plrt_model* model, const plrt_ecg_config* config, float fs,
                       const float* x, size_t count, stream_result* r) {
  static plrt_ecg_state state; /* static: the state is ~30 KB */
  size_t used = 0, got = 0;
  CHECK_EQ(plrt_ecg_init(&state, config, NULL, fs, model, g_arena, sizeof g_arena), PLRT_OK);
  if (g_scratch != NULL) CHECK_EQ(plrt_ecg_set_scratch(&state, g_scratch, g_scratch_size), PLRT_OK);
  r->n = 0;
  while (used < count) {
    used += plrt_ecg_process(&state, x + used, count - used, r->beats + r->n, (size_t)(256 - r->n),
                             &got);
    r->n += (int)got;
  }
  while (plrt_ecg_finish(&state) > 0) {
    while (r->n < 256 && plrt_ecg_pop(&state, &r->beats[r->n])) ++r->n;
  }
  r->max_delay = plrt_ecg_max_delay_samples(&state);
}

/* Synthetic ECG at fs with RR 1 s; the diastole after beat `premature - 1` shortened by 0.3 s so
 * that beat `premature` comes after 0.7 s. Returns the samples; oracle R peaks in `peaks`. */
static size_t make_ecg(float fs, float seconds, size_t premature, float* x, int64_t* peaks,
                       size_t* n_peaks) {
  synthetic_ecg e = {0};
  const size_t n = (size_t)(seconds * fs);
  size_t i, cut_at, cut = (size_t)(0.3f * fs);
  e.fs_hz = fs;
  e.rr_s = 1.0f;
  e.noise_mv = 0.01f;
  e.wander_mv = 0.1f;
  e.p_mv = 0.12f;
  e.p_width_s = 0.025f;
  e.pr_s = 0.2f;
  *n_peaks = synthetic_ecg_generate(&e, x, n, peaks, 128, NULL);
  if (premature == 0) return n;
  cut_at = (size_t)peaks[premature - 1] + (size_t)(0.45f * fs);
  for (i = cut_at; i + cut < n; ++i) x[i] = x[i + cut];
  for (i = premature; i < *n_peaks; ++i) peaks[i] -= (int64_t)cut;
  return n - cut;
}

static const plrt_ecg_beat* find_beat(const stream_result* r, int64_t peak, float fs) {
  int i;
  for (i = 0; i < r->n; ++i) {
    const int64_t d = r->beats[i].sample - peak;
    if ((float)(d < 0 ? -d : d) <= 0.06f * fs) return &r->beats[i];
  }
  return NULL;
}

static float g_x[60 * 1000];
static int64_t g_peaks[128];

/* The premature beat is class 1, every other classified beat class 0, at the record rate and at
 * rates the model was not trained for (resampled); the delay bound holds for every beat. */
static void test_premature_beat(const plrt_model* model) {
  static const float rates[4] = {360.0f, 250.0f, 1000.0f, 100.0f};
  static stream_result r;
  plrt_ecg_config c;
  size_t k, n_peaks, n;
  int i, classified;
  test_config(&c);
  for (k = 0; k < 4; ++k) {
    const float fs = rates[k];
    n = make_ecg(fs, 40.0f, 20, g_x, g_peaks, &n_peaks);
    run_stream(model, &c, fs, g_x, n, &r);
    classified = 0;
    for (i = 1; i + 1 < (int)n_peaks; ++i) {
      const plrt_ecg_beat* b = find_beat(&r, g_peaks[i], fs);
      CHECK(b != NULL);
      if (b == NULL || b->label < 0) continue;
      ++classified;
      CHECK_EQ(b->label, i == 20 ? 1 : 0);
    }
    CHECK((size_t)classified + 8 >= n_peaks); /* the learning beats and the ends */
    for (i = 0; i < r.n; ++i) {
      const int64_t delay = r.beats[i].emitted_sample - r.beats[i].sample;
      CHECK(delay >= (int64_t)((float)(T_WINDOW - T_OFFSET) * fs / 180.0f) - 1);
      CHECK(delay <= r.max_delay);
      CHECK((r.beats[i].label < 0) == (r.beats[i].condition != 0));
    }
    CHECK(r.beats[0].condition & PLRT_ECG_COND_LEARNING);
  }
}

/* The fiducials: with refine_ms 0 exactly the detector's (plrt_qrs alone on the same samples);
 * with the default 50 ms within half a model sample (plus one input sample for the group delay's
 * rounding) of the generator's R peak. The band-pass's group delay at 10 Hz is ~2.5 samples at 360
 * Hz (scipy.signal.group_delay of butter(2, 0.5, 'high', fs=360) and butter(2, 40, fs=360)). */
static void test_fiducials(const plrt_model* model) {
  static const float rates[3] = {360.0f, 250.0f, 1000.0f};
  static stream_result r;
  static plrt_qrs_state qrs;
  plrt_qrs_params qp;
  plrt_qrs_beat beat;
  plrt_ecg_config c;
  size_t k, i, n_peaks, n;
  test_config(&c);
  for (k = 0; k < 3; ++k) {
    const float fs = rates[k];
    const int64_t tol = (int64_t)(fs / 180.0f / 2.0f + 0.5f) + 1;
    int64_t detector[128];
    int n_detector = 0, j, matched = 0;
    n = make_ecg(fs, 30.0f, 0, g_x, g_peaks, &n_peaks);
    plrt_qrs_default_params(&qp, fs);
    CHECK_EQ(plrt_qrs_init(&qrs, &qp), PLRT_OK);
    for (i = 0; i < n; ++i) {
      plrt_qrs_push(&qrs, g_x[i]);
      while (plrt_qrs_pop(&qrs, &beat) && n_detector < 128) detector[n_detector++] = beat.sample;
    }
    c.refine_ms = 0.0f;
    run_stream(model, &c, fs, g_x, n, &r);
    for (j = 0; j < r.n && j < n_detector; ++j) CHECK_EQ(r.beats[j].sample, detector[j]);
    c.refine_ms = 50.0f;
    run_stream(model, &c, fs, g_x, n, &r);
    for (i = 1; i + 1 < n_peaks; ++i) {
      const plrt_ecg_beat* b = find_beat(&r, g_peaks[i], fs);
      CHECK(b != NULL);
      if (b == NULL) continue;
      ++matched;
      CHECK(llabs(b->sample - g_peaks[i]) <= tol);
    }
    CHECK(matched + 2 >= (int)n_peaks);
  }
}

/* The fiducial's mapping pinned on a hand-checkable case (docs/stream.md, "The fiducial"): at
 * 360 Hz, Gaussian R waves (sd 10 ms, 1 mV, nothing else) at samples p of both parities. The
 * band-passed wave peaks 1.95 samples after p (the 0.5-40 Hz band-pass's delay over the pulse's
 * band; scipy.signal.lfilter of butter(2, 0.5, 'high', fs=360) then butter(2, 40, fs=360)), so
 * the largest model-rate (180 Hz: even input) sample is p + 2 for even p and p + 1 for odd p
 * (0.8929 against p + 3's 0.8866); less refine_shift (2 input samples) the fiducial is p or
 * p - 1, and the window's centre round(fiducial / 2) is p / 2 or (p - 1) / 2. A +-1 uV
 * alternation keeps the signal from reading as flat (lead-off); the low-pass's zero at the
 * Nyquist rate removes it. */
static void test_fiducial_mapping(const plrt_model* model) {
  static stream_result r;
  const float fs = 360.0f, sd = 0.010f * 360.0f;
  plrt_ecg_config c;
  size_t n_peaks = 0, i;
  const size_t n = (size_t)(20.0f * fs);
  int checked = 0, odd = 0;
  int64_t p;
  test_config(&c);
  for (i = 0; i < n; ++i) g_x[i] = i % 2 ? 0.001f : -0.001f;
  /* RR 290 and 289 samples in turn: p changes parity every other beat */
  for (p = 216; p + (int64_t)fs < (int64_t)n; p += 289 + (int64_t)(n_peaks % 2)) {
    const int64_t lo = p - 30, hi = p + 30;
    int64_t k;
    for (k = lo; k <= hi; ++k) {
      const float z = (float)(k - p) / sd;
      g_x[k] += expf(-0.5f * z * z);
    }
    g_peaks[n_peaks++] = p;
  }
  run_stream(model, &c, fs, g_x, n, &r);
  for (i = 0; i < n_peaks; ++i) {
    const plrt_ecg_beat* b = find_beat(&r, g_peaks[i], fs);
    const int64_t expected = g_peaks[i] - g_peaks[i] % 2;
    if (b == NULL) continue;
    ++checked;
    odd += (int)(g_peaks[i] % 2);
    CHECK_EQ(b->sample, expected);
    CHECK_EQ((b->sample + 1) / 2, g_peaks[i] / 2); /* the window's centre at 180 Hz */
  }
  CHECK(checked + 2 >= (int)n_peaks); /* the detector may miss the first ones */
  CHECK(odd >= 5);
}

/* NaN samples inside a window: that beat INVALID_SAMPLE, never classified. A flat stretch
 * (lead-off) of 3 s: the beats around it SIGNAL_LOST, then a new learning period. */
static void test_bad_samples(const plrt_model* model) {
  static stream_result r;
  plrt_ecg_config c;
  size_t n_peaks, n, i;
  const float fs = 360.0f;
  const plrt_ecg_beat* b;
  int after_flat_learning = 0, j;
  test_config(&c);
  n = make_ecg(fs, 40.0f, 0, g_x, g_peaks, &n_peaks);
  for (i = 0; i < 5; ++i) g_x[g_peaks[10] + 20 + (int64_t)i] = NAN;
  g_x[g_peaks[12] + 30] = INFINITY;
  for (i = (size_t)g_peaks[25] + 100; i < (size_t)g_peaks[25] + 100 + (size_t)(3.0f * fs); ++i)
    g_x[i] = 0.3f;
  run_stream(model, &c, fs, g_x, n, &r);
  b = find_beat(&r, g_peaks[10], fs);
  CHECK(b != NULL && (b->condition & PLRT_ECG_COND_INVALID_SAMPLE) && b->label == -1);
  b = find_beat(&r, g_peaks[12], fs);
  CHECK(b != NULL && (b->condition & PLRT_ECG_COND_INVALID_SAMPLE) && b->label == -1);
  b = find_beat(&r, g_peaks[11], fs);
  CHECK(b != NULL && b->label == 0);
  for (j = 0; j < r.n; ++j) {
    const int64_t s = r.beats[j].sample;
    if (s > g_peaks[25] && s < g_peaks[25] + 100 + (int64_t)(3.0f * fs))
      CHECK(r.beats[j].label == -1); /* nothing classified across the lead-off */
    if (s > g_peaks[25] + 100 + (int64_t)(3.0f * fs) &&
        (r.beats[j].condition & PLRT_ECG_COND_LEARNING))
      ++after_flat_learning;
  }
  CHECK(after_flat_learning > 0);
  b = find_beat(&r, g_peaks[n_peaks - 3], fs); /* recovered */
  CHECK(b != NULL && b->label == 0);
}

/* The stream stops 0.3 s after the last R peak (the detector has reported it), before that
 * beat's window (beat_offset 4: 60 samples = 0.33 s after it) is complete: the beat is reported,
 * unclassified, STREAM_ENDED. */
static void test_stream_ends_mid_window(const plrt_model* model) {
  static stream_result r;
  plrt_ecg_config c;
  size_t n_peaks, n;
  const float fs = 360.0f;
  test_config(&c);
  c.max_post_ms = 300.0f;
  c.beat_offset = 4;
  n = make_ecg(fs, 20.0f, 0, g_x, g_peaks, &n_peaks);
  n = (size_t)g_peaks[n_peaks - 2] + (size_t)(0.3f * fs);
  run_stream(model, &c, fs, g_x, n, &r);
  CHECK(r.n > 0);
  if (r.n > 0) {
    const plrt_ecg_beat* last = &r.beats[r.n - 1];
    const int64_t d = last->sample - g_peaks[n_peaks - 2];
    CHECK((d < 0 ? -d : d) < 20);
    CHECK(last->label == -1 && (last->condition & PLRT_ECG_COND_STREAM_ENDED));
    CHECK(r.n >= 2 && r.beats[r.n - 2].label == 0); /* finalised at the end: post = pre */
  }
}

static void test_refusals(const plrt_model* model) {
  static plrt_ecg_state state;
  plrt_ecg_config c;
  test_config(&c);
  CHECK_EQ(plrt_ecg_init(&state, &c, NULL, 99.0f, model, g_arena, sizeof g_arena),
           PLRT_ERR_UNSUPPORTED);
  CHECK_EQ(plrt_ecg_init(&state, &c, NULL, 1001.0f, model, g_arena, sizeof g_arena),
           PLRT_ERR_UNSUPPORTED);
  CHECK_EQ(plrt_ecg_init(&state, &c, NULL, NAN, model, g_arena, sizeof g_arena),
           PLRT_ERR_UNSUPPORTED);
  CHECK_EQ(plrt_ecg_init(&state, &c, NULL, 360.0f, model, g_arena, 8), PLRT_ERR_ARENA);
  c.n_side = 4; /* does not match side */
  CHECK_EQ(plrt_ecg_init(&state, &c, NULL, 360.0f, model, g_arena, sizeof g_arena),
           PLRT_ERR_ARGUMENT);
  test_config(&c);
  c.pos_freqs = 2; /* 9 channels, the model takes 7 */
  CHECK_EQ(plrt_ecg_check_config(&c, model), PLRT_ERR_ARGUMENT);
  CHECK_EQ(plrt_ecg_check_config(&c, NULL), PLRT_OK);
  test_config(&c);
  c.high_hz = 48.0f; /* above 0.45 x 100 Hz */
  CHECK_EQ(plrt_ecg_init(&state, &c, NULL, 100.0f, model, g_arena, sizeof g_arena),
           PLRT_ERR_ARGUMENT);
  CHECK(plrt_ecg_state_size() == sizeof(plrt_ecg_state));
}

/* Every public function answers NULL pointers with 0 / nothing (no dereference), as plrt_qrs_*
 * and the model accessors do. */
/* With a caller-owned scratch (exactly the queried size, at an odd address) every beat is the
 * same as with the kernels' stack tiles, and nothing is written past the scratch; a buffer one
 * byte short and null pointers are refused. */
static void test_scratch(const plrt_model* model) {
  static stream_result stack_tiles, with_scratch;
  static uint8_t buffer[8192];
  static plrt_ecg_state state;
  const size_t need = plrt_model_scratch_size(model);
  plrt_ecg_config c;
  size_t n, n_peaks, k;
  int i;
  CHECK(need + 64 <= sizeof buffer);
  test_config(&c);
  n = make_ecg(360.0f, 40.0f, 20, g_x, g_peaks, &n_peaks);
  run_stream(model, &c, 360.0f, g_x, n, &stack_tiles);
  memset(buffer, 0xA5, sizeof buffer);
  g_scratch = buffer + 1;
  g_scratch_size = need;
  run_stream(model, &c, 360.0f, g_x, n, &with_scratch);
  g_scratch = NULL;
  CHECK_EQ(with_scratch.n, stack_tiles.n);
  for (i = 0; i < stack_tiles.n && i < with_scratch.n; ++i) {
    const plrt_ecg_beat *a = &with_scratch.beats[i], *b = &stack_tiles.beats[i];
    CHECK(a->sample == b->sample && a->emitted_sample == b->emitted_sample);
    CHECK(a->label == b->label && a->condition == b->condition);
    CHECK(memcmp(a->logits, b->logits, sizeof a->logits) == 0);
  }
  CHECK(stack_tiles.n > 30);
  for (k = 1 + need; k < sizeof buffer; ++k) CHECK_EQ(buffer[k], 0xA5);
  CHECK_EQ(plrt_ecg_init(&state, &c, NULL, 360.0f, model, g_arena, sizeof g_arena), PLRT_OK);
  if (need > 0) CHECK_EQ(plrt_ecg_set_scratch(&state, buffer, need - 1), PLRT_ERR_ARENA);
  CHECK_EQ(plrt_ecg_set_scratch(&state, NULL, need), PLRT_ERR_ARGUMENT);
  CHECK_EQ(plrt_ecg_set_scratch(NULL, buffer, need), PLRT_ERR_ARGUMENT);
}

static void test_null_arguments(const plrt_model* model) {
  static plrt_ecg_state state;
  plrt_ecg_config c;
  plrt_ecg_beat beat;
  const float sample[2] = {0.0f, 0.0f};
  size_t got = 7;
  plrt_ecg_default_config(NULL);
  CHECK_EQ(plrt_ecg_check_config(NULL, model), PLRT_ERR_ARGUMENT);
  CHECK_EQ(plrt_ecg_init(NULL, &c, NULL, 360.0f, model, g_arena, sizeof g_arena),
           PLRT_ERR_ARGUMENT);
  CHECK_EQ(plrt_ecg_push(NULL, sample), 0);
  CHECK_EQ(plrt_ecg_pop(NULL, &beat), 0);
  CHECK_EQ(plrt_ecg_process(NULL, sample, 1, &beat, 1, &got), 0);
  CHECK_EQ(got, 0);
  CHECK_EQ(plrt_ecg_finish(NULL), 0);
  CHECK_EQ(plrt_ecg_condition(NULL), PLRT_QRS_COND_NOT_STARTED);
  CHECK_EQ(plrt_ecg_max_delay_samples(NULL), 0);
  /* An initialised state with NULL sample, beat or count pointers. */
  test_config(&c);
  CHECK_EQ(plrt_ecg_init(&state, &c, NULL, 360.0f, model, g_arena, sizeof g_arena), PLRT_OK);
  CHECK_EQ(plrt_ecg_push(&state, NULL), 0);
  CHECK_EQ(plrt_ecg_pop(&state, NULL), 0);
  CHECK_EQ(plrt_ecg_process(&state, NULL, 3, &beat, 1, &got), 0);
  CHECK_EQ(plrt_ecg_process(&state, sample, 1, NULL, 1, &got), 0);
  CHECK_EQ(plrt_ecg_process(&state, sample, 1, &beat, 1, NULL), 1); /* no count wanted */
}

int main(void) {
  plrt_model model;
  size_t size;
  uint8_t* bytes = build_model(&size);
  test_trigonometry();
  test_biquad_design();
  test_rr_inputs();
  CHECK_EQ(plrt_model_init(&model, bytes, size, NULL), PLRT_OK);
  CHECK(plrt_model_arena_size(&model) <= sizeof g_arena);
  test_premature_beat(&model);
  test_fiducials(&model);
  test_fiducial_mapping(&model);
  test_bad_samples(&model);
  test_stream_ends_mid_window(&model);
  test_refusals(&model);
  test_scratch(&model);
  test_null_arguments(&model);
  free(bytes);
  return check_report("ecg_test");
}
