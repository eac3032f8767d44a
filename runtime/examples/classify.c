/* A firmware-style use of the int8 runtime: the model is compiled in as a C array made by
 * plq_to_c, every buffer is static (no heap), and one window is classified.
 *
 * On a board: `physiolite quantize ... --c-array out --c-name plrt_model_data` (or
 * `plq_to_c model.plq plrt_model_data out/`: the same emitter), add out/plrt_model_data.c and the
 * runtime's sources (runtime/src) to the firmware, fill `window` from the sensor (channel-first,
 * the model's input channels x length), and send the line printed here to a UART instead of stdout.
 *
 * Here (runtime/CMakeLists.txt) the array comes from the tiny test model of
 * runtime/tests/tiny_model.c, and `window` is that model's window, whose logits (30, -2) are
 * computed by hand in that file; CTest checks the printed line. */
#include <stdio.h>

#include "plrt_model.h"
#include "plrt_model_data.h"

static const float window[PLRT_MODEL_DATA_INPUT_CHANNELS * PLRT_MODEL_DATA_INPUT_LENGTH] = {
    0.5f,  -0.25f,        1.0f,          0.125f,          /* channel 0 */
    -1.0f, 1.0f / 128.0f, 1.5f / 128.0f, -1.5f / 128.0f}; /* channel 1 */

static uint8_t arena[PLRT_MODEL_DATA_ARENA_SIZE];
static plrt_model model;

int main(void) {
  plrt_error error;
  const int8_t* logits;
  uint32_t k, best = 0;
  if (plrt_model_init(&model, plrt_model_data, PLRT_MODEL_DATA_SIZE, &error) != PLRT_OK) {
    printf("model refused: %s\n", error.reason);
    return 1;
  }
  plrt_quantize_input(&model, window, plrt_input(&model, arena));
  if (plrt_invoke(&model, arena, sizeof arena, PLRT_KERNELS_OPTIMIZED) != PLRT_OK) {
    printf("invoke failed\n");
    return 1;
  }
  logits = plrt_output(&model, arena);
  printf("logits");
  for (k = 0; k < plrt_num_classes(&model); ++k) {
    printf(" %d", logits[k]);
    if (logits[k] > logits[best]) best = k;
  }
  printf(" -> class %u\n", (unsigned)best);
  return 0;
}
