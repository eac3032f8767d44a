// MIT-BIH Arrhythmia inter-patient beat classification (de Chazal et al. 2004).
//
// Per record: lead found by name (MLII) -> zero-phase Butterworth band-pass -> resampled to fs_hz
// -> normalised per record -> one window per annotated beat, the beat at a fixed position, long
// enough to show its neighbours (so the model sees the RR timing) -> AAMI label. Beats whose
// window runs past the record's ends are zero-padded (the filtered signal has zero mean), so every
// annotated beat is kept and the class counts equal the published ones.
//
// Side inputs per beat (WindowSet::side, normalised per record): the RR interval before and after
// the beat and the mean of the previous `local_rr_beats` intervals, each divided by the record's
// mean RR, and (unless rr_seconds is off) the record's mean RR in seconds; with rr_ratios also
// pre/local and post/pre, with rr_variability or rr_irregularity the irregularity of the rhythm.
// They use the reference annotations of the whole record (as de Chazal's features do).
//
// With template_channel each lead gets a second channel: its window minus the record's median
// beat window. The median over all the record's beats is the patient's dominant (normal) beat, so
// that channel shows what sets this beat apart from the patient's usual one, and removes much of
// the beat shape that varies from patient to patient. It uses no labels.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/data/window_set.hpp"
#include "physiolite/dsp/normalize.hpp"

