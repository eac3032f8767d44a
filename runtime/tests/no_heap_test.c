/* Zero heap allocations per inference: this executable defines malloc, calloc, realloc and free
 * itself (forwarding to glibc's __libc_* versions), so every allocation of the process goes
 * through them, and counts those made between arm() and disarm() around plrt_model_init,
 * plrt_quantize_input and plrt_invoke with both kernel sets. The counter is checked to work
 * first. Skipped (exit 77) where the interposition cannot work: under AddressSanitizer (it
 * replaces the allocator itself) and outside glibc and newlib. */
#include <stdio.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define PLRT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define PLRT_ASAN 1
#endif
#endif

#if (defined(__GLIBC__) || defined(__NEWLIB__)) && !defined(PLRT_ASAN)

#include "check.h"
#include "plrt_model.h"
#include "tiny_model.h"

#if defined(__GLIBC__)
extern void* __libc_malloc(size_t size);
extern void* __libc_calloc(size_t count, size_t size);
extern void* __libc_realloc(void* p, size_t size);
extern void __libc_free(void* p);
#else
/* newlib (the Cortex-M builds): its allocator's reentrant entry points, which its own malloc,
 * calloc, realloc and free (replaced here: static linking takes these first) forward to. */
#include <reent.h>
#define __libc_malloc(size) _malloc_r(_REENT, size)
#define __libc_calloc(count, size) _calloc_r(_REENT, count, size)
#define __libc_realloc(p, size) _realloc_r(_REENT, p, size)
#define __libc_free(p) _free_r(_REENT, p)
#endif

static int g_armed = 0;
static long g_allocations = 0;

void* malloc(size_t size) {
  g_allocations += g_armed;
  return __libc_malloc(size);
}
void* calloc(size_t count, size_t size) {
  g_allocations += g_armed;
  return __libc_calloc(count, size);
}
void* realloc(void* p, size_t size) {
  g_allocations += g_armed;
  return __libc_realloc(p, size);
}
void free(void* p) {
  g_allocations += g_armed && p != NULL;
  __libc_free(p);
}

static void arm(void) {
  g_allocations = 0;
  g_armed = 1;
}
static long disarm(void) {
  g_armed = 0;
  return g_allocations;
}

/* A larger TFLITE graph than the tiny model: k3 conv, ADD, RELU, CONCAT and a mean. */
static void tflite_graph(plqb* b) {
  int8_t w[16 * 3 * 8];
  int32_t mult[16], shift[16];
  static const int32_t add_mult[3] = {1 << 30, 1 << 30, 1 << 30}, add_shift[3] = {0, -1, -18};
  const uint32_t parts[2] = {2, 3};
  int i;
  for (i = 0; i < 16 * 3 * 8; ++i) w[i] = (int8_t)(i * 37 % 255 - 127);
  for (i = 0; i < 16; ++i) {
    mult[i] = (1 << 30) + i * 1000;
    shift[i] = -8;
  }
  plqb_init(b, 2);
  plqb_tensor_add(b, 8, 40, 0.1f, 3);
  plqb_tensor_add(b, 16, 40, 0.2f, -5);
  plqb_tensor_add(b, 16, 40, 0.2f, -5);
  plqb_tensor_add(b, 16, 40, 0.2f, -5);
  plqb_tensor_add(b, 32, 40, 0.2f, -5);
  plqb_tensor_add(b, 32, 1, 0.2f, -5);
  plqb_conv(b, 0, 1, 3, 1, -128, 127, w, NULL, mult, shift);
  plqb_add(b, 1, 1, 2, -128, 127, add_mult, add_shift, 20);
  plqb_relu(b, 2, 3, -128, 127);
  plqb_concat(b, 2, parts, 4);
  plqb_pool(b, 4, 5, 40, 1, 0, -128, 127);
}

/* Builds `b` (with the heap, disarmed), then counts allocations of one whole inference. */
static void check_inference(plqb* b, const char* name) {
  static uint8_t arena[1 << 16];
  static float window[8 * 40];
  uint8_t* file;
  size_t size, i;
  plrt_model m;
  plrt_error err;
  long count;
  size = plqb_write(b, &file);
  plqb_free(b);
  for (i = 0; i < sizeof window / sizeof window[0]; ++i) window[i] = (float)i * 0.01f - 1.0f;
  arm();
  CHECK_EQ(plrt_model_init(&m, file, size, &err), PLRT_OK);
  CHECK(plrt_model_arena_size(&m) <= sizeof arena);
  plrt_quantize_input(&m, window, plrt_input(&m, arena));
  CHECK_EQ(plrt_invoke(&m, arena, sizeof arena, PLRT_KERNELS_REFERENCE), PLRT_OK);
  plrt_quantize_input(&m, window, plrt_input(&m, arena));
  CHECK_EQ(plrt_invoke(&m, arena, sizeof arena, PLRT_KERNELS_OPTIMIZED), PLRT_OK);
  count = disarm();
  if (count != 0) fprintf(stderr, "%s: %ld allocations\n", name, count);
  CHECK_EQ(count, 0);
  free(file);
}

int main(void) {
  plqb b;
  /* the counter itself: one malloc and one free while armed */
  void* volatile p; /* volatile: the compiler may not drop the pair */
  arm();
  p = malloc(16);
  free(p);
  CHECK_EQ(disarm(), 2);
  tiny_model_graph(&b);
  check_inference(&b, "tiny POW2 model");
  tflite_graph(&b);
  check_inference(&b, "TFLITE graph");
  return check_report("no_heap_test");
}

#else

int main(void) {
  printf("no_heap_test: skipped (needs glibc or newlib without AddressSanitizer)\n");
  return 77;
}

#endif
