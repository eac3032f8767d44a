/* The whole ECG beat-classification pipeline, streaming (C99, float32 only, no heap, no globals,
 * no stdio): samples in at the record's rate, one class per beat out.
 *
 *   samples (1 or 2 leads, fs_hz in [PLRT_ECG_MIN_FS_HZ, PLRT_ECG_MAX_FS_HZ])
 *     -> invalid samples (NaN, infinite, outside [valid_min, valid_max]) replaced by the lead's
 *        last valid one and marked; lead 0 also -> plrt_qrs (the beat detector, plrt_qrs.h)
 *     -> causal band-pass per lead: Butterworth high-pass (low_hz) then Butterworth low-pass
 *        (high_hz), 2nd order each, at the input rate (it is also the resampler's anti-alias)
 *     -> resampling to the model's rate by linear interpolation between input samples
 *     -> ring buffer at the model's rate (PLRT_ECG_RING samples per lead)
 *     -> per beat: the fiducial moved to the R peak: the largest |band-passed lead 0| within
 *        +-refine_ms of the detector's fiducial (model rate), back at the input rate less the
 *        band-pass's group delay at 10 Hz (the detector marks the peak of its narrow 7-12 Hz band,
 *        which on wide or notched QRS complexes sits up to 30 ms before the R peak);
 *     -> the window [centre - beat_offset, centre - beat_offset + window_length),
 *        centre = round(beat sample * model_fs / fs), z-scored with the running mean and standard
 *        deviation at the window's last sample; with template_channel each lead gets a second
 *        channel, the window minus the running median beat; the RR side inputs from the beats
 *        known at emission; the positional channels; plrt_quantize_input; plrt_invoke.
 *
 * Causal definitions (the training-time ones use the whole record; docs/stream.md):
 *   - z-score: running mean and variance of the band-passed, resampled lead with weight
 *     max(1 / (k + 1), 1 / (norm_seconds * model_fs)) for its k-th sample (the record's own values
 *     for the first norm_seconds, an exponential average afterwards);
 *   - median beat: per window position, m += template_step * sign(x - m), m starting at the first
 *     beat's window (a running median estimate), updated with each beat before it is used;
 *   - record mean RR: (last known beat - first beat of the run) / intervals;
 *   - RR after the beat: a beat is finalised when the next beat is reported by the detector or
 *     max_post_ms after the beat, whichever comes first; in the second case (and at the end of the
 *     stream) the RR after it is taken equal to the RR before it (as training does for a record's
 *     last beat); the irregularity uses the intervals up to the one after the beat only.
 *
 * Delay. A beat is reported (plrt_ecg_pop) when all of these hold: its window's last sample has
 * arrived ((window_length - beat_offset) / model_fs after the beat, plus one input sample for the
 * interpolation), and the next beat has been reported by the detector or max_post_ms have passed;
 * a reported next beat is waited for until refine_ms after it has arrived (its refined fiducial
 * enters this beat's RR after).
 * In sinus rhythm that is the next beat's detector delay after the next beat (one RR + ~0.2 s);
 * never more than plrt_ecg_max_delay_samples() input samples after the beat.
 *
 * Conditions. A beat that could not be classified is still reported, with label -1 and
 * plrt_ecg_beat.condition saying why (PLRT_ECG_COND_*): learning period (the first learn_beats
 * beats of a run: the running estimates are not settled), a flat or out-of-range lead inside the
 * window (lead-off, signal lost), NaN/inf samples inside the window, the window not complete when
 * the stream ended (plrt_ecg_finish), or its start already overwritten in the ring (a beat the
 * detector reported very late).
 *
 * Memory. Everything lives in the caller-owned plrt_ecg_state (plrt_ecg_state_size() bytes, fixed
 * at compile time by the PLRT_ECG_* limits and PLRT_QRS_MAX_FS_HZ); the model (plrt_model_init)
 * and its arena are the caller's too and must outlive the state. */
#ifndef PLRT_ECG_H
#define PLRT_ECG_H

#include <stddef.h>
#include <stdint.h>

