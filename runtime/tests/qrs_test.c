/* Tests of the streaming QRS detector against synthetic ECG with known R peaks and against the
 * bad inputs of issue 10 (flat line, saturation, lead-off, NaN, unsupported fs, empty input). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "plrt_qrs.h"
#include "synthetic_ecg.h"

#define MAX_SAMPLES (1000 * 90)
#define MAX_BEATS 256

static float g_signal[MAX_SAMPLES];
static int64_t g_truth[MAX_BEATS];
static plrt_qrs_beat g_beats[MAX_BEATS];
static uint32_t g_conditions[MAX_SAMPLES];

/* Streams `count` samples one at a time, recording the condition after each; returns beats. */
static size_t run(plrt_qrs_state* s, const float* x, size_t count) {
  size_t i, n = 0;
  plrt_qrs_beat beat;
  for (i = 0; i < count; ++i) {
    plrt_qrs_push(s, x[i]);
    g_conditions[i] = plrt_qrs_condition(s);
    while (plrt_qrs_pop(s, &beat)) {
      if (n < MAX_BEATS) g_beats[n++] = beat;
    }
  }
  return n;
}

static plrt_qrs_state g_state;

static void init(float fs_hz) {
  plrt_qrs_params p;
  plrt_qrs_default_params(&p, fs_hz);
  CHECK(plrt_qrs_init(&g_state, &p) == PLRT_OK);
}

static synthetic_ecg default_ecg(float fs_hz) {
  synthetic_ecg c;
  c.fs_hz = fs_hz;
  c.rr_s = 0.8f;
  c.rr_jitter = 0.1f;
  c.noise_mv = 0.02f;
  c.wander_mv = 0.2f;
  c.offset_mv = 1.5f;
  c.p_mv = 0.12f;
  c.p_width_s = 0.025f;
  c.pr_s = 0.20f;
  return c;
}

/* Number of truth peaks with a beat within 50 ms, each beat used once (both lists sorted). */
static size_t count_matched(const int64_t* truth, size_t n_truth, const plrt_qrs_beat* beats,
                            size_t n_beats, float fs_hz) {
  const int64_t tol = (int64_t)(0.05f * fs_hz);
  size_t i, j = 0, matched = 0;
  for (i = 0; i < n_truth; ++i) {
    while (j < n_beats && beats[j].sample < truth[i] - tol) ++j;
    if (j < n_beats && beats[j].sample <= truth[i] + tol) {
      ++matched;
      ++j;
    }
  }
  return matched;
}

static int in_order(const plrt_qrs_beat* beats, size_t n) {
  size_t i;
  for (i = 1; i < n; ++i) {
    if (beats[i].sample <= beats[i - 1].sample) return 0;
    if (beats[i].emitted_sample < beats[i - 1].emitted_sample) return 0;
  }
  return 1;
}

static void test_rejects_bad_parameters(void) {
  plrt_qrs_params p;
  plrt_qrs_default_params(&p, 360.0f);
  CHECK(plrt_qrs_init(NULL, &p) == PLRT_ERR_ARGUMENT);
  CHECK(plrt_qrs_init(&g_state, NULL) == PLRT_ERR_ARGUMENT);
  p.fs_hz = 50.0f;
  CHECK(plrt_qrs_init(&g_state, &p) == PLRT_ERR_UNSUPPORTED);
  p.fs_hz = 2000.0f;
  CHECK(plrt_qrs_init(&g_state, &p) == PLRT_ERR_UNSUPPORTED);
  p.fs_hz = NAN;
  CHECK(plrt_qrs_init(&g_state, &p) == PLRT_ERR_ARGUMENT);
  p.fs_hz = -360.0f;
  CHECK(plrt_qrs_init(&g_state, &p) == PLRT_ERR_ARGUMENT);
  plrt_qrs_default_params(&p, 360.0f);
  p.hp_hz = 20.0f;
  CHECK(plrt_qrs_init(&g_state, &p) == PLRT_ERR_ARGUMENT);
  plrt_qrs_default_params(&p, 360.0f);
  p.valid_min = p.valid_max;
  CHECK(plrt_qrs_init(&g_state, &p) == PLRT_ERR_ARGUMENT);
  /* A state that failed to initialise is never used: the calls below must not crash. */
  CHECK(plrt_qrs_push(NULL, 1.0f) == 0);
  CHECK(plrt_qrs_condition(NULL) == PLRT_QRS_COND_NOT_STARTED);
}