namespace physiolite::data {

struct MitBihOptions {
  std::filesystem::path mitdb_dir;  // required: holds <record>.hea/.dat/.atr
  std::string lead = "MLII";
  // 1: `lead` only; 2: also the record's other signal (V1 in most records, V2, V4 or V5 in a
  // few), band-passed, resampled and normalised the same way, as a second channel.
  int leads = 1;
  // Records without `lead` (paced 102 and 104 have no MLII): use their first signal instead of
  // failing. Off for the benchmark splits, which never contain them.
  bool first_signal_if_lead_missing = false;
  int filter_order = 2;         // Butterworth order (band-pass: 2*order poles, applied twice)
  double low_hz = 0.5;          // removes baseline wander
  double high_hz = 40.0;        // removes mains and muscle noise
  double fs_hz = 180.0;         // windows' sampling rate (360 Hz records resampled 1:2)
  int64_t window_length = 512;  // samples at fs_hz (2.84 s at 180 Hz)
  int64_t beat_offset = 256;    // beat position inside the window, in samples
  int local_rr_beats = 10;
  // Also rr_pre / rr_local (prematurity against the local rhythm, the S beat's mark) and
  // rr_post / rr_pre (the compensatory pause after a V beat) as side inputs: ratios a network
  // of ReLU convolutions can only approximate from the other inputs.
  bool rr_ratios = false;
  // Also the coefficient of variation (sd / mean) of the `local_rr_beats` intervals before the
  // pre-RR: high in atrial fibrillation, where a short pre-RR does not mean an S beat.
  bool rr_variability = false;
  // Medians instead of means for the record's RR and the local RR (`rr_mean_s` and `rr_local`
  // then hold medians): long pauses and runs of ectopic beats move a mean, not a median.
  bool rr_robust = false;
  // The record's typical RR in seconds (`rr_mean_s`) as an input. With a score of training
  // patients, a value constant over a record can act as a patient's name; off leaves the
  // normalised intervals only.
  bool rr_seconds = true;
  // Also the rhythm's irregularity around the beat (`rr_local_irregularity`): the median
  // absolute successive RR difference over the median RR among the `local_rr_beats` intervals on
  // each side. Medians: near 0 in sinus rhythm even with an isolated premature beat, high in
  // atrial fibrillation, where a short pre-RR does not mean an S beat.
  bool rr_irregularity = false;
  // Per lead a channel of the window minus the record's median beat window (see above).
  bool template_channel = false;
  // 0: the median beat is the whole record's; K > 0: the median of the beats at most K beats
  // before or after (2K + 1 beats), which follows a change of rhythm within the record.
  int64_t template_beats = 0;
  // Fraction of the training split's N beats whose RR inputs are recomputed from a synthetic
  // irregular rhythm (synthetic_rhythm.hpp); they stay N. Two DS1 records hold atrial
  // fibrillation, too few to learn that a short RR in an irregular rhythm is no S beat. 0 = off.
  double af_rhythm_fraction = 0;
  dsp::Normalization normalization = dsp::Normalization::kZScore;  // per record
  // The on-device definitions (runtime/include/plrt_ecg.h, docs/stream.md) in place of the
  // record-wide ones: a causal band-pass (2nd-order Butterworth high-pass then low-pass, at the
  // record's rate), linear-interpolation resampling, a running z-score (the record's statistics
  // over the first causal_norm_seconds, an exponential average after), a running median beat
  // (the mean of the first causal_learn_beats beats, then steps of causal_template_step), and
  // RR inputs from the beats known when the beat is finalised (its successor only when it came
  // within causal_max_post_ms). Requires filter_order 2, zscore, template_beats 0, no rr_robust.
  bool causal = false;
  double causal_norm_seconds = 300.0;
  double causal_template_step = 0.02;
  int causal_learn_beats = 8;
  double causal_max_post_ms = 3000.0;  // 2000 for runs made before it was recorded
  // Detector beats only (refine_detected_beats): each fiducial moved to the largest |causally
  // band-passed lead| within this many ms, as plrt_ecg does. 0: kept where the detector put it.
  double causal_refine_ms = 50.0;
  // The beats the training and validation windows are centred on: "annotated" (the reference
  // annotations) or "detected" (the device's beats, device_beats.hpp: the QRS detector's, moved to
  // the R peak; each takes the class of the annotated beat matched to it within
  // kDetectedBeatToleranceS, unmatched detections get no window but count as beats for the RR
  // inputs, missed beats are absent). The test split is always the annotated benchmark.
  std::string train_beats = "annotated";
  std::string classes = "NSVF";  // AAMI classes kept, in label order (Q is too rare to score)
  // DS1 records held out for validation (whole records only), chosen from DS1's annotation
  // counts alone, before training, by two rules: cover S, V and F beats, and keep at least 75 %
  // of every MIT beat type of DS1 in training. 114 (S 12, V 43, F 4), 205 (V 71, F 11), 220 (S 94),
  // 223 (S 73, V 473, F 14): they hold 22 % of DS1's A beats, 16 % of its V, 7 % of its F, 6 % of
  // its J and no L or R (bundle branch block) beats. (118 and 124, the earlier choice, held 97 %
  // of the R beats, leaving training one record of right bundle branch block, 207.)
  std::vector<int> validation_records = {114, 205, 220, 223};
  // Records scored as the test split. Empty: DS2, the benchmark. Otherwise DS1 records held out of
  // training and validation alike, for cross-validation inside DS1 (choosing a recipe on DS1
  // folds without ever scoring DS2).
  std::vector<int> test_records;

  void validate() const;  // UsageError naming the option
};

enum class MitBihSplit { kTrain, kValidation, kTest };

// The records of a split: train = DS1 minus validation and test records, validation, test = DS2
// (or test_records when given).
std::vector<int> mitbih_split_records(MitBihSplit split, const MitBihOptions& options);

// Names of the side inputs per beat, in order (3, + 1 with rr_seconds, + 2 with rr_ratios, + 1
// with rr_variability, + 1 with rr_irregularity).
std::vector<std::string> mitbih_side_names(const MitBihOptions& options);

// MitBihOptions::causal_max_post_ms of a run whose config does not record it (made before it
// was recorded, when it was fixed at 2 s).
constexpr double kLegacyMaxPostMs = 2000.0;

// A detected beat takes an annotated beat's class within this many seconds (the matching window
// that scores detectors and `physiolite stream` against annotations).
constexpr double kDetectedBeatToleranceS = 0.150;

enum class BeatSource { kAnnotations, kDevice };

// Windows of the given records, in record order then beat order, at the annotated beats or at
// the device's (see MitBihOptions::train_beats). Runs records on all cores, with a progress bar.
WindowSet build_mitbih_windows(const std::vector<int>& records, const MitBihOptions& options,
                               BeatSource beats = BeatSource::kAnnotations);

}  // namespace physiolite::data
