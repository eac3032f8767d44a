/* Links the installed plrt and plrt_c_array: the version macros, a QRS detector initialised,
 * an invalid model refused by the verifier behind the C-array emitter. */
#include <stdio.h>

#include "plrt_c_array.h"
#include "plrt_model.h"
#include "plrt_qrs.h"

#if PLRT_VERSION < 200
#error "the installed plrt predates the version macros"
#endif

int main(void) {
  static plrt_qrs_state state;
  static const uint32_t junk[4] = {1, 2, 3, 4};
  plrt_qrs_params params;
  char message[160];
  plrt_qrs_default_params(&params, 360.0f);
  if (plrt_qrs_init(&state, &params) != PLRT_OK) return 1;
  if (plrt_write_c_array((const uint8_t*)junk, sizeof junk, "m", "junk", ".", message,
                         sizeof message) != PLRT_C_ARRAY_BAD_MODEL) {
    return 1;
  }
  printf("plrt %d.%d.%d, .plq version %d: ok\n", PLRT_VERSION_MAJOR, PLRT_VERSION_MINOR,
         PLRT_VERSION_PATCH, PLRT_MODEL_VERSION);
  return 0;
}
