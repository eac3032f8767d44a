/* Instructions of the EMG model's input preparation (plrt_emg) on QEMU's Cortex-M boards, for the
 * profile's CPU table (bench/run_profile_cpu.sh, docs/profile.md): the shipped UCI EMG model's
 * shape (8 raw channels + 8 positional frequencies = 24 input channels, 1024 samples), its
 * quantisation replaced by scale 1/16 and zero point 0 on every channel (a z-scored window stays
 * inside int8 without clamping, as the trained model's calibrated scales keep it), a
 * deterministic window of unit-scale samples. Sections: OTHER = plrt_emg_init (once: the
 * positional channels), PIPELINE = plrt_emg_prepare (per window), WINDOWS times. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "insncount.h"
#include "plq_builder.h"
#include "plrt_emg.h"
#include "plrt_model.h"

#define RAW 8
#define POS 8
#define LENGTH 1024
#define WINDOWS 4

static plrt_emg_state g_state;
static float g_window[RAW * LENGTH];
static int8_t g_input[(RAW + 2 * POS) * LENGTH];

int main(void) {
  plqb b;
  uint8_t* file = NULL;
  size_t size;
  plrt_model model;
  plrt_error err;
  plrt_emg_config config = {0};
  uint32_t state = 12345u;
  int i, w;
  plqb_init(&b, 2);
  plqb_tensor_add(&b, RAW + 2 * POS, LENGTH, 1.0f / 16.0f, 0);
  plqb_tensor_add(&b, RAW + 2 * POS, 1, 1.0f / 16.0f, 0);
  plqb_pool(&b, 0, 1, LENGTH, 1, 0, -128, 127);
  size = plqb_write(&b, &file);
  plqb_free(&b);
  if (plrt_model_init_ex(&model, file, size, 0xFFFFFFFFu, &err) != PLRT_OK) return 1;
  config.raw_channels = RAW;
  config.window_length = LENGTH;
  config.pos_freqs = POS;
  config.pe_scale = 0.1f;
  config.epsilon = 1e-6f;
  for (i = 0; i < RAW; ++i) {
    config.mean[i] = 0.01f * (float)i;
    config.sd[i] = 0.5f + 0.1f * (float)i;
  }
  /* samples in [-1, 1) from a linear congruential generator: the same on every machine */
  for (i = 0; i < RAW * LENGTH; ++i) {
    state = state * 1664525u + 1013904223u;
    g_window[i] = (float)(state >> 8) / 8388608.0f - 1.0f;
  }
  plrt_insn_mark(PLRT_INSN_CALIBRATE);
  plrt_insn_mark(PLRT_INSN_OTHER);
  if (plrt_emg_init(&g_state, &config, &model) != PLRT_OK) return 1;
  for (w = 0; w < WINDOWS; ++w) {
    plrt_insn_mark(PLRT_INSN_PIPELINE);
    if (plrt_emg_prepare(&g_state, g_window, g_input) != PLRT_OK) return 1;
  }
  plrt_insn_mark(PLRT_INSN_END);
  plrt_insn_report();
  printf("emg input checksum %ld\n", (long)g_input[0] + g_input[LENGTH * 24 - 1]);
  free(file);
  return 0;
}
