/* Streaming QRS detector (C99, float32 only, no heap, no globals).
 *
 * A Pan-Tompkins-style detector (Pan & Tompkins 1985, IEEE TBME 32(3):230-236, with the peak
 * detector and T-wave test of Hamilton & Tompkins 1986, IEEE TBME 33(12):1157-1165):
 *
 *   x -> 2nd-order Butterworth high-pass (hp_hz) -> 2nd-order Butterworth low-pass (lp_hz)
 *     -> first difference -> square -> moving-window integral (mwi_ms)
 *     -> peak detector (a peak is declared when the integral falls to half its maximum, or
 *        peak_timeout_ms after the maximum)
 *     -> adaptive thresholds: THR1 = NPK + threshold_coef * (SPK - NPK), THR2 = THR1 / 2
 *     -> refractory period (refractory_ms), T-wave test (within twave_ms of the last beat a peak
 *        whose steepest slope is below twave_slope_ratio of the last beat's is a T wave)
 *     -> hold: a beat whose integral peak is below hold_spk_ratio x SPK is held for hold_ms; a
 *        larger peak within that time whose slope passes the T-wave test replaces it (the held
 *        one was a P wave or noise). Beats at least that large are emitted at once.
 *     -> searchback: when no beat has been found for searchback_factor x the mean of the last 8
 *        RR intervals, the largest noise peak above THR2 since the last beat is taken as a beat.
 *
 * Each beat is reported with its fiducial sample (the largest band-passed sample of the QRS, less
 * the band-pass group delay at the band centre) and the sample at which it was emitted. The delay
 * (emitted - fiducial) never exceeds plrt_qrs_max_delay_samples(): typically ~0.2 s, ~0.5 s for a
 * held beat, up to the learning period for the first beats after a (re)start and up to the
 * searchback limit for a beat found by searchback. Nothing is emitted after the last sample: a
 * beat still held then (or a peak not yet declared) is not reported.
 *
 * Signal conditions (plrt_qrs_condition): samples that are NaN, infinite or outside
 * [valid_min, valid_max] are replaced by the last valid sample and flagged OUT_OF_RANGE; a run of
 * identical samples of flat_ms or longer (flat line, saturation, lead-off) is flagged FLAT and
 * suspends detection. When the signal returns the detector restarts and relearns its thresholds
 * over learn_ms (flagged LEARNING); the beats of that period are emitted at its end.
 *
 * All state lives in a caller-owned plrt_qrs_state of fixed size (sizeof(plrt_qrs_state)); its
 * buffers are sized for PLRT_QRS_MAX_FS_HZ, which a build may lower to save memory. */
#ifndef PLRT_QRS_H
#define PLRT_QRS_H

#include <stddef.h>
#include <stdint.h>

#include "plrt_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PLRT_QRS_MIN_FS_HZ 100
#ifndef PLRT_QRS_MAX_FS_HZ
#define PLRT_QRS_MAX_FS_HZ 1000
#endif

/* Upper limits of the time parameters; they size the buffers in plrt_qrs_state. */
#define PLRT_QRS_MAX_MWI_MS 200
#define PLRT_QRS_MAX_TIMEOUT_MS 150
#define PLRT_QRS_SEARCH_MARGIN_MS 50
#define PLRT_QRS_MWI_CAPACITY (PLRT_QRS_MAX_FS_HZ * PLRT_QRS_MAX_MWI_MS / 1000)
#define PLRT_QRS_RING_CAPACITY                                                              \
  (PLRT_QRS_MAX_FS_HZ *                                                                     \
       (PLRT_QRS_MAX_MWI_MS + PLRT_QRS_MAX_TIMEOUT_MS + PLRT_QRS_SEARCH_MARGIN_MS) / 1000 + \
   2)
#define PLRT_QRS_LEARN_PEAKS 16 /* peaks kept during the learning period (the largest) */
#define PLRT_QRS_QUEUE 16       /* beats emitted but not yet popped */
#define PLRT_QRS_RR_HISTORY 8

/* plrt_qrs_condition() flags. */
enum {
  PLRT_QRS_COND_LEARNING = 1u << 0,     /* (re)learning thresholds; beats emitted at its end */
  PLRT_QRS_COND_FLAT = 1u << 1,         /* constant for >= flat_ms: detection suspended */
  PLRT_QRS_COND_OUT_OF_RANGE = 1u << 2, /* the last sample was NaN, infinite or out of range */
  PLRT_QRS_COND_NOT_STARTED = 1u << 3,  /* no valid sample yet */
  PLRT_QRS_COND_OVERFLOW = 1u << 4      /* a beat was lost: the queue was full (not popped);
                                           cleared by the next plrt_qrs_pop */
};

/* plrt_qrs_beat.flags */
enum { PLRT_QRS_BEAT_SEARCHBACK = 1u << 0 };

typedef struct plrt_qrs_params {
  float fs_hz;     /* required, [PLRT_QRS_MIN_FS_HZ, PLRT_QRS_MAX_FS_HZ] */
  float valid_min; /* samples outside [valid_min, valid_max] are invalid (lead-off) */
  float valid_max;
  float flat_ms; /* a constant run this long suspends detection, [20, 10000] */
  float hp_hz;   /* band-pass corners, 0 < hp_hz < lp_hz < 0.45 fs */
  float lp_hz;
  float mwi_ms;            /* moving-window integral length, (0, PLRT_QRS_MAX_MWI_MS] */
  float peak_timeout_ms;   /* (0, PLRT_QRS_MAX_TIMEOUT_MS] */
  float refractory_ms;     /* [100, 400] */
  float twave_ms;          /* [refractory_ms, 600] */
  float twave_slope_ratio; /* [0, 1] */
  float hold_ms;           /* a larger peak this soon after a beat replaces it; [0, 400] */
  float hold_spk_ratio;    /* beats below this x SPK are held for hold_ms; [0, 10] */
  float threshold_coef;    /* (0, 1) */
  float searchback_factor; /* [1, 3] */
  float learn_ms;          /* [500, 10000] */
  float max_rr_ms;         /* RR intervals above this are not averaged; [500, 3000] */
} plrt_qrs_params;

