/* Test-side .plq writer (see plq_builder.h). */
#include "plq_builder.h"

#include "plq_crc32.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void plqb_put_u32(uint8_t* p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

void plqb_put_u16(uint8_t* p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

static void put_f32(uint8_t* p, float v) {
  uint32_t u;
  memcpy(&u, &v, sizeof u);
  plqb_put_u32(p, u);
}

static void* checked_realloc(void* p, size_t size) {
  void* q = realloc(p, size);
  if (q == NULL) {
    fprintf(stderr, "plq_builder: out of memory\n");
    exit(1);
  }
  return q;
}

void plqb_init(plqb* b, uint8_t scheme) {
  memset(b, 0, sizeof *b);
  b->scheme = scheme;
}

void plqb_free(plqb* b) {
  free(b->data);
  b->data = NULL;
}

uint32_t plqb_tensor_add(plqb* b, uint32_t channels, uint32_t length, float scale,
                         int32_t zero_point) {
  plqb_tensor* t = &b->tensors[b->n_tensors];
  uint32_t offset = 0, c;
  if (b->n_tensors == PLQB_MAX_TENSORS) {
    fprintf(stderr, "plq_builder: too many tensors\n");
    exit(1);
  }
  if (b->n_tensors > 0) {
    const plqb_tensor* prev = &b->tensors[b->n_tensors - 1];
    offset = (prev->arena_offset + prev->channels * prev->length + 3u) & ~3u;
  } else {
    for (c = 0; c < channels && c < PLQB_MAX_INPUT_CHANNELS; ++c) {
      b->input_scale[c] = scale;
      b->input_zero_point[c] = zero_point;
    }
  }
  t->channels = channels;
  t->length = length;
  t->arena_offset = offset;
  t->scale = scale;
  t->zero_point = zero_point;
  return b->n_tensors++;
}

uint32_t plqb_data_add(plqb* b, const void* bytes, size_t size) {
  const size_t offset = (b->data_size + 3u) & ~(size_t)3u;
  if (offset + size > b->data_capacity) {
    b->data_capacity = 2 * (offset + size) + 64;
    b->data = (uint8_t*)checked_realloc(b->data, b->data_capacity);
  }
  memset(b->data + b->data_size, 0, offset - b->data_size);
  if (size > 0) memcpy(b->data + offset, bytes, size);
  b->data_size = offset + size;
  return (uint32_t)offset;
}

static plqb_op* new_op(plqb* b, uint8_t type, uint32_t out, int16_t act_min, int16_t act_max) {
  plqb_op* op = &b->ops[b->n_ops];
  if (b->n_ops == PLQB_MAX_OPS) {
    fprintf(stderr, "plq_builder: too many ops\n");
    exit(1);
  }
  memset(op, 0, sizeof *op);
  op->type = type;
  op->requant = b->scheme;
  op->output = out;
  op->act_min = act_min;
  op->act_max = act_max;
  op->weights = op->bias = op->multiplier = op->shift = op->weight_scale = PLQB_NONE;
  b->output_tensor = out;
  ++b->n_ops;
  return op;
}

uint32_t plqb_conv(plqb* b, uint32_t in, uint32_t out, uint16_t kernel, uint16_t pad,
                   int16_t act_min, int16_t act_max, const int8_t* weights, const int32_t* bias,
                   const int32_t* multiplier, const int32_t* shift) {
  const uint32_t c_out = b->tensors[out].channels;
  const size_t n_weights = (size_t)c_out * kernel * b->tensors[in].channels;
  plqb_op* op = new_op(b, PLQB_CONV1D, out, act_min, act_max);
  float* weight_scale = (float*)checked_realloc(NULL, c_out * sizeof(float));
  uint32_t o;
  op->n_inputs = 1;
  op->inputs[0] = in;
  op->kernel = kernel;
  op->stride = 1;
  op->pad = pad;
  op->weights = plqb_data_add(b, weights, n_weights);
  if (bias != NULL) op->bias = plqb_data_add(b, bias, c_out * sizeof(int32_t));
  if (multiplier != NULL) op->multiplier = plqb_data_add(b, multiplier, c_out * sizeof(int32_t));
  op->shift = plqb_data_add(b, shift, c_out * sizeof(int32_t));
  for (o = 0; o < c_out; ++o) weight_scale[o] = 1.0f / 128.0f; /* informative only */
  op->weight_scale = plqb_data_add(b, weight_scale, c_out * sizeof(float));
  free(weight_scale);
  return b->n_ops - 1;
}

uint32_t plqb_pool(plqb* b, uint32_t in, uint32_t out, uint16_t kernel, uint16_t stride,
                   uint8_t flags, int16_t act_min, int16_t act_max) {
  plqb_op* op = new_op(b, PLQB_AVGPOOL1D, out, act_min, act_max);
  op->n_inputs = 1;
  op->inputs[0] = in;
  op->kernel = kernel;
  op->stride = stride;
  op->flags = flags;
  return b->n_ops - 1;
}

uint32_t plqb_add(plqb* b, uint32_t in0, uint32_t in1, uint32_t out, int16_t act_min,
                  int16_t act_max, const int32_t* multiplier3, const int32_t* shift3,
                  int32_t left_shift) {
  plqb_op* op = new_op(b, PLQB_ADD, out, act_min, act_max);
  op->n_inputs = 2;
  op->inputs[0] = in0;
  op->inputs[1] = in1;
  if (multiplier3 != NULL) op->multiplier = plqb_data_add(b, multiplier3, 3 * sizeof(int32_t));
  if (shift3 != NULL) op->shift = plqb_data_add(b, shift3, 3 * sizeof(int32_t));
  op->left_shift = left_shift;
  return b->n_ops - 1;
}

uint32_t plqb_concat(plqb* b, uint32_t n, const uint32_t* in, uint32_t out) {
  plqb_op* op = new_op(b, PLQB_CONCAT, out, -128, 127);
  uint32_t i;
  op->n_inputs = (uint8_t)n;
  for (i = 0; i < n; ++i) op->inputs[i] = in[i];
  return b->n_ops - 1;
}

uint32_t plqb_relu(plqb* b, uint32_t in, uint32_t out, int16_t act_min, int16_t act_max) {
  plqb_op* op = new_op(b, PLQB_RELU, out, act_min, act_max);
  op->n_inputs = 1;
  op->inputs[0] = in;
  return b->n_ops - 1;
}

typedef struct lifetime {
  int64_t first, last; /* op indices, inclusive; -1 before the first op */
} lifetime;

void plqb_plan_arena(plqb* b) {
  lifetime life[PLQB_MAX_TENSORS];
  uint32_t order[PLQB_MAX_TENSORS], placed[PLQB_MAX_TENSORS], n_placed = 0, i, j, k;
  uint32_t arena = 0;
  for (i = 0; i < b->n_tensors; ++i) life[i].first = life[i].last = -1;
  for (i = 0; i < b->n_ops; ++i) {
    for (k = 0; k < b->ops[i].n_inputs; ++k) life[b->ops[i].inputs[k]].last = i;
    if (life[b->ops[i].output].first < 0)
      life[b->ops[i].output].first = life[b->ops[i].output].last = i;
  }
  life[b->input_tensor].first = -1;
  life[b->output_tensor].last = b->n_ops;
  for (i = 0; i < b->n_tensors; ++i) order[i] = i;
  for (i = 1; i < b->n_tensors; ++i) { /* insertion sort by size, largest first, stable */
    const uint32_t t = order[i];
    const uint32_t size = b->tensors[t].channels * b->tensors[t].length;
    for (j = i; j > 0 && b->tensors[order[j - 1]].channels * b->tensors[order[j - 1]].length < size;
         --j) {
      order[j] = order[j - 1];
    }
    order[j] = t;
  }
  for (i = 0; i < b->n_tensors; ++i) {
    const uint32_t t = order[i], size = b->tensors[t].channels * b->tensors[t].length;
    uint32_t offset = 0;
    int moved = 1;
    while (moved) { /* first fit: move past every live placed tensor it would overlap */
      moved = 0;
      for (k = 0; k < n_placed; ++k) {
        const plqb_tensor* o = &b->tensors[placed[k]];
        const uint32_t end = o->arena_offset + o->channels * o->length;
        if (life[t].first <= life[placed[k]].last && life[placed[k]].first <= life[t].last &&
            offset < end && o->arena_offset < offset + size) {
          offset = (end + 3u) & ~3u;
          moved = 1;
        }
      }
    }
    b->tensors[t].arena_offset = offset;
    placed[n_placed++] = t;
    if (((offset + size + 3u) & ~3u) > arena) arena = (offset + size + 3u) & ~3u;
  }
  b->arena_size = arena;
}

static size_t input_channels(const plqb* b) { return b->tensors[b->input_tensor].channels; }

size_t plqb_tensor_entry(const plqb* b, uint32_t tensor) {
  (void)b;
  return 64 + (size_t)tensor * 24;
}

size_t plqb_op_entry(const plqb* b, uint32_t op) {
  return 64 + (size_t)b->n_tensors * 24 + (size_t)op * 64;
}

static size_t input_params_start(const plqb* b) { return plqb_op_entry(b, b->n_ops); }

size_t plqb_data_start(const plqb* b) { return input_params_start(b) + input_channels(b) * 8; }

uint32_t plqb_crc32(const uint8_t* bytes, size_t size) { return plq_crc32(bytes, size); }

void plqb_fix_crc(uint8_t* buffer, size_t size) {
  plqb_put_u32(buffer + 12, plqb_crc32(buffer + 16, size - 16));
}

size_t plqb_write(const plqb* b, uint8_t** out) {
  const size_t data_start = plqb_data_start(b);
  const size_t size = data_start + ((b->data_size + 3u) & ~(size_t)3u);
  uint8_t* f = (uint8_t*)checked_realloc(NULL, size);
  uint32_t arena = b->arena_size, i, k;
  memset(f, 0, size);
  for (i = 0; i < b->n_tensors; ++i) {
    const plqb_tensor* t = &b->tensors[i];
    uint8_t* p = f + plqb_tensor_entry(b, i);
    const uint32_t end = t->arena_offset + t->channels * t->length;
    if (b->arena_size == 0 && end > arena) arena = end;
    plqb_put_u32(p, t->channels);
    plqb_put_u32(p + 4, t->length);
    plqb_put_u32(p + 8, t->arena_offset);
    put_f32(p + 12, t->scale);
    plqb_put_u32(p + 16, (uint32_t)t->zero_point);
  }
  for (i = 0; i < b->n_ops; ++i) {
    const plqb_op* op = &b->ops[i];
    uint8_t* p = f + plqb_op_entry(b, i);
    p[0] = op->type;
    p[1] = op->requant;
    p[2] = op->n_inputs;
    p[3] = op->flags;
    for (k = 0; k < 4; ++k) plqb_put_u32(p + 4 + 4 * k, op->inputs[k]);
    plqb_put_u32(p + 20, op->output);
    plqb_put_u16(p + 24, op->kernel);
    plqb_put_u16(p + 26, op->stride);
    plqb_put_u16(p + 28, op->pad);
    plqb_put_u16(p + 30, (uint16_t)op->act_min);
    plqb_put_u16(p + 32, (uint16_t)op->act_max);
    plqb_put_u32(p + 36, op->weights);
    plqb_put_u32(p + 40, op->bias);
    plqb_put_u32(p + 44, op->multiplier);
    plqb_put_u32(p + 48, op->shift);
    plqb_put_u32(p + 52, op->weight_scale);
    plqb_put_u32(p + 56, (uint32_t)op->left_shift);
  }
  for (i = 0; i < input_channels(b); ++i) {
    uint8_t* p = f + input_params_start(b) + 8 * (size_t)i;
    put_f32(p, b->input_scale[i]);
    plqb_put_u32(p + 4, (uint32_t)b->input_zero_point[i]);
  }
  if (b->data_size > 0) memcpy(f + data_start, b->data, b->data_size);
  memcpy(f, "PLQM", 4);
  plqb_put_u16(f + 4, 1);
  f[6] = b->scheme;
  plqb_put_u32(f + 8, (uint32_t)size);
  plqb_put_u32(f + 16, b->n_tensors);
  plqb_put_u32(f + 20, b->n_ops);
  plqb_put_u32(f + 24, (uint32_t)plqb_tensor_entry(b, 0));
  plqb_put_u32(f + 28, (uint32_t)plqb_op_entry(b, 0));
  plqb_put_u32(f + 32, (uint32_t)data_start);
  plqb_put_u32(f + 36, (uint32_t)b->data_size);
  plqb_put_u32(f + 40, arena);
  plqb_put_u32(f + 44, b->input_tensor);
  plqb_put_u32(f + 48, b->output_tensor);
  plqb_put_u32(f + 52, (uint32_t)input_params_start(b));
  plqb_put_u32(f + 56, b->tensors[b->output_tensor].channels);
  plqb_fix_crc(f, size);
  *out = f;
  return size;
}
