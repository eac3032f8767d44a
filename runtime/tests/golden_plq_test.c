/* Golden test of the int8 runtime against bench/peers/plq.py, an independent numpy reading of
 * docs/int8_model_format.md: tests/golden/gen_plq.py wrote two PhysioLite-shaped models (POW2
 * and TFLITE), float windows with rounding ties and saturating values, their quantisation and
 * the expected int8 logits. Every byte must match, for plrt_quantize_input and for both kernel
 * sets.
 * Usage: plrt_golden_plq_test [DIR], DIR holding NAME.plq, NAME_input_f32.bin, NAME_input.bin and
 * NAME_output.bin; without DIR, $PLRT_GOLDEN_PLQ_DIR (CTest sets it to tests/golden/plq, since
 * the runtime's test glob registers every test without arguments); with neither, the test is
 * skipped (exit 77), as when runtime/ is built outside the repository. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "plrt_model.h"

enum { kMaxBytes = 1 << 16 };

/* Reads DIR/NAME SUFFIX into `out` (at most kMaxBytes); returns its size, or -1. */
static long read_file(const char* dir, const char* name, const char* suffix, void* out) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s%s", dir, name, suffix);
  FILE* f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    return -1;
  }
  const size_t n = fread(out, 1, kMaxBytes, f);
  const int more = fgetc(f) != EOF;
  fclose(f);
  if (more) {
    fprintf(stderr, "%s is larger than %d bytes\n", path, kMaxBytes);
    return -1;
  }
  return (long)n;
}

/* Counts differing bytes of two int8 arrays, printing the first few. */
static int compare(const char* what, const int8_t* got, const int8_t* want, size_t n) {
  int wrong = 0;
  for (size_t i = 0; i < n; ++i) {
    if (got[i] != want[i] && ++wrong <= 5) {
      fprintf(stderr, "  %s[%zu] = %d, expected %d\n", what, i, got[i], want[i]);
    }
  }
  return wrong;
}

/* plrt_invoke_scratch: the size query against the kernels' buffers counted by hand, the same
 * golden logits with the scratch at an odd address (the runtime aligns it), and a scratch one
 * byte short refused before anything runs. */
static void check_scratch(const plrt_model* model, const char* name, const int8_t* input,
                          size_t window, const int8_t* output, size_t classes) {
  static int8_t arena[kMaxBytes];
  static uint64_t scratch[8192 / 8];
  const size_t need = plrt_model_scratch_size(model);
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
  /* Helium: 5 x 64 int32 sums (1,280 bytes), up to 1 KiB of padded edge windows, 7 to align */
  CHECK(need >= 1280 + 7 && need <= 1280 + 1024 + 7);
#elif defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
  CHECK_EQ(need, (size_t)(4 * 496 * 2 + 7)); /* the DSP kernel's 4 x 496 int16 tile */
#else
  CHECK(need == 0 || need == (size_t)(4 * 512 * 2 + 7)); /* AVX2 kernels, or the portable tile */
#endif
  CHECK(need <= sizeof scratch - 1);
  if (need > sizeof scratch - 1) return;
  memset(arena, 0x5A, sizeof arena);
  memcpy(plrt_input(model, arena), input, window);
  CHECK_EQ(plrt_invoke_scratch(model, arena, sizeof arena, PLRT_KERNELS_OPTIMIZED,
                               (int8_t*)scratch + 1, need),
           PLRT_OK);
  const int wrong = compare("logits (scratch)", plrt_output(model, arena), output, classes);
  if (wrong) fprintf(stderr, "%s with a caller's scratch: %d logits differ\n", name, wrong);
  CHECK_EQ(wrong, 0);
  if (need > 0) {
    memset(arena, 0x5A, sizeof arena);
    CHECK_EQ(
        plrt_invoke_scratch(model, arena, sizeof arena, PLRT_KERNELS_OPTIMIZED, scratch, need - 1),
        PLRT_ERR_ARENA);
    CHECK_EQ(arena[0], 0x5A);
    CHECK_EQ(arena[sizeof arena - 1], 0x5A);
  }
  CHECK_EQ(plrt_invoke_scratch(model, arena, sizeof arena, PLRT_KERNELS_REFERENCE, NULL, 0),
           PLRT_OK);
}

static void check_model(const char* dir, const char* name) {
  static uint32_t file[kMaxBytes / 4]; /* 4-byte aligned, as plrt_model_init requires */
  static float x[kMaxBytes / 4];
  static int8_t input[kMaxBytes], output[kMaxBytes], arena[kMaxBytes];
  const long file_size = read_file(dir, name, ".plq", file);
  const long x_size = read_file(dir, name, "_input_f32.bin", x);
  const long input_size = read_file(dir, name, "_input.bin", input);
  const long output_size = read_file(dir, name, "_output.bin", output);
  CHECK(file_size > 0 && x_size > 0 && input_size > 0 && output_size > 0);
  if (file_size <= 0 || x_size <= 0 || input_size <= 0 || output_size <= 0) return;

  plrt_model model;
  plrt_error error;
  const plrt_status status = plrt_model_init(&model, file, (size_t)file_size, &error);
  CHECK_EQ(status, PLRT_OK);
  if (status != PLRT_OK) {
    fprintf(stderr, "%s refused: %s\n", name, error.reason);
    return;
  }
  const size_t window = (size_t)plrt_input_channels(&model) * plrt_input_length(&model);
  const size_t classes = plrt_num_classes(&model);
  const size_t windows = (size_t)input_size / window;
  CHECK(plrt_model_arena_size(&model) <= sizeof arena);
  CHECK(windows >= 1 && (size_t)input_size == windows * window);
  CHECK_EQ(x_size, (long)(windows * window * sizeof(float)));
  CHECK_EQ(output_size, (long)(windows * classes));
  if (plrt_model_arena_size(&model) > sizeof arena || windows * classes != (size_t)output_size) {
    return;
  }
  for (size_t w = 0; w < windows; ++w) {
    plrt_quantize_input(&model, x + w * window, plrt_input(&model, arena));
    CHECK_EQ(compare("quantised input", plrt_input(&model, arena), input + w * window, window), 0);
    const plrt_kernels sets[2] = {PLRT_KERNELS_REFERENCE, PLRT_KERNELS_OPTIMIZED};
    for (int k = 0; k < 2; ++k) {
      memcpy(plrt_input(&model, arena), input + w * window, window);
      CHECK_EQ(plrt_invoke(&model, arena, sizeof arena, sets[k]), PLRT_OK);
      const int wrong =
          compare("logits", plrt_output(&model, arena), output + w * classes, classes);
      if (wrong) {
        fprintf(stderr, "%s window %zu, %s kernels: %d logits differ\n", name, w,
                k ? "optimised" : "reference", wrong);
      }
      CHECK_EQ(wrong, 0);
    }
    check_scratch(&model, name, input + w * window, window, output + w * classes, classes);
  }
}

int main(int argc, char** argv) {
  const char* dir = argc > 1 ? argv[1] : getenv("PLRT_GOLDEN_PLQ_DIR");
  if (argc > 2 || dir == NULL) {
    fprintf(stderr, "usage: %s [DIR] (or PLRT_GOLDEN_PLQ_DIR=DIR): no golden folder, skipped\n",
            argv[0]);
    return argc > 2 ? 2 : 77;
  }
  check_model(dir, "pow2_small");
  check_model(dir, "tflite_small");
  return check_report("golden_plq_test");
}
