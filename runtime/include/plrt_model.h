/* Int8 model runtime (C99, no heap, no globals): runs a `.plq` file (docs/int8_model_format.md).
 *
 * Memory model. The caller owns three things and the runtime allocates nothing:
 *   - the model buffer (the file's bytes, 4-byte aligned; flash on a microcontroller), which
 *     plrt_model_init verifies once and plrt_model then points into (no copy);
 *   - the plrt_model view itself (a few dozen bytes, usually on the stack or static);
 *   - one arena of plrt_model_arena_size() bytes holding every tensor of the graph; the input
 *     is written into it (plrt_input / plrt_quantize_input) and the logits read from it
 *     (plrt_output) after plrt_invoke.
 * Every function is reentrant: one verified model may run in several arenas at once.
 *
 * Trust. plrt_model_init checks everything the format's "What the verifier checks" list names,
 * so that plrt_invoke on a verified model never reads or writes outside the buffer or the arena
 * and never overflows an int32 accumulator, whatever the file holds. The model buffer must not
 * change after verification. The host must be little-endian (as the file), which init checks. */
#ifndef PLRT_MODEL_H
#define PLRT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "plrt_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The newest .plq format version this runtime reads (the header's `version`; 1 is read too). */
#define PLRT_MODEL_VERSION 2
/* The runtime library's own version (semantic: major.minor.patch), also in the CMake package
 * (find_package(plrt 0.2)); PLRT_VERSION is 10000 * major + 100 * minor + patch for #if. */
#define PLRT_VERSION_MAJOR 0
#define PLRT_VERSION_MINOR 2
#define PLRT_VERSION_PATCH 0
#define PLRT_VERSION (PLRT_VERSION_MAJOR * 10000 + PLRT_VERSION_MINOR * 100 + PLRT_VERSION_PATCH)
#define PLRT_ERROR_REASON_SIZE 160

/* Why plrt_model_init refused a buffer: a NUL-terminated sentence naming the op or tensor index
 * and the field, e.g. "op 3 (CONV1D): weights [4096, 8192) outside data section of 6000 bytes". */
typedef struct plrt_error {
  char reason[PLRT_ERROR_REASON_SIZE];
} plrt_error;

/* Largest arena plrt_model_init accepts: the data memory of the target chips (MAX78000 and the
 * Himax WE2 budget, 512 KiB). A file asking for more could never run there; on a host, where
 * memory is larger, pass another cap to plrt_model_init_ex (PLRT_MAX_ARENA_HOST, or any value). */
#define PLRT_MAX_ARENA_CHIP (512u * 1024u)
/* The cap the C++ tools (physiolite eval, quantize) use: 64 MiB. */
#define PLRT_MAX_ARENA_HOST (64u * 1024u * 1024u)

/* Quantisation scheme of a model (header field `scheme`). */
typedef enum plrt_scheme {
  PLRT_SCHEME_MAX78000 = 1, /* power-of-two shifts, Q7, zero points 0 */
  PLRT_SCHEME_TFLITE = 2    /* int8 asymmetric, per-channel fixed-point multipliers */
} plrt_scheme;

/* Which kernels plrt_invoke runs; both give bit-identical outputs. */
typedef enum plrt_kernels {
  PLRT_KERNELS_REFERENCE = 0, /* the format's formulas as plain loops (the specification) */
  PLRT_KERNELS_OPTIMIZED = 1  /* register-tiled, vectorisable kernels (plrt_ops.h) */
} plrt_kernels;

/* A verified model: pointers into the caller's buffer plus header values. Treat the members as
 * private; only plrt_model_init fills them. */
typedef struct plrt_model {
  const uint8_t* file;
  const uint8_t* tensors;      /* tensor table */
  const uint8_t* ops;          /* op table */
  const uint8_t* data;         /* data section */
  const uint8_t* input_params; /* per input channel: f32 scale, i32 zero point */
  uint32_t file_size;
  uint32_t data_size;
  uint32_t scheme;
  uint32_t n_tensors;
  uint32_t n_ops;
  uint32_t arena_size;
  uint32_t input_tensor;
  uint32_t output_tensor;
  uint32_t input_channels;
  uint32_t input_length;
  uint32_t input_offset; /* arena offsets of the graph input and output */
  uint32_t output_offset;
  uint32_t num_classes;
  uint64_t macs;
} plrt_model;

/* Verifies `buffer` (`size` bytes) and fills `model`. On failure returns PLRT_ERR_MODEL (or
 * PLRT_ERR_ARGUMENT for null pointers, PLRT_ERR_UNSUPPORTED on a big-endian host), leaves `model`
 * unusable and, if `error` is not NULL, writes the reason. */
