/* The model API on the tiny hand-computed model (tiny_model.c): verification, accessors, input
 * quantisation, both kernel sets, and invoke's argument and arena checks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "plrt_model.h"
#include "tiny_model.h"

static uint8_t* g_file;
static size_t g_size;

static void build_tiny(void) {
  plqb b;
  tiny_model_graph(&b);
  g_size = plqb_write(&b, &g_file);
  plqb_free(&b);
}

static void test_accessors(const plrt_model* m) {
  CHECK_EQ(plrt_model_scheme(m), PLRT_SCHEME_MAX78000);
  CHECK_EQ(plrt_input_channels(m), 2);
  CHECK_EQ(plrt_input_length(m), 4);
  CHECK_EQ(plrt_num_classes(m), 2);
  CHECK(plrt_input_scale(m, 1) == 1.0f / 128.0f);
  CHECK_EQ(plrt_input_zero_point(m, 1), 0);
  CHECK(plrt_output_scale(m) == 1.0f / 128.0f);
  CHECK_EQ(plrt_output_zero_point(m), 0);
  /* 9 tensors packed at 4-aligned offsets: 8 8 4 4 4 8 8 4 2 bytes -> the last ends at 50 */
  CHECK_EQ(plrt_model_arena_size(m), 50);
  /* conv MACs C_out * L_out * k * C_in: 2*4*3*2 + 2*2*1*2 + 2*1*1*4 = 48 + 8 + 8 */
  CHECK_EQ(plrt_model_macs(m), 64);
}

static void test_invoke(const plrt_model* m, plrt_kernels kernels) {
  uint8_t arena[50];
  int8_t* input = plrt_input(m, arena);
  memset(arena, 0x5A, sizeof arena);
  plrt_quantize_input(m, tiny_model_window, input);
  CHECK(memcmp(input, tiny_model_input, sizeof tiny_model_input) == 0);
  CHECK_EQ(plrt_invoke(m, arena, sizeof arena, kernels), PLRT_OK);
  CHECK_EQ(plrt_output(m, arena)[0], tiny_model_logits[0]);
  CHECK_EQ(plrt_output(m, arena)[1], tiny_model_logits[1]);
}

static void test_invoke_refusals(const plrt_model* m) {
  uint8_t arena[64], before[64];
  plrt_model unset;
  memset(arena, 0x33, sizeof arena);
  memcpy(before, arena, sizeof arena);
  CHECK_EQ(plrt_invoke(m, arena, 49, PLRT_KERNELS_REFERENCE), PLRT_ERR_ARENA);
  CHECK_EQ(plrt_invoke(m, arena, 0, PLRT_KERNELS_OPTIMIZED), PLRT_ERR_ARENA);
  CHECK(memcmp(arena, before, sizeof arena) == 0); /* a refused invoke writes nothing */
  CHECK_EQ(plrt_invoke(m, NULL, 64, PLRT_KERNELS_REFERENCE), PLRT_ERR_ARGUMENT);
  CHECK_EQ(plrt_invoke(NULL, arena, 64, PLRT_KERNELS_REFERENCE), PLRT_ERR_ARGUMENT);
  CHECK_EQ(plrt_invoke(m, arena, 64, (plrt_kernels)7), PLRT_ERR_ARGUMENT);
  memset(&unset, 0, sizeof unset);
  CHECK_EQ(plrt_invoke(&unset, arena, 64, PLRT_KERNELS_REFERENCE), PLRT_ERR_ARGUMENT);
}

/* Input quantisation q = clamp(floor(x / scale + 0.5) + zp) with a TFLite-style zero point:
 * one channel of 6 samples, scale 0.5, zero point 5. */
/* Every accessor answers a NULL or never-initialised model with 0 / NULL (no dereference), and a
 * channel index past the input's with 0. */
