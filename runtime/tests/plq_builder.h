/* Test-side writer of .plq buffers (docs/int8_model_format.md), independent of the runtime's
 * reader: tests, the seed-corpus generator and the example build their models with it. Uses the
 * heap (tests only). Tensors get consecutive 4-aligned arena offsets unless a test moves them;
 * every field stays editable before plqb_write so that tests can forge bad files. */
#ifndef PLRT_TESTS_PLQ_BUILDER_H
#define PLRT_TESTS_PLQ_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#define PLQB_MAX_TENSORS 64
#define PLQB_MAX_OPS 64
#define PLQB_MAX_INPUT_CHANNELS 1024
#define PLQB_NONE 0xFFFFFFFFu

typedef struct plqb_tensor {
  uint32_t channels, length, arena_offset;
  float scale;
  int32_t zero_point;
} plqb_tensor;

typedef struct plqb_op {
  uint8_t type, requant, n_inputs, flags;
  uint32_t inputs[4];
  uint32_t output;
  uint16_t kernel, stride, pad;
  int16_t act_min, act_max;
  uint32_t weights, bias, multiplier, shift, weight_scale; /* data-section offsets */
  int32_t left_shift;
} plqb_op;

typedef struct plqb {
  uint8_t scheme; /* 1 POW2 (MAX78000), 2 TFLITE */
  plqb_tensor tensors[PLQB_MAX_TENSORS];
  uint32_t n_tensors;
  plqb_op ops[PLQB_MAX_OPS];
  uint32_t n_ops;
  uint32_t input_tensor, output_tensor;
  uint32_t arena_size; /* 0: the end of the last tensor */
  /* per input channel; plqb_tensor_add fills them from the first tensor's scale and zero point */
  float input_scale[PLQB_MAX_INPUT_CHANNELS];
  int32_t input_zero_point[PLQB_MAX_INPUT_CHANNELS];
  uint8_t* data;
  size_t data_size, data_capacity;
} plqb;

enum { PLQB_CONV1D = 1, PLQB_AVGPOOL1D = 2, PLQB_ADD = 3, PLQB_CONCAT = 4, PLQB_RELU = 5 };

void plqb_init(plqb* b, uint8_t scheme);
void plqb_free(plqb* b);

/* A tensor after the previous one in the arena; returns its index. The first tensor added is
 * the graph input, the last op's output the graph output, unless changed. */
uint32_t plqb_tensor_add(plqb* b, uint32_t channels, uint32_t length, float scale,
                         int32_t zero_point);
/* Appends bytes to the data section, 4-aligned; returns the data-section offset. */
uint32_t plqb_data_add(plqb* b, const void* bytes, size_t size);

/* Ops; each returns its index. multiplier NULL in POW2 graphs, bias NULL for none. */
uint32_t plqb_conv(plqb* b, uint32_t in, uint32_t out, uint16_t kernel, uint16_t pad,
                   int16_t act_min, int16_t act_max, const int8_t* weights, const int32_t* bias,
                   const int32_t* multiplier, const int32_t* shift);
uint32_t plqb_pool(plqb* b, uint32_t in, uint32_t out, uint16_t kernel, uint16_t stride,
                   uint8_t flags, int16_t act_min, int16_t act_max);
uint32_t plqb_add(plqb* b, uint32_t in0, uint32_t in1, uint32_t out, int16_t act_min,
                  int16_t act_max, const int32_t* multiplier3, const int32_t* shift3,
                  int32_t left_shift);
uint32_t plqb_concat(plqb* b, uint32_t n, const uint32_t* in, uint32_t out);
uint32_t plqb_relu(plqb* b, uint32_t in, uint32_t out, int16_t act_min, int16_t act_max);

/* Re-packs the arena by tensor lifetime (from the op that writes a tensor to the last op that
 * reads it; the graph input from the start, the output to the end): greedy first fit, largest
 * tensors first, 4-aligned, as a quantiser's planner would; sets arena_size. */
void plqb_plan_arena(plqb* b);

/* Serialises with a valid CRC into a malloc'd buffer (*out, free() it); returns its size.
 * Layout: header, tensor table, op table, input params, data section. */
size_t plqb_write(const plqb* b, uint8_t** out);

/* Byte offsets of the tables inside a buffer written by plqb_write. */
size_t plqb_tensor_entry(const plqb* b, uint32_t tensor);
size_t plqb_op_entry(const plqb* b, uint32_t op);
size_t plqb_data_start(const plqb* b);

/* CRC-32 (IEEE, bitwise: an implementation independent of the runtime's). */
uint32_t plqb_crc32(const uint8_t* bytes, size_t size);
/* Recomputes the CRC of a patched buffer over [16, size). */
void plqb_fix_crc(uint8_t* buffer, size_t size);
void plqb_put_u32(uint8_t* p, uint32_t v);
void plqb_put_u16(uint8_t* p, uint16_t v);

#endif