static void test_detects_every_beat_at_each_rate(void) {
  static const float rates[] = {100.0f, 128.0f, 250.0f, 360.0f, 500.0f, 1000.0f};
  size_t r;
  for (r = 0; r < sizeof rates / sizeof rates[0]; ++r) {
    const float fs = rates[r];
    const synthetic_ecg c = default_ecg(fs);
    const size_t count = (size_t)(60.0f * fs);
    const size_t n_truth = synthetic_ecg_generate(&c, g_signal, count, g_truth, MAX_BEATS, NULL);
    size_t n, i;
    int64_t max_delay;
    init(fs);
    max_delay = plrt_qrs_max_delay_samples(&g_state);
    n = run(&g_state, g_signal, count);
    CHECK(n == n_truth);
    CHECK(count_matched(g_truth, n_truth, g_beats, n, fs) == n_truth);
    CHECK(in_order(g_beats, n));
    for (i = 0; i < n; ++i) CHECK(g_beats[i].emitted_sample - g_beats[i].sample <= max_delay);
    /* After learning, a beat is emitted within the documented ~0.3 s. */
    for (i = 0; i < n; ++i) {
      if (g_beats[i].sample > (int64_t)(2.5f * fs)) {
        CHECK(g_beats[i].emitted_sample - g_beats[i].sample < (int64_t)(0.3f * fs));
      }
    }
    if (n != n_truth)
      fprintf(stderr, "  at %g Hz: %zu beats, %zu expected\n", (double)fs, n, n_truth);
  }
}

static void test_blocks_give_the_same_beats_as_single_samples(void) {
  const float fs = 360.0f;
  const synthetic_ecg c = default_ecg(fs);
  const size_t count = (size_t)(60.0f * fs);
  static plrt_qrs_beat block_beats[MAX_BEATS];
  size_t n_single, n_block = 0, offset = 0, got;
  synthetic_ecg_generate(&c, g_signal, count, g_truth, MAX_BEATS, NULL);
  init(fs);
  n_single = run(&g_state, g_signal, count);
  init(fs);
  while (offset < count) { /* 1-beat output buffer: the call must stop and resume */
    offset += plrt_qrs_process(&g_state, g_signal + offset, count - offset, &block_beats[n_block],
                               1, &got);
    n_block += got;
  }
  while (plrt_qrs_pop(&g_state, &block_beats[n_block])) ++n_block;
  CHECK(n_block == n_single);
  CHECK(memcmp(block_beats, g_beats, n_single * sizeof(plrt_qrs_beat)) == 0);
}

static void test_empty_input(void) {
  size_t got = 99;
  init(360.0f);
  CHECK(plrt_qrs_process(&g_state, NULL, 0, g_beats, MAX_BEATS, &got) == 0);
  CHECK(got == 0);
  CHECK(plrt_qrs_condition(&g_state) == PLRT_QRS_COND_NOT_STARTED);
}

static void test_flat_line_emits_nothing(void) {
  const float fs = 360.0f;
  const size_t count = (size_t)(60.0f * fs);
  size_t i, n, got;
  for (i = 0; i < count; ++i) g_signal[i] = 1.25f;
  init(fs);
  n = run(&g_state, g_signal, count);
  CHECK(n == 0);
  CHECK(g_conditions[count - 1] & PLRT_QRS_COND_FLAT);
  CHECK(!(g_conditions[(size_t)(0.2f * fs)] & PLRT_QRS_COND_FLAT)); /* flat_ms = 300 */
  CHECK(g_conditions[(size_t)(0.4f * fs)] & PLRT_QRS_COND_FLAT);
  init(fs); /* never stalls: a block call consumes everything */
  CHECK(plrt_qrs_process(&g_state, g_signal, count, g_beats, MAX_BEATS, &got) == count);
  CHECK(got == 0);
}

/* ECG, then `gap` samples replaced by `fill` (or NaN), then ECG again: nothing is detected in
 * the gap, the condition says why, and detection recovers. */
static void check_gap(float fill, uint32_t expected_condition, float valid_max) {
  const float fs = 360.0f;
  const synthetic_ecg c = default_ecg(fs);
  const size_t count = (size_t)(60.0f * fs);
  const size_t gap_begin = (size_t)(20.0f * fs), gap_end = (size_t)(30.0f * fs);
  const size_t n_truth = synthetic_ecg_generate(&c, g_signal, count, g_truth, MAX_BEATS, NULL);
  size_t i, n, after = 0, found_after;
  plrt_qrs_params p;
  plrt_qrs_default_params(&p, fs);
  p.valid_max = valid_max;
  CHECK(plrt_qrs_init(&g_state, &p) == PLRT_OK);
  for (i = gap_begin; i < gap_end; ++i) g_signal[i] = fill;
  n = run(&g_state, g_signal, count);
  for (i = 0; i < n; ++i) {
    CHECK(!(g_beats[i].sample > (int64_t)gap_begin + 36 && g_beats[i].sample < (int64_t)gap_end));
  }
  CHECK((g_conditions[gap_end - 1] & expected_condition) == expected_condition);
  CHECK(g_conditions[gap_end + (size_t)(1.0f * fs)] == PLRT_QRS_COND_LEARNING);
  CHECK(g_conditions[gap_end + (size_t)(3.0f * fs)] == 0);
  /* Every beat after the gap is found again (the relearning period's beats included). */
  for (i = 0; i < n_truth; ++i) after += g_truth[i] > (int64_t)gap_end + 36;
  found_after = 0;
  for (i = 0; i < n; ++i) found_after += g_beats[i].sample > (int64_t)gap_end + 36;
  CHECK(found_after == after);
  CHECK(in_order(g_beats, n));
}