#include "plrt_model.h"
#include "plrt_qrs.h"
#include "plrt_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PLRT_ECG_MIN_FS_HZ 100
#define PLRT_ECG_MAX_FS_HZ 1000
#define PLRT_ECG_MAX_LEADS 2
#define PLRT_ECG_MAX_WINDOW 256  /* window_length limit (model samples) */
#define PLRT_ECG_MAX_SIDE 8      /* side inputs */
#define PLRT_ECG_MAX_POS_FREQS 8 /* positional frequencies (2 channels each) */
#define PLRT_ECG_MAX_LOCAL_RR 16 /* local_rr_beats limit */
#define PLRT_ECG_MAX_CLASSES 8   /* logits kept per beat */
#define PLRT_ECG_RING 1024       /* model-rate samples kept per lead (5.7 s at 180 Hz) */
#define PLRT_ECG_PENDING 16      /* beats detected but not yet finalised */
#define PLRT_ECG_QUEUE 16        /* beats finalised but not yet popped */
#define PLRT_ECG_MAX_CHANNELS \
  (2 * PLRT_ECG_MAX_LEADS + PLRT_ECG_MAX_SIDE + 2 * PLRT_ECG_MAX_POS_FREQS)

/* plrt_ecg_config.side: which RR side inputs the model takes, in this order after rr_pre,
 * rr_post, rr_local (each over the mean RR). */
enum {
  PLRT_ECG_SIDE_RR_SECONDS = 1u << 0,     /* the mean RR in seconds */
  PLRT_ECG_SIDE_RR_RATIOS = 1u << 1,      /* rr_pre / rr_local, rr_post / rr_pre */
  PLRT_ECG_SIDE_RR_VARIABILITY = 1u << 2, /* sd / mean of the local intervals before rr_pre */
  PLRT_ECG_SIDE_RR_IRREGULARITY = 1u << 3 /* median |successive difference| / median interval */
};

/* plrt_ecg_beat.condition: why a beat is unclassified (0: classified). */
enum {
  PLRT_ECG_COND_LEARNING = 1u << 0,    /* among the first learn_beats beats of a run */
  PLRT_ECG_COND_SIGNAL_LOST = 1u << 1, /* a lead flat (>= flat_ms) or out of range in the window */
  PLRT_ECG_COND_INVALID_SAMPLE = 1u << 2, /* a NaN or infinite sample in the window */
  PLRT_ECG_COND_STREAM_ENDED = 1u << 3,   /* the stream ended before the window was complete */
  PLRT_ECG_COND_TOO_LATE = 1u << 4        /* the window's start had left the ring */
};

/* The model's preprocessing: what the model was trained on. `physiolite ecg-config` writes it as
 * a C initializer from a run's config.json; plrt_ecg_default_config gives the shipped MIT-BIH
 * recipe's values (side_offset/side_scale left at 0/1: they are per model). */
typedef struct plrt_ecg_config {
  float model_fs_hz;        /* the windows' rate, [50, 500] */
  int32_t leads;            /* 1 or 2 (the second lead is the record's other signal) */
  int32_t window_length;    /* model samples, [8, PLRT_ECG_MAX_WINDOW] */
  int32_t beat_offset;      /* the beat's position in the window, [0, window_length) */
  int32_t template_channel; /* 1: per lead a second channel, the window minus the median beat */
  int32_t local_rr_beats;   /* [1, PLRT_ECG_MAX_LOCAL_RR] */
  uint32_t side;            /* PLRT_ECG_SIDE_* */
  int32_t n_side;           /* 3 + one per flag (two for RR_RATIOS); must match `side` */
  float side_offset[PLRT_ECG_MAX_SIDE]; /* side input s enters as (v - offset) / scale */
  float side_scale[PLRT_ECG_MAX_SIDE];
  int32_t pos_freqs; /* positional frequencies, [0, PLRT_ECG_MAX_POS_FREQS] */
  float pe_scale;    /* their amplitude */
  float low_hz;      /* band-pass corners, 0 < low_hz < high_hz < 0.45 * min(fs, model_fs) */
  float high_hz;
  float valid_min; /* samples outside [valid_min, valid_max] are invalid (lead-off) */
  float valid_max;
  float norm_seconds;  /* memory of the running z-score, [1, 3600] */
  float template_step; /* running median step (z-score units), (0, 1] */
  int32_t learn_beats; /* beats of a run reported as LEARNING, [0, 1000] */
  float max_post_ms;   /* wait for the next beat at most this long, [300, 3000]; default 3000
                          (pauses over 3 s are the clinically significant ones) */
  float refine_ms;     /* fiducial moved to the band-passed lead 0's extremum within +-refine_ms
                          of the detector's (0: kept), [0, 80] */
} plrt_ecg_config;

