/* Firmware example: a real MIT-BIH recording streamed sample by sample through the whole ECG
 * pipeline (plrt_ecg: detector, band-pass, resampling, running statistics, RR inputs, int8
 * model), printing one line per beat. Everything is static or on the stack (no heap); the model
 * and the recording are compiled in as C arrays (plq_to_c and mitdb_to_c, at build time), so the
 * program needs no file system: on a board, feed the ADC's samples instead of `ecg_record` and
 * send the lines to a UART.
 *
 * Output, one line per reported beat:  SAMPLE LABEL CONDITION LOGIT...
 *   SAMPLE     the beat's fiducial sample at the record's rate
 *   LABEL      the class index (0 N, 1 S, 2 V, 3 F for the MIT-BIH model), -1 when unclassified
 *   CONDITION  0, or the PLRT_ECG_COND_* flags saying why the beat is unclassified
 * then a summary line. Built for the host and for the emulated Cortex-M4F/M55 boards, the outputs
 * must be identical byte for byte (CTest compares them: runtime/CMakeLists.txt).
 *
 * Instruction counting (runtime/tools/insncount.sh): with PLRT_INSNCOUNT defined, the program
 * first runs the detector alone over the record and then the whole pipeline, with markers
 * (plrt_insn_mark) around each pass and around every plrt_invoke (through the linker's --wrap),
 * so that the detector, the preprocessing and the inference are counted separately. */
#include <stdio.h>

#include "ecg_record.h"
#include "plrt_ecg.h"
#include "plrt_model.h"
#include "stream_model.h"
#include "stream_model_config.h"

#ifdef PLRT_INSNCOUNT
#include "insncount.h"
#endif

#ifdef PLRT_BOARD_STACK
#include <malloc.h>

#include "board.h"
#endif

static uint8_t arena[STREAM_MODEL_ARENA_SIZE];
static plrt_model model;
static plrt_ecg_state state;

static const float kGain[2] = {(float)ECG_RECORD_GAIN_0,
#if ECG_RECORD_LEADS > 1
                               (float)ECG_RECORD_GAIN_1
#else
                               1.0f
#endif
};
static const float kBaseline[2] = {(float)ECG_RECORD_BASELINE_0,
#if ECG_RECORD_LEADS > 1
                                   (float)ECG_RECORD_BASELINE_1
#else
                                   0.0f
#endif
};

/* Frame `i` of the record in mV. */
static void frame_mv(long i, float* x) {
  int l;
  for (l = 0; l < ECG_RECORD_LEADS; ++l) {
    x[l] = ((float)ecg_record[i * ECG_RECORD_LEADS + l] - kBaseline[l]) / kGain[l];
  }
}

static long g_beats, g_classified, g_class_count[PLRT_ECG_MAX_CLASSES];

static void print_beat(const plrt_ecg_beat* b) {
  uint32_t k;
#ifdef PLRT_INSNCOUNT
  plrt_insn_mark(PLRT_INSN_OTHER); /* printing is not the pipeline's work */
#endif
  printf("%lld %d %u", (long long)b->sample, (int)b->label, (unsigned)b->condition);
  for (k = 0; k < plrt_num_classes(&model); ++k) printf(" %d", b->logits[k]);
  printf("\n");
  ++g_beats;
  if (b->label >= 0) {
    ++g_classified;
    ++g_class_count[b->label];
  }
#ifdef PLRT_INSNCOUNT
  plrt_insn_mark(PLRT_INSN_PIPELINE);
#endif
}

#ifdef PLRT_INSNCOUNT
/* The detector alone over the same samples (plrt_ecg feeds it lead 0 as it comes). */
static long detector_pass(void) {
  static plrt_qrs_state qrs;
  plrt_qrs_params params;
  plrt_qrs_beat beat;
  long i, beats = 0;
  float x[2];
  plrt_qrs_default_params(&params, (float)ECG_RECORD_FS_HZ);
  plrt_qrs_init(&qrs, &params);
  for (i = 0; i < ECG_RECORD_FRAMES; ++i) {
    frame_mv(i, x);
    plrt_qrs_push(&qrs, x[0]);
    while (plrt_qrs_pop(&qrs, &beat)) ++beats;
  }
  return beats;
}
#endif

int main(void) {
  plrt_error error;
  plrt_ecg_config config;
  plrt_ecg_beat beat;
  plrt_status status;
  long i;
  float x[2];
  uint32_t k;
  if (plrt_model_init(&model, stream_model, STREAM_MODEL_SIZE, &error) != PLRT_OK) {
    printf("model refused: %s\n", error.reason);
    return 1;
  }
  plrt_ecg_default_config(&config);
  for (k = 0; k < STREAM_MODEL_N_SIDE; ++k) {
    config.side_offset[k] = kStreamSideOffset[k];
    config.side_scale[k] = kStreamSideScale[k];
  }
  config.max_post_ms = STREAM_MODEL_MAX_POST_MS;
  status =
      plrt_ecg_init(&state, &config, NULL, (float)ECG_RECORD_FS_HZ, &model, arena, sizeof arena);
  if (status != PLRT_OK) {
    printf("plrt_ecg_init failed: status %d\n", (int)status);
    return 1;
  }
#ifdef PLRT_INSNCOUNT
  plrt_insn_mark(PLRT_INSN_CALIBRATE);
  plrt_insn_mark(PLRT_INSN_DETECTOR);
  i = detector_pass();
  plrt_insn_mark(PLRT_INSN_PIPELINE);
#endif
  for (i = 0; i < ECG_RECORD_FRAMES; ++i) {
    frame_mv(i, x);
    plrt_ecg_push(&state, x);
    while (plrt_ecg_pop(&state, &beat)) print_beat(&beat);
  }
  while (plrt_ecg_finish(&state) > 0) {
    while (plrt_ecg_pop(&state, &beat)) print_beat(&beat);
  }
#ifdef PLRT_INSNCOUNT
  plrt_insn_mark(PLRT_INSN_END);
#endif
  printf("record %ld samples at %g Hz: %ld beats, %ld classified (", (long)ECG_RECORD_FRAMES,
         (double)ECG_RECORD_FS_HZ, g_beats, g_classified);
  for (k = 0; k < plrt_num_classes(&model); ++k) {
    printf("%s%ld", k ? " " : "", g_class_count[k]);
  }
  printf(")\n");
#ifdef PLRT_BOARD_STACK
  /* stderr: the host has no such figure and stdout must match it byte for byte */
  fprintf(stderr, "stack used: %lu bytes; heap used: %lu bytes (newlib's stdio buffers)\n",
          (unsigned long)plrt_board_stack_used(), (unsigned long)mallinfo().uordblks);
#endif
#ifdef PLRT_INSNCOUNT
  plrt_insn_report();
#endif
  return 0;
}