static void test_flat_gap_then_recovery(void) { check_gap(1.5f, PLRT_QRS_COND_FLAT, 1.0e7f); }

static void test_saturation_then_recovery(void) {
  /* Amplifier railed at +5 mV: constant and outside the valid range [-1e7, 4.9]. */
  check_gap(5.0f, PLRT_QRS_COND_FLAT | PLRT_QRS_COND_OUT_OF_RANGE, 4.9f);
}

static void test_lead_off_nan_then_recovery(void) {
  check_gap(NAN, PLRT_QRS_COND_FLAT | PLRT_QRS_COND_OUT_OF_RANGE, 1.0e7f);
}

static void test_single_invalid_samples_are_bridged(void) {
  const float fs = 360.0f;
  const synthetic_ecg c = default_ecg(fs);
  const size_t count = (size_t)(60.0f * fs);
  const size_t n_truth = synthetic_ecg_generate(&c, g_signal, count, g_truth, MAX_BEATS, NULL);
  size_t n, i;
  for (i = (size_t)(10.0f * fs); i < count; i += (size_t)(3.0f * fs)) {
    g_signal[i] = (i / 3) % 2 ? NAN : INFINITY;
  }
  init(fs);
  n = run(&g_state, g_signal, count);
  CHECK(n == n_truth);
  CHECK(count_matched(g_truth, n_truth, g_beats, n, fs) == n_truth);
  CHECK(g_conditions[(size_t)(10.0f * fs)] == PLRT_QRS_COND_OUT_OF_RANGE); /* reported, */
  CHECK(g_conditions[(size_t)(10.0f * fs) + 1] == 0);                      /* no restart */
}

static float small_fifth_beat(size_t i) { return i == 20 ? 0.5f : 1.0f; }

static void test_searchback_finds_a_small_beat(void) {
  const float fs = 360.0f;
  synthetic_ecg c = default_ecg(fs);
  const size_t count = (size_t)(40.0f * fs);
  size_t n_truth, n, i;
  int found = 0;
  c.rr_jitter = 0.02f;
  n_truth = synthetic_ecg_generate(&c, g_signal, count, g_truth, MAX_BEATS, small_fifth_beat);
  init(fs);
  n = run(&g_state, g_signal, count);
  CHECK(n == n_truth);
  for (i = 0; i < n; ++i) {
    if (llabs(g_beats[i].sample - g_truth[20]) < 18) {
      found = 1;
      CHECK(g_beats[i].flags & PLRT_QRS_BEAT_SEARCHBACK);
      CHECK(g_beats[i].emitted_sample - g_beats[i].sample <= plrt_qrs_max_delay_samples(&g_state));
    } else {
      CHECK(!(g_beats[i].flags & PLRT_QRS_BEAT_SEARCHBACK));
    }
  }
  CHECK(found);
}

static void test_refractory_period_suppresses_a_second_spike(void) {
  const float fs = 360.0f;
  synthetic_ecg c = default_ecg(fs);
  const size_t count = (size_t)(40.0f * fs);
  const size_t n_truth = synthetic_ecg_generate(&c, g_signal, count, g_truth, MAX_BEATS, NULL);
  size_t n, i, k;
  /* A QRS-sized spike 150 ms after every fourth beat from the 10th on. */
  for (i = 10; i < n_truth; i += 4) {
    for (k = 0; k < 9; ++k)
      g_signal[g_truth[i] + 54 + (int64_t)k] += k < 5 ? 0.2f * (float)k : 0.2f * (float)(9 - k);
  }
  init(fs);
  n = run(&g_state, g_signal, count);
  CHECK(n == n_truth);
  CHECK(count_matched(g_truth, n_truth, g_beats, n, fs) == n_truth);
}

/* Large, sharp P waves with a long PR interval (as in MIT-BIH 108): the P wave passes the
 * threshold, but the QRS 220 ms later is larger and replaces it while it is held. */