/* One reported beat. */
typedef struct plrt_ecg_beat {
  int64_t sample;         /* fiducial sample (input rate; 0 = the first sample pushed) */
  int64_t emitted_sample; /* index of the sample whose push (or plrt_ecg_finish) reported it */
  int32_t label;          /* class index, or -1 when unclassified */
  uint32_t condition;     /* 0, or PLRT_ECG_COND_* flags (then label is -1) */
  int8_t logits[PLRT_ECG_MAX_CLASSES]; /* the model's int8 output (0 when unclassified) */
} plrt_ecg_beat;

/* Internal: a detected beat waiting for its window and its next beat. */
typedef struct plrt_ecg_pending {
  int64_t sample;    /* input rate */
  int64_t centre;    /* model rate */
  int64_t run_index; /* beats since the run (re)started */
  uint32_t condition;
} plrt_ecg_pending;

/* Caller-owned pipeline state. Treat the members as private. */
typedef struct plrt_ecg_state {
  plrt_ecg_config config;
  const plrt_model* model;
  void* arena;
  size_t arena_size;
  void* scratch; /* plrt_ecg_set_scratch's buffer, or NULL: the kernels' stack tiles */
  float fs_hz;
  int64_t fs_q, model_fs_q; /* the rates in 1/1000 Hz: exact resampling positions */
  int32_t max_post_len, flat_len, norm_len, ended;
  int32_t refine_half;  /* refine_ms in model samples */
  int32_t refine_shift; /* the band-pass's group delay at 10 Hz, input samples */
  int64_t n;            /* input samples pushed */
  int64_t m;            /* model-rate samples produced */
  plrt_qrs_state qrs;
  /* per lead: input conditioning and band-pass */
  plrt_biquad hp[PLRT_ECG_MAX_LEADS], lp[PLRT_ECG_MAX_LEADS];
  float last_valid[PLRT_ECG_MAX_LEADS], last_raw[PLRT_ECG_MAX_LEADS];
  float offset[PLRT_ECG_MAX_LEADS], prev_y[PLRT_ECG_MAX_LEADS];
  int32_t flat_run[PLRT_ECG_MAX_LEADS], started;
  uint32_t prev_flags; /* PLRT_ECG_COND_* of the previous input sample */
  /* running z-score */
  int64_t stat_count;
  float stat_mean[PLRT_ECG_MAX_LEADS], stat_var[PLRT_ECG_MAX_LEADS];
  /* model-rate ring: band-passed samples, their flags and the z-score after each */
  float ring[PLRT_ECG_MAX_LEADS][PLRT_ECG_RING];
  float ring_mean[PLRT_ECG_MAX_LEADS][PLRT_ECG_RING];
  float ring_sd[PLRT_ECG_MAX_LEADS][PLRT_ECG_RING];
  uint8_t ring_flags[PLRT_ECG_RING];
  /* running median beat */
  float template_beat[PLRT_ECG_MAX_LEADS][PLRT_ECG_MAX_WINDOW];
  int32_t have_template;
  /* beats of the current run, for the RR inputs */
  int64_t run_first;                          /* first beat of the run (input rate) */
  int64_t run_beats;                          /* beats finalised in the run */
  int64_t history[PLRT_ECG_MAX_LOCAL_RR + 2]; /* the last finalised beats, newest last */
  int32_t history_count;
  /* constant input codes: side inputs per beat, positional channels once */
  int8_t positional[2 * PLRT_ECG_MAX_POS_FREQS][PLRT_ECG_MAX_WINDOW];
  int32_t channels; /* the model's input channels */
  plrt_ecg_pending pending[PLRT_ECG_PENDING];
  int32_t pending_head, pending_count;
  int32_t pending_refined; /* pending beats, from the head, whose fiducial is final */
  plrt_ecg_beat queue[PLRT_ECG_QUEUE];
  int32_t queue_head, queue_count;
} plrt_ecg_state;

/* Every function below answers a NULL state, config or buffer without dereferencing it:
 * PLRT_ERR_ARGUMENT, 0, or nothing done (plrt_ecg_condition: PLRT_QRS_COND_NOT_STARTED). */

