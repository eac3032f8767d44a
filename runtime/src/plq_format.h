/* Byte layout of the .plq file (docs/int8_model_format.md) and little-endian readers, shared by
 * the verifier (model.c) and the interpreter (interpreter.c). Fields are read byte by byte, so
 * the tables need no alignment and no type punning. */
#ifndef PLRT_PLQ_FORMAT_H
#define PLRT_PLQ_FORMAT_H

#include <stdint.h>
#include <string.h>

#define PLQ_HEADER_SIZE 64u
#define PLQ_TENSOR_SIZE 24u
#define PLQ_OP_SIZE 64u
#define PLQ_INPUT_PARAM_SIZE 8u
#define PLQ_NONE 0xFFFFFFFFu /* an unused data-section array */
#define PLQ_MAX_INPUTS 4u

/* Header field offsets. */
enum {
  PLQ_H_MAGIC = 0,
  PLQ_H_VERSION = 4,
  PLQ_H_SCHEME = 6,
  PLQ_H_RESERVED0 = 7,
  PLQ_H_FILE_SIZE = 8,
  PLQ_H_CRC32 = 12,
  PLQ_H_N_TENSORS = 16,
  PLQ_H_N_OPS = 20,
  PLQ_H_TENSORS_OFFSET = 24,
  PLQ_H_OPS_OFFSET = 28,
  PLQ_H_DATA_OFFSET = 32,
  PLQ_H_DATA_SIZE = 36,
  PLQ_H_ARENA_SIZE = 40,
  PLQ_H_INPUT_TENSOR = 44,
  PLQ_H_OUTPUT_TENSOR = 48,
  PLQ_H_INPUT_PARAMS_OFFSET = 52,
  PLQ_H_NUM_CLASSES = 56,
  PLQ_H_RESERVED1 = 60
};

enum {
  PLQ_OP_CONV1D = 1,
  PLQ_OP_AVGPOOL1D = 2,
  PLQ_OP_ADD = 3,
  PLQ_OP_CONCAT = 4,
  PLQ_OP_RELU = 5
};
enum { PLQ_FLAG_POOL_ROUND_HALF_UP = 1, PLQ_FLAG_POOL_TRUNCATE = 2 };

static inline uint16_t plq_u16(const uint8_t* p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t plq_u32(const uint8_t* p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline int32_t plq_i32(const uint8_t* p) {
  const uint32_t u = plq_u32(p);
  int32_t v;
  memcpy(&v, &u, sizeof v); /* two's complement reinterpretation without overflow */
  return v;
}
static inline int16_t plq_i16(const uint8_t* p) {
  const uint16_t u = plq_u16(p);
  int16_t v;
  memcpy(&v, &u, sizeof v);
  return v;
}
static inline float plq_f32(const uint8_t* p) {
  const uint32_t u = plq_u32(p);
  float v;
  memcpy(&v, &u, sizeof v);
  return v;
}

/* One tensor table entry. */
typedef struct plq_tensor {
  uint32_t channels;
  uint32_t length;
  uint32_t arena_offset;
  uint32_t scale_bits; /* the f32 scale's bits: operators compare scales exactly */
  int32_t zero_point;
  uint32_t reserved;
} plq_tensor;

static inline plq_tensor plq_read_tensor(const uint8_t* table, uint32_t index) {
  const uint8_t* p = table + (uint64_t)index * PLQ_TENSOR_SIZE;
  plq_tensor t;
  t.channels = plq_u32(p);
  t.length = plq_u32(p + 4);
  t.arena_offset = plq_u32(p + 8);
  t.scale_bits = plq_u32(p + 12);
  t.zero_point = plq_i32(p + 16);
  t.reserved = plq_u32(p + 20);
  return t;
}

/* One op table entry. */
typedef struct plq_op {
  uint32_t type, requant, n_inputs, flags;
  uint32_t inputs[PLQ_MAX_INPUTS];
  uint32_t output;
  uint32_t kernel, stride, pad;
  int32_t act_min, act_max;
  uint32_t reserved0;
  uint32_t weights, bias, multiplier, shift, weight_scale;
  int32_t left_shift;
  uint32_t reserved1;
} plq_op;

static inline plq_op plq_read_op(const uint8_t* table, uint32_t index) {
  const uint8_t* p = table + (uint64_t)index * PLQ_OP_SIZE;
  plq_op op;
  uint32_t i;
  op.type = p[0];
  op.requant = p[1];
  op.n_inputs = p[2];
  op.flags = p[3];
  for (i = 0; i < PLQ_MAX_INPUTS; ++i) op.inputs[i] = plq_u32(p + 4 + 4 * i);
  op.output = plq_u32(p + 20);
  op.kernel = plq_u16(p + 24);
  op.stride = plq_u16(p + 26);
  op.pad = plq_u16(p + 28);
  op.act_min = plq_i16(p + 30);
  op.act_max = plq_i16(p + 32);
  op.reserved0 = plq_u16(p + 34);
  op.weights = plq_u32(p + 36);
  op.bias = plq_u32(p + 40);
  op.multiplier = plq_u32(p + 44);
  op.shift = plq_u32(p + 48);
  op.weight_scale = plq_u32(p + 52);
  op.left_shift = plq_i32(p + 56);
  op.reserved1 = plq_u32(p + 60);
  return op;
}

#endif /* PLRT_PLQ_FORMAT_H */