static void run_long_pr_ecg(float hold_ms, size_t* n_beats, size_t* n_matched, size_t* n_truth) {
  const float fs = 360.0f;
  synthetic_ecg c = default_ecg(fs);
  const size_t count = (size_t)(60.0f * fs);
  plrt_qrs_params p;
  c.p_mv = 0.8f;
  c.p_width_s = 0.014f;
  c.pr_s = 0.22f;
  *n_truth = synthetic_ecg_generate(&c, g_signal, count, g_truth, MAX_BEATS, NULL);
  plrt_qrs_default_params(&p, fs);
  p.hold_ms = hold_ms;
  CHECK(plrt_qrs_init(&g_state, &p) == PLRT_OK);
  *n_beats = run(&g_state, g_signal, count);
  *n_matched = count_matched(g_truth, *n_truth, g_beats, *n_beats, fs);
  CHECK(in_order(g_beats, *n_beats));
}

static void test_hold_replaces_p_waves(void) {
  size_t n, matched, n_truth, i;
  run_long_pr_ecg(0.0f, &n, &matched, &n_truth);
  CHECK(n == 2 * n_truth); /* without the hold, every P wave is a beat too */
  CHECK(matched == n_truth);
  run_long_pr_ecg(250.0f, &n, &matched, &n_truth);
  CHECK(n == n_truth);
  CHECK(matched == n_truth);
  for (i = 0; i < n; ++i) {
    CHECK(g_beats[i].emitted_sample - g_beats[i].sample <= plrt_qrs_max_delay_samples(&g_state));
  }
}

static void test_extreme_values_never_crash(void) {
  const float fs = 250.0f;
  const size_t count = (size_t)(60.0f * fs);
  uint32_t rng = 7u;
  size_t i, n;
  for (i = 0; i < count; ++i) {
    rng = rng * 1664525u + 1013904223u;
    g_signal[i] = (rng >> 31) ? 9.9e6f : -9.9e6f; /* full-scale square noise, inside the range */
    if (i % 1000 == 999) g_signal[i] = 3.0e38f;
  }
  init(fs);
  n = run(&g_state, g_signal, count);
  CHECK(in_order(g_beats, n < MAX_BEATS ? n : MAX_BEATS));
  CHECK(plrt_qrs_push(&g_state, 0.0f) >= 0);
}

/* A caller that never pops: the queue keeps the newest PLRT_QRS_QUEUE beats, and every beat
 * dropped for them is counted and flagged until the next pop. */
static void test_full_queue_reports_dropped_beats(void) {
  const float fs = 360.0f;
  const synthetic_ecg c = default_ecg(fs);
  const size_t count = (size_t)(60.0f * fs);
  size_t n, i, waiting = 0, k;
  plrt_qrs_beat beat;
  synthetic_ecg_generate(&c, g_signal, count, g_truth, MAX_BEATS, NULL);
  init(fs);
  n = run(&g_state, g_signal, count); /* popping: every beat, none dropped */
  CHECK(n > PLRT_QRS_QUEUE);
  CHECK(plrt_qrs_dropped(&g_state) == 0);
  CHECK((plrt_qrs_condition(&g_state) & PLRT_QRS_COND_OVERFLOW) == 0);
  init(fs);
  for (i = 0; i < count; ++i) waiting = (size_t)plrt_qrs_push(&g_state, g_signal[i]);
  CHECK(waiting == PLRT_QRS_QUEUE);
  CHECK(plrt_qrs_dropped(&g_state) == n - PLRT_QRS_QUEUE);
  CHECK(plrt_qrs_condition(&g_state) & PLRT_QRS_COND_OVERFLOW);
  for (k = n - PLRT_QRS_QUEUE; plrt_qrs_pop(&g_state, &beat); ++k) {
    CHECK(k < n && beat.sample == g_beats[k].sample); /* the newest ones, in order */
    CHECK((plrt_qrs_condition(&g_state) & PLRT_QRS_COND_OVERFLOW) == 0);
  }
  CHECK(k == n);
  CHECK(plrt_qrs_dropped(NULL) == 0);
}

int main(void) {
  test_rejects_bad_parameters();
  test_detects_every_beat_at_each_rate();
  test_blocks_give_the_same_beats_as_single_samples();
  test_empty_input();
  test_flat_line_emits_nothing();
  test_flat_gap_then_recovery();
  test_saturation_then_recovery();
  test_lead_off_nan_then_recovery();
  test_single_invalid_samples_are_bridged();
  test_searchback_finds_a_small_beat();
  test_refractory_period_suppresses_a_second_spike();
  test_hold_replaces_p_waves();
  test_extreme_values_never_crash();
  test_full_queue_reports_dropped_beats();
  printf("plrt_qrs: state %zu bytes\n", sizeof(plrt_qrs_state));
  return check_report("plrt_qrs");
}