static void test_accessors_of_no_model(const plrt_model* m) {
  plrt_model unset;
  uint8_t arena[8];
  int8_t input[8] = {7, 7, 7, 7, 7, 7, 7, 7};
  const float window[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  const plrt_model* none[2];
  int i;
  memset(&unset, 0, sizeof unset);
  none[0] = NULL;
  none[1] = &unset;
  for (i = 0; i < 2; ++i) {
    CHECK_EQ(plrt_model_arena_size(none[i]), 0);
    CHECK_EQ(plrt_model_macs(none[i]), 0);
    CHECK_EQ(plrt_model_scheme(none[i]), 0);
    CHECK(plrt_input(none[i], arena) == NULL);
    CHECK_EQ(plrt_input_channels(none[i]), 0);
    CHECK_EQ(plrt_input_length(none[i]), 0);
    CHECK(plrt_input_scale(none[i], 0) == 0.0f);
    CHECK_EQ(plrt_input_zero_point(none[i], 0), 0);
    CHECK(plrt_output(none[i], arena) == NULL);
    CHECK_EQ(plrt_num_classes(none[i]), 0);
    CHECK(plrt_output_scale(none[i]) == 0.0f);
    CHECK_EQ(plrt_output_zero_point(none[i]), 0);
    plrt_quantize_input(none[i], window, input);
    CHECK_EQ(input[0], 7); /* untouched */
  }
  CHECK(plrt_input(m, NULL) == NULL);
  CHECK(plrt_output(m, NULL) == NULL);
  CHECK(plrt_input_scale(m, 2) == 0.0f); /* the tiny model has 2 input channels */
  CHECK_EQ(plrt_input_zero_point(m, 2), 0);
  plrt_quantize_input(m, NULL, input);
  CHECK_EQ(input[0], 7);
}

/* An op type the format does not define (the verifier refuses it: verify_test.c), written into
 * the buffer after verification, makes plrt_invoke fail instead of running as ReLU (the type is
 * byte 0 of each 64-byte op entry). */
static void test_unknown_op_type_never_runs(void) {
  uint8_t* copy = (uint8_t*)malloc(g_size);
  uint8_t arena[50];
  plrt_model m;
  plrt_error err;
  uint32_t i;
  memcpy(copy, g_file, g_size);
  CHECK_EQ(plrt_model_init(&m, copy, g_size, &err), PLRT_OK);
  for (i = 0; i < m.n_ops; ++i) {
    uint8_t* type = (uint8_t*)m.ops + (size_t)i * 64;
    const uint8_t saved = *type;
    *type = 6;
    plrt_quantize_input(&m, tiny_model_window, plrt_input(&m, arena));
    CHECK_EQ(plrt_invoke(&m, arena, sizeof arena, PLRT_KERNELS_REFERENCE), PLRT_ERR_MODEL);
    CHECK_EQ(plrt_invoke(&m, arena, sizeof arena, PLRT_KERNELS_OPTIMIZED), PLRT_ERR_MODEL);
    *type = saved;
  }
  free(copy);
}

static void test_version_macros(void) {
  CHECK_EQ(PLRT_VERSION,
           PLRT_VERSION_MAJOR * 10000 + PLRT_VERSION_MINOR * 100 + PLRT_VERSION_PATCH);
  CHECK(PLRT_VERSION >= 200);      /* 0.2.0: the first release with these macros */
  CHECK_EQ(PLRT_MODEL_VERSION, 2); /* version 2 adds the truncating POW2 pool */
}

static void test_quantize_input(void) {
  plqb b;
  plrt_model m;
  plrt_error err;
  uint8_t* file;
  size_t size;
  static const int8_t w[1] = {1};
  static const int32_t mult[1] = {1 << 30}, shift[1] = {1};
  float x[6];
  int8_t q[6];
  plqb_init(&b, 2);
  plqb_tensor_add(&b, 1, 6, 0.5f, 5);
  plqb_tensor_add(&b, 1, 6, 0.5f, 5);
  plqb_conv(&b, 0, 1, 1, 0, -128, 127, w, NULL, mult, shift);
  plqb_tensor_add(&b, 1, 1, 0.5f, 5); /* output: the mean of tensor 1 */
  plqb_pool(&b, 1, 2, 6, 1, 0, -128, 127);
  size = plqb_write(&b, &file);
  plqb_free(&b);
  CHECK_EQ(plrt_model_init(&m, file, size, &err), PLRT_OK);
  x[0] = 1.25f;     /* 2.5 + 0.5 = 3.0 -> 3 + 5 = 8 */
  x[1] = -1.25f;    /* -2.5 + 0.5 = -2.0 -> -2 + 5 = 3 (ties go up) */
  x[2] = 100.0f;    /* 200.5 -> 200 + 5 = 205 -> 127 */
  x[3] = -INFINITY; /* -> -128 */
  x[4] = NAN;       /* -> the zero point, 5 */
  x[5] = -0.2f;     /* -0.4 + 0.5 = 0.1 -> 0 + 5 = 5 */
  plrt_quantize_input(&m, x, q);
  CHECK_EQ(q[0], 8);
  CHECK_EQ(q[1], 3);
  CHECK_EQ(q[2], 127);
  CHECK_EQ(q[3], -128);
  CHECK_EQ(q[4], 5);
  CHECK_EQ(q[5], 5);
  free(file);
}

/* The same verified model may run in two arenas at once (nothing lives in plrt_model). */
static void test_two_arenas(const plrt_model* m) {
  uint8_t a[50], b[50];
  plrt_quantize_input(m, tiny_model_window, plrt_input(m, a));
  memcpy(b, a, sizeof a);
  CHECK_EQ(plrt_invoke(m, a, sizeof a, PLRT_KERNELS_OPTIMIZED), PLRT_OK);
  CHECK_EQ(plrt_invoke(m, b, sizeof b, PLRT_KERNELS_REFERENCE), PLRT_OK);
  CHECK(memcmp(a, b, sizeof a) == 0);
}

int main(void) {
  plrt_model m;
  plrt_error err;
  build_tiny();
  CHECK_EQ(plrt_model_init(&m, g_file, g_size, &err), PLRT_OK);
  if (g_failures == 0) {
    test_accessors(&m);
    test_invoke(&m, PLRT_KERNELS_REFERENCE);
    test_invoke(&m, PLRT_KERNELS_OPTIMIZED);
    test_invoke_refusals(&m);
    test_two_arenas(&m);
    test_accessors_of_no_model(&m);
    test_unknown_op_type_never_runs();
  } else {
    fprintf(stderr, "tiny model refused: %s\n", err.reason);
  }
  test_quantize_input();
  test_version_macros();
  free(g_file);
  return check_report("model_test");
}