typedef struct plrt_qrs_beat {
  int64_t sample;         /* fiducial sample index (0 = first sample pushed) */
  int64_t emitted_sample; /* index of the sample whose push emitted the beat */
  uint32_t flags;         /* PLRT_QRS_BEAT_* */
} plrt_qrs_beat;

/* Internal: a candidate peak of the integrated signal. */
typedef struct plrt_qrs_peak {
  float height; /* integral maximum */
  float slope;  /* steepest band-passed slope in its QRS window */
  int64_t sample;
} plrt_qrs_peak;

/* Internal: one second-order filter section, the detector's and plrt_ecg's band-pass. */
typedef struct plrt_biquad {
  float b0, b1, b2, a1, a2, z1, z2;
} plrt_biquad;

/* Caller-owned detector state. Treat the members as private. */
typedef struct plrt_qrs_state {
  plrt_qrs_params params;
  /* derived lengths, in samples */
  int32_t mwi_len, ring_len, flat_len, timeout_len, refractory_len, twave_len, learn_len,
      margin_len, max_rr_len, decision_len, searchback_max_len, shift_len, hold_len,
      hold_cutoff_len;
  plrt_biquad hp, lp;
  int64_t n;     /* index of the next sample */
  int64_t start; /* sample at which the current run (re)started */
  uint32_t condition;
  int32_t flat_run;
  float last_x; /* last (substituted) input sample */
  float offset; /* first sample of the run, subtracted before filtering */
  int32_t ring_pos, mwi_pos;
  float prev_y, mwi_sum;
  float ring[PLRT_QRS_RING_CAPACITY]; /* band-passed signal, for the fiducial and slope */
  float mwi[PLRT_QRS_MWI_CAPACITY];   /* squared slopes inside the integration window */
  /* peak detector */
  float pk_height, trough;
  int64_t pk_sample;
  int32_t descending;
  /* thresholds and beat history */
  float spk, npk, last_slope;
  int64_t last_beat; /* fiducial of the last beat (held or emitted), or the run start */
  int32_t have_beat;
  plrt_qrs_peak held; /* the newest beat, not yet emitted (holding != 0) */
  uint32_t held_flags;
  int32_t holding;
  int64_t last_emitted; /* fiducial of the last emitted beat (have_emitted != 0) */
  int32_t have_emitted;
  int32_t rr[PLRT_QRS_RR_HISTORY];
  int32_t rr_count, rr_pos;
  float rr_mean;
  plrt_qrs_peak candidate; /* best searchback candidate since the last beat (height 0 = none) */
  plrt_qrs_peak learn[PLRT_QRS_LEARN_PEAKS];
  int32_t learn_count;
  plrt_qrs_beat queue[PLRT_QRS_QUEUE];
  int32_t queue_head, queue_count;
  uint32_t dropped; /* beats lost to a full queue since plrt_qrs_init */
} plrt_qrs_state;

/* Fills `params` with the defaults for `fs_hz` (which is not checked here). */
void plrt_qrs_default_params(plrt_qrs_params* params, float fs_hz);

/* Checks `params` and resets `state`. PLRT_ERR_UNSUPPORTED for an fs outside
 * [PLRT_QRS_MIN_FS_HZ, PLRT_QRS_MAX_FS_HZ], PLRT_ERR_ARGUMENT for any other bad value. */
plrt_status plrt_qrs_init(plrt_qrs_state* state, const plrt_qrs_params* params);

/* Feeds one sample; returns the number of beats now waiting in the queue. When a beat is found
 * while PLRT_QRS_QUEUE beats wait unpopped, the oldest is dropped to make room and reported:
 * PLRT_QRS_COND_OVERFLOW is set until the next pop, and plrt_qrs_dropped() counts it. */
int plrt_qrs_push(plrt_qrs_state* state, float sample);

/* Beats lost to a full queue since plrt_qrs_init (0 for a NULL state). */
uint32_t plrt_qrs_dropped(const plrt_qrs_state* state);

/* Takes the oldest waiting beat; returns 0 when none waits. */
int plrt_qrs_pop(plrt_qrs_state* state, plrt_qrs_beat* beat);

/* Feeds up to `count` samples and pops waiting beats into `beats` (capacity `capacity`). Stops
 * early only when `beats` is full and a beat still waits (pop it, or call again); returns the
 * number of samples consumed and sets *num_beats. */
size_t plrt_qrs_process(plrt_qrs_state* state, const float* samples, size_t count,
                        plrt_qrs_beat* beats, size_t capacity, size_t* num_beats);

/* PLRT_QRS_COND_* flags describing the signal now. */
uint32_t plrt_qrs_condition(const plrt_qrs_state* state);

/* Upper bound of emitted_sample - sample over every beat this state can emit. */
int64_t plrt_qrs_max_delay_samples(const plrt_qrs_state* state);

#ifdef __cplusplus
}
#endif

#endif /* PLRT_QRS_H */