/* The shipped MIT-BIH recipe (configs/mitbih_aami.json): 2 leads at 180 Hz, 128-sample windows
 * with the beat at 64, template channels, rr_ratios + rr_irregularity (6 side inputs), 8
 * positional frequencies of amplitude 0.1, 0.5-40 Hz; side_offset 0 and side_scale 1 (per model:
 * take them from the run's config.json). */
void plrt_ecg_default_config(plrt_ecg_config* config);

/* Checks `config` against itself and, when `model` is not NULL, against the model: input
 * channels = leads x (1 + template_channel) + n_side + 2 x pos_freqs, input length =
 * window_length, classes <= PLRT_ECG_MAX_CLASSES. PLRT_ERR_ARGUMENT on a mismatch. */
plrt_status plrt_ecg_check_config(const plrt_ecg_config* config, const plrt_model* model);

/* Bytes of a plrt_ecg_state (its size is fixed at compile time). */
size_t plrt_ecg_state_size(void);

/* Resets `state` for a stream at `fs_hz` through `model` (verified, with its arena of
 * `arena_size` >= plrt_model_arena_size bytes; both must outlive the state). `qrs` NULL: the
 * detector's defaults for fs_hz. PLRT_ERR_UNSUPPORTED for fs_hz outside
 * [PLRT_ECG_MIN_FS_HZ, PLRT_ECG_MAX_FS_HZ] (or above PLRT_QRS_MAX_FS_HZ), PLRT_ERR_ARENA for a
 * small arena, PLRT_ERR_ARGUMENT for a bad config or null pointers. */
plrt_status plrt_ecg_init(plrt_ecg_state* state, const plrt_ecg_config* config,
                          const plrt_qrs_params* qrs, float fs_hz, const plrt_model* model,
                          void* arena, size_t arena_size);

/* After plrt_ecg_init: the model's convolutions take their working memory from `scratch`
 * (`scratch_size` >= plrt_model_scratch_size(model) bytes, any alignment, owned by the caller and
 * outliving the state) instead of the stack (plrt_invoke_scratch; the same classes). Without it
 * the optimised kernels keep a tile of up to ~4 KB on the stack. PLRT_ERR_ARENA for a buffer too
 * small, PLRT_ERR_ARGUMENT for null pointers. */
plrt_status plrt_ecg_set_scratch(plrt_ecg_state* state, void* scratch, size_t scratch_size);

/* Feeds one sample per lead (`sample[0 .. leads)`, in the record's units, e.g. mV); returns the
 * number of beats waiting in the queue. Pop them before the next push: a full queue holds
 * finalisation back, and only when PLRT_ECG_PENDING more beats pile up behind it is a newly
 * detected beat dropped. Pushes after plrt_ecg_finish are ignored. */
int plrt_ecg_push(plrt_ecg_state* state, const float* sample);

/* Takes the oldest waiting beat; 0 when none waits. */
int plrt_ecg_pop(plrt_ecg_state* state, plrt_ecg_beat* beat);

/* Feeds up to `count` samples (interleaved by lead: count x leads floats) and pops the beats into
 * `beats` (capacity `capacity`); stops early only when `beats` is full and a beat still waits.
 * Returns the samples consumed and sets *num_beats. */
size_t plrt_ecg_process(plrt_ecg_state* state, const float* samples, size_t count,
                        plrt_ecg_beat* beats, size_t capacity, size_t* num_beats);

/* The stream ended: the beats still pending are finalised in order (the last one's RR after
 * taken equal to the one before; STREAM_ENDED when a window is incomplete) as far as the queue
 * has room; returns the number waiting. Pop them and call again until it returns 0. Beats the
 * detector had not reported yet are lost (plrt_qrs.h). */
int plrt_ecg_finish(plrt_ecg_state* state);

/* The detector's PLRT_QRS_COND_* flags now. */
uint32_t plrt_ecg_condition(const plrt_ecg_state* state);

/* Upper bound of emitted_sample - sample over every classified beat (input samples): the
 * detector's delay bound plus max_post_ms; see "Delay" above. */
int64_t plrt_ecg_max_delay_samples(const plrt_ecg_state* state);

#ifdef __cplusplus
}
#endif

#endif /* PLRT_ECG_H */