plrt_status plrt_model_init(plrt_model* model, const void* buffer, size_t size, plrt_error* error);

/* plrt_model_init with another arena cap: refuses a header arena_size above `max_arena_bytes`
 * (plrt_model_init is this with PLRT_MAX_ARENA_CHIP). 0xFFFFFFFF accepts any arena_size. */
plrt_status plrt_model_init_ex(plrt_model* model, const void* buffer, size_t size,
                               uint32_t max_arena_bytes, plrt_error* error);

/* Bytes of arena plrt_invoke needs (the header's arena_size). */
size_t plrt_model_arena_size(const plrt_model* model);

/* Multiply-accumulates of one inference: the sum over convolutions of
 * C_out * L_out * kernel * C_in (zero-padding positions included). */
uint64_t plrt_model_macs(const plrt_model* model);

plrt_scheme plrt_model_scheme(const plrt_model* model);

/* The graph input inside `arena`: input_channels x input_length int8, channel-last (element
 * (t, c) at t * channels + c). */
int8_t* plrt_input(const plrt_model* model, void* arena);
uint32_t plrt_input_channels(const plrt_model* model);
uint32_t plrt_input_length(const plrt_model* model);
/* Quantisation of input channel `channel` (< plrt_input_channels): real = scale * (q - zero). */
float plrt_input_scale(const plrt_model* model, uint32_t channel);
int32_t plrt_input_zero_point(const plrt_model* model, uint32_t channel);

/* The logits inside `arena` after plrt_invoke: plrt_num_classes() int8 values. */
const int8_t* plrt_output(const plrt_model* model, const void* arena);
uint32_t plrt_num_classes(const plrt_model* model);
float plrt_output_scale(const plrt_model* model);
int32_t plrt_output_zero_point(const plrt_model* model);

/* Quantises a float window given channel-first (`x[c * length + t]`, c < input_channels,
 * t < input_length) into `input` (from plrt_input), channel-last:
 * q = clamp(floor(x / scale_c + 0.5) + zero_point_c, -128, 127) in float32; NaN gives the
 * channel's zero point. */
void plrt_quantize_input(const plrt_model* model, const float* x, int8_t* input);

/* One value of input channel `channel` quantised by the same rule (plrt_ecg fills the input one
 * channel at a time, without a float copy of the whole window). */
int8_t plrt_quantize_value(const plrt_model* model, uint32_t channel, float x);

/* Runs the graph on the input already in `arena` (`arena_size` bytes, any alignment). Returns
 * PLRT_ERR_ARENA without touching the arena if arena_size < plrt_model_arena_size(), and
 * PLRT_ERR_ARGUMENT for null pointers or an unknown kernel set. Tensors share arena bytes by
 * lifetime, so the input may be overwritten too: write it again before the next invoke. */
plrt_status plrt_invoke(const plrt_model* model, void* arena, size_t arena_size,
                        plrt_kernels kernels);

/* Scratch for plrt_invoke_scratch: the largest plrt_conv1d_s8_scratch_size over the model's
 * convolutions with this build's kernels (0 for a model plrt_model_init refused). Call once at
 * load time and give every invoke one caller-owned buffer of this size. */
size_t plrt_model_scratch_size(const plrt_model* model);

/* plrt_invoke with the optimised convolutions' working memory in `scratch` (`scratch_size` >=
 * plrt_model_scratch_size bytes, any alignment, not shared with a concurrent invoke) instead of
 * on the stack: the same outputs. The reference kernels need none (`scratch` may then be NULL).
 * PLRT_ERR_ARENA without touching the arena if the scratch is too small for the optimised set. */
plrt_status plrt_invoke_scratch(const plrt_model* model, void* arena, size_t arena_size,
                                plrt_kernels kernels, void* scratch, size_t scratch_size);

/* The "wide" logits, what the MAX78000 writes when its last layer has izer's `output_width: 32`:
 * for the last op, which must be the CONV1D writing the graph output, every int32 accumulator
 * bias[o] + sum w * (x - zx) before its shift and clamp, channel-last ([t][o], num_classes x the
 * output's length values into `acc`). Call after plrt_invoke on the same arena: nothing writes
 * over the last op's input after it ran. PLRT_ERR_ARGUMENT if the last op is not such a conv. */
plrt_status plrt_output_accumulators(const plrt_model* model, const void* arena, int32_t* acc);

#ifdef __cplusplus
}
#endif

#endif /* PLRT_MODEL_H */
