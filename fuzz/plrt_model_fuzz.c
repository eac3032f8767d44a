/* libFuzzer target for the int8 runtime's verifier and interpreter (runtime/plrt_model.h).
 *
 * Input: one control byte, then the .plq bytes. Control bit 0 rewrites file_size and the CRC
 * before verification, so that mutations reach the checks behind the CRC; bit 1 also
 * quantises a float window made of the remaining bytes (NaN, infinities, huge values).
 *
 * The model is copied into a heap buffer of exactly its size and, when plrt_model_init accepts
 * it, run with both kernel sets in two heap arenas of exactly plrt_model_arena_size() bytes
 * (so AddressSanitizer catches any access outside the file or the arena), both filled with the
 * same bytes. The arenas must end identical: the kernels write the same tensors in the same
 * order, and the bytes they do not write stay equal. A refusal must come with a reason, and an
 * arena one byte short must be refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plq_crc32.h" /* runtime/tests/ */
#include "plrt_model.h"

enum { kMaxArena = 1 << 22, kMaxWork = 20000000 }; /* bounds the time per input */

static void put_u32(uint8_t* p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/* A float window from the input bytes, 4 at a time, cycling. */
static void quantize_from_bytes(const plrt_model* m, const uint8_t* data, size_t size,
                                int8_t* input) {
  const size_t count = (size_t)plrt_input_channels(m) * plrt_input_length(m);
  float* x = (float*)malloc(count * sizeof(float));
  size_t i;
  if (x == NULL) abort();
  for (i = 0; i < count; ++i) {
    uint8_t bytes[4] = {0, 0, 0, 0};
    size_t k;
    for (k = 0; k < 4 && size > 0; ++k) bytes[k] = data[(4 * i + k) % size];
    memcpy(&x[i], bytes, sizeof x[i]);
  }
  plrt_quantize_input(m, x, input);
  free(x);
}

static uint32_t get_u32(const uint8_t* p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Steps one inference takes: the MACs plus each pool's kernel * output size (a verified model's
 * tables, read as the format doc lays them out). */
static uint64_t work(const plrt_model* m) {
  uint64_t total = plrt_model_macs(m);
  uint32_t i;
  for (i = 0; i < m->n_ops; ++i) {
    const uint8_t* op = m->ops + 64u * i;
    if (op[0] == 2) { /* AVGPOOL1D */
      const uint8_t* out = m->tensors + 24u * get_u32(op + 20);
      total += (uint64_t)(op[24] | (op[25] << 8)) * get_u32(out) * get_u32(out + 4);
    }
  }
  return total;
}

static void run_both(const plrt_model* m, const uint8_t* data, size_t size, int quantize) {
  const size_t arena_size = plrt_model_arena_size(m);
  uint8_t* a = (uint8_t*)malloc(arena_size);
  uint8_t* b = (uint8_t*)malloc(arena_size);
  size_t i;
  if (a == NULL || b == NULL) abort();
  for (i = 0; i < arena_size; ++i) a[i] = size > 0 ? data[i % size] : (uint8_t)i;
  if (quantize) quantize_from_bytes(m, data, size, plrt_input(m, a));
  memcpy(b, a, arena_size);
  if (plrt_invoke(m, a, arena_size - 1, PLRT_KERNELS_REFERENCE) != PLRT_ERR_ARENA) abort();
  if (plrt_invoke(m, a, arena_size, PLRT_KERNELS_REFERENCE) != PLRT_OK) abort();
  if (plrt_invoke(m, b, arena_size, PLRT_KERNELS_OPTIMIZED) != PLRT_OK) abort();
  if (memcmp(a, b, arena_size) != 0) abort(); /* reference and optimised kernels differ */
  free(a);
  free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  plrt_model m;
  plrt_error err;
  uint8_t control, *file;
  plrt_status status;
  if (size < 1) return 0;
  control = data[0];
  ++data;
  --size;
  file = (uint8_t*)malloc(size > 0 ? size : 1);
  if (file == NULL) abort();
  if (size > 0) memcpy(file, data, size);
  if ((control & 1) && size >= 16) {
    put_u32(file + 8, (uint32_t)size);
    put_u32(file + 12, plq_crc32(file + 16, size - 16));
  }
  memset(&err, 0x55, sizeof err);
  status = plrt_model_init(&m, file, size, &err);
  if (memchr(err.reason, '\0', sizeof err.reason) == NULL) abort(); /* unterminated reason */
  if (status != PLRT_OK && err.reason[0] == '\0') abort();          /* a refusal says why */
  if (status == PLRT_OK && plrt_model_arena_size(&m) <= kMaxArena && work(&m) <= kMaxWork) {
    run_both(&m, data, size, control & 2);
  }
  free(file);
  return 0;
}
