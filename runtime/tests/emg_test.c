/* plrt_emg (the EMG model's input preparation) on a window whose codes were computed by hand:
 * 2 raw channels + 1 positional frequency, 5 samples, input scale 0.25 and zero point -3 for
 * every channel, so q = floor(z / 0.25 + 0.5) - 3 clamped to [-128, 127]. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "plq_builder.h"
#include "plrt_emg.h"
#include "plrt_model.h"

#define LENGTH 5
#define CHANNELS 4 /* 2 raw + 2 positional */

/* input [4 x 5] -> a whole-window average pool [4 x 1]: any valid graph with that input */
static size_t build_model(uint8_t** file, uint32_t channels) {
  plqb b;
  size_t size;
  plqb_init(&b, 2);
  plqb_tensor_add(&b, channels, LENGTH, 0.25f, -3);
  plqb_tensor_add(&b, channels, 1, 0.25f, -3);
  plqb_pool(&b, 0, 1, LENGTH, 1, 0, -128, 127);
  size = plqb_write(&b, file);
  plqb_free(&b);
  return size;
}

static plrt_emg_config base_config(void) {
  plrt_emg_config c = {0};
  c.raw_channels = 2;
  c.window_length = LENGTH;
  c.pos_freqs = 1;
  c.pe_scale = 1.0f;
  c.epsilon = 0.0f;
  c.mean[0] = 1.0f;
  c.sd[0] = 2.0f;
  c.mean[1] = -2.0f;
  c.sd[1] = 0.5f;
  return c;
}

static void test_window(const plrt_model* m) {
  static plrt_emg_state s;
  const plrt_emg_config c = base_config();
  const float x[2 * LENGTH] = {1.0f,  3.0f,  0.0f, 2.5f,    -7.0f, /* channel 0 */
                               -2.0f, -1.5f, NAN,  -2.125f, 100.0f};
  /* channel 0: z = (x - 1) / 2 = 0, 1, -0.5, 0.75, -4 -> z / 0.25 = 0, 4, -2, 3, -16
   * channel 1: z = (x + 2) / 0.5 = 0, 1, NaN, -0.25, 204 -> 0, 4, NaN (zero point), -1
   *            (floor(-0.5) = -1), 816 (clamped to 127)
   * sin(2 pi n / 4) = 0, 1, 0, -1, 0 -> 0, 4, 0, -4, 0; cos = 1, 0, -1, 0, 1 -> 4, 0, -4, 0, 4 */
  static const int8_t expected[CHANNELS][LENGTH] = {
      {-3, 1, -5, 0, -19}, {-3, 1, -3, -4, 127}, {-3, 1, -3, -7, -3}, {1, -3, -7, -3, 1}};
  int8_t input[LENGTH * CHANNELS];
  int ch, t;
  CHECK_EQ(plrt_emg_init(&s, &c, m), PLRT_OK);
  CHECK_EQ(plrt_emg_prepare(&s, x, input), PLRT_OK);
  for (ch = 0; ch < CHANNELS; ++ch) {
    for (t = 0; t < LENGTH; ++t) CHECK_EQ(input[t * CHANNELS + ch], expected[ch][t]);
  }
}

static void test_flat_channel(const plrt_model* m) {
  static plrt_emg_state s;
  plrt_emg_config c = base_config();
  const float x[2 * LENGTH] = {5, 5, 5, 5, 5, 1, 2, 3, 4, 5};
  int8_t input[LENGTH * CHANNELS];
  int t;
  c.sd[0] = 0.0f; /* no spread: every sample maps to 0, i.e. the zero point */
  CHECK_EQ(plrt_emg_init(&s, &c, m), PLRT_OK);
  CHECK_EQ(plrt_emg_prepare(&s, x, input), PLRT_OK);
  for (t = 0; t < LENGTH; ++t) CHECK_EQ(input[t * CHANNELS], -3);
}

static void test_rejects(const plrt_model* m, const plrt_model* wrong_channels) {
  static plrt_emg_state s;
  plrt_emg_config c = base_config();
  int8_t input[LENGTH * CHANNELS];
  CHECK_EQ(plrt_emg_init(NULL, &c, m), PLRT_ERR_ARGUMENT);
  CHECK_EQ(plrt_emg_init(&s, &c, wrong_channels), PLRT_ERR_ARGUMENT);
  c.window_length = LENGTH + 1; /* not the model's input length */
  CHECK_EQ(plrt_emg_init(&s, &c, m), PLRT_ERR_ARGUMENT);
  c = base_config();
  c.pos_freqs = PLRT_EMG_MAX_POS_FREQS + 1;
  CHECK_EQ(plrt_emg_init(&s, &c, m), PLRT_ERR_ARGUMENT);
  c = base_config();
  c.sd[1] = INFINITY;
  CHECK_EQ(plrt_emg_init(&s, &c, m), PLRT_ERR_ARGUMENT);
  c = base_config();
  c.epsilon = -1.0f;
  CHECK_EQ(plrt_emg_init(&s, &c, m), PLRT_ERR_ARGUMENT);
  c = base_config();
  CHECK_EQ(plrt_emg_init(&s, &c, m), PLRT_OK);
  CHECK_EQ(plrt_emg_prepare(&s, NULL, input), PLRT_ERR_ARGUMENT);
}

int main(void) {
  uint8_t *file = NULL, *file3 = NULL;
  const size_t size = build_model(&file, CHANNELS), size3 = build_model(&file3, 3);
  plrt_model m, m3;
  plrt_error err;
  CHECK_EQ(plrt_model_init(&m, file, size, &err), PLRT_OK);
  CHECK_EQ(plrt_model_init(&m3, file3, size3, &err), PLRT_OK);
  test_window(&m);
  test_flat_channel(&m);
  test_rejects(&m, &m3);
  free(file);
  free(file3);
  return check_report("emg_test");
}
