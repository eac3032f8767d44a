/* plrt_model_init: the verifier of docs/int8_model_format.md ("What the verifier checks"). After
 * it accepts a buffer, the interpreter and the kernels trust every index, offset, shape and
 * range in it; so each check here guards a specific read, write or overflow there. */
#include <float.h>
#include <string.h>

#include "error_format.h"
#include "plq_format.h"
#include "plrt_model.h"

typedef struct verifier {
  const uint8_t* file;
  uint32_t size;
  plrt_error* error;
  uint32_t max_arena; /* the caller's cap on arena_size */
  plrt_model m;       /* filled as the checks pass */
  uint32_t version;
} verifier;

/* Every check returns 1 when it passes, else writes the reason and returns 0. */
#define FAIL(...) (plrt_error_format(v->error, __VA_ARGS__), 0)

typedef unsigned long ul;
typedef unsigned long long ull;
typedef long sl;

static const char* op_name(uint32_t type) {
  switch (type) {
    case PLQ_OP_CONV1D:
      return "CONV1D";
    case PLQ_OP_AVGPOOL1D:
      return "AVGPOOL1D";
    case PLQ_OP_ADD:
      return "ADD";
    case PLQ_OP_CONCAT:
      return "CONCAT";
    case PLQ_OP_RELU:
      return "RELU";
    default:
      return "unknown type";
  }
}

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32), four bits per step. */
static uint32_t crc32_ieee(const uint8_t* p, size_t n) {
  static const uint32_t nibble[16] = {0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
                                      0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
                                      0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
                                      0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu};
  uint32_t crc = 0xFFFFFFFFu;
  size_t i;
  for (i = 0; i < n; ++i) {
    crc ^= p[i];
    crc = (crc >> 4) ^ nibble[crc & 15u];
    crc = (crc >> 4) ^ nibble[crc & 15u];
  }
  return ~crc;
}

static int scale_ok(float scale) { return scale > 0.0f && scale <= FLT_MAX; } /* NaN fails */

static uint64_t tensor_bytes(const plq_tensor* t) { return (uint64_t)t->channels * t->length; }

static int ranges_overlap(const plq_tensor* a, const plq_tensor* b) {
  return a->arena_offset < b->arena_offset + tensor_bytes(b) &&
         b->arena_offset < a->arena_offset + tensor_bytes(a);
}

static plq_tensor tensor_at(const verifier* v, uint32_t index) {
  return plq_read_tensor(v->m.tensors, index);
}

static int check_header(verifier* v) {
  const uint8_t* h = v->file;
  uint32_t crc;
  if (v->size < PLQ_HEADER_SIZE) {
    return FAIL("file of %lu bytes is shorter than the %lu-byte header", (ul)v->size,
                (ul)PLQ_HEADER_SIZE);
  }
  if (memcmp(h + PLQ_H_MAGIC, "PLQM", 4) != 0) {
    return FAIL("magic: expected 'PLQM' (50 4c 51 4d), got %lx %lx %lx %lx", (ul)h[0], (ul)h[1],
                (ul)h[2], (ul)h[3]);
  }
  v->version = plq_u16(h + PLQ_H_VERSION);
  if (v->version < 1 || v->version > PLRT_MODEL_VERSION) {
    return FAIL("version: expected 1 to %lu, got %lu", (ul)PLRT_MODEL_VERSION, (ul)v->version);
  }
  v->m.scheme = h[PLQ_H_SCHEME];
  if (v->m.scheme != PLRT_SCHEME_MAX78000 && v->m.scheme != PLRT_SCHEME_TFLITE) {
    return FAIL("scheme: expected 1 (MAX78000) or 2 (TFLite), got %lu", (ul)v->m.scheme);
  }
  if (h[PLQ_H_RESERVED0] != 0 || plq_u32(h + PLQ_H_RESERVED1) != 0) {
    return FAIL("header reserved fields (bytes 7 and 60..63) must be 0");
  }
  v->m.file_size = plq_u32(h + PLQ_H_FILE_SIZE);
  if (v->m.file_size != v->size) {
    return v->m.file_size > v->size
               ? FAIL("file truncated: file_size says %lu bytes, the buffer has %lu",
                      (ul)v->m.file_size, (ul)v->size)
               : FAIL("file_size: says %lu bytes, the buffer has %lu", (ul)v->m.file_size,
                      (ul)v->size);
  }
  crc = crc32_ieee(h + 16, v->size - 16u);
  if (crc != plq_u32(h + PLQ_H_CRC32)) {
    return FAIL("crc32: header says %lx, bytes [16, %lu) give %lx", (ul)plq_u32(h + PLQ_H_CRC32),
                (ul)v->size, (ul)crc);
  }
  v->m.n_tensors = plq_u32(h + PLQ_H_N_TENSORS);
  v->m.n_ops = plq_u32(h + PLQ_H_N_OPS);
  if (v->m.n_tensors == 0 || v->m.n_ops == 0) {
    return FAIL("n_tensors (%lu) and n_ops (%lu) must be >= 1", (ul)v->m.n_tensors, (ul)v->m.n_ops);
  }
  v->m.arena_size = plq_u32(h + PLQ_H_ARENA_SIZE);
  if (v->m.arena_size > v->max_arena) {
    return FAIL(
        "arena_size: %lu bytes, more than the cap of %lu (PLRT_MAX_ARENA_CHIP is the "
        "chips' 512 KiB; a host passes a larger cap to plrt_model_init_ex)",
        (ul)v->m.arena_size, (ul)v->max_arena);
  }
  v->m.input_tensor = plq_u32(h + PLQ_H_INPUT_TENSOR);
  v->m.output_tensor = plq_u32(h + PLQ_H_OUTPUT_TENSOR);
  v->m.num_classes = plq_u32(h + PLQ_H_NUM_CLASSES);
  return 1;
}

/* A section [offset, offset + bytes) of the file: 4-aligned, after the header, inside the file. */
static int check_section(verifier* v, const char* name, uint32_t offset, uint64_t bytes) {
  if (offset % 4u != 0) return FAIL("%s: offset %lu is not a multiple of 4", name, (ul)offset);
  if (offset < PLQ_HEADER_SIZE) {
    return FAIL("%s [%lu, %llu) overlaps the %lu-byte header", name, (ul)offset,
                (ull)(offset + bytes), (ul)PLQ_HEADER_SIZE);
  }
  if (offset + bytes > v->size) {
    return FAIL("%s [%lu, %llu) outside the file of %lu bytes", name, (ul)offset,
                (ull)(offset + bytes), (ul)v->size);
  }
  return 1;
}

static int check_sections(verifier* v) {
  const uint8_t* h = v->file;
  const uint32_t tensors = plq_u32(h + PLQ_H_TENSORS_OFFSET), ops = plq_u32(h + PLQ_H_OPS_OFFSET);
  const uint32_t data = plq_u32(h + PLQ_H_DATA_OFFSET), data_size = plq_u32(h + PLQ_H_DATA_SIZE);
  if (!check_section(v, "tensor table", tensors, (uint64_t)v->m.n_tensors * PLQ_TENSOR_SIZE) ||
      !check_section(v, "op table", ops, (uint64_t)v->m.n_ops * PLQ_OP_SIZE) ||
      !check_section(v, "data section", data, data_size)) {
    return 0;
  }
  v->m.tensors = h + tensors;
  v->m.ops = h + ops;
  v->m.data = h + data;
  v->m.data_size = data_size;
  return 1;
}

static int check_tensors(verifier* v) {
  uint32_t i;
  for (i = 0; i < v->m.n_tensors; ++i) {
    const plq_tensor t = tensor_at(v, i);
    float scale;
    memcpy(&scale, &t.scale_bits, sizeof scale);
    if (t.channels == 0 || t.length == 0) {
      return FAIL("tensor %lu: channels %lu, length %lu: both must be >= 1", (ul)i, (ul)t.channels,
                  (ul)t.length);
    }
    if (!scale_ok(scale)) {
      return FAIL("tensor %lu: scale (bits %lx) must be finite and > 0", (ul)i, (ul)t.scale_bits);
    }
    if (t.zero_point < -128 || t.zero_point > 127) {
      return FAIL("tensor %lu: zero_point %ld outside [-128, 127]", (ul)i, (sl)t.zero_point);
    }
    if (v->m.scheme == PLRT_SCHEME_MAX78000 && t.zero_point != 0) {
      return FAIL("tensor %lu: zero_point %ld: must be 0 in a MAX78000 (POW2) model", (ul)i,
                  (sl)t.zero_point);
    }
    if (t.reserved != 0) return FAIL("tensor %lu: reserved field must be 0", (ul)i);
    if (t.arena_offset + tensor_bytes(&t) > v->m.arena_size) {
      return FAIL("tensor %lu: arena bytes [%lu, %llu) outside the arena of %lu bytes", (ul)i,
                  (ul)t.arena_offset, (ull)(t.arena_offset + tensor_bytes(&t)),
                  (ul)v->m.arena_size);
    }
  }
  return 1;
}

static int check_graph_io(verifier* v) {
  const uint32_t params = plq_u32(v->file + PLQ_H_INPUT_PARAMS_OFFSET);
  plq_tensor in, out;
  uint32_t c;
  if (v->m.input_tensor >= v->m.n_tensors || v->m.output_tensor >= v->m.n_tensors) {
    return FAIL("input_tensor %lu / output_tensor %lu: must be < n_tensors (%lu)",
                (ul)v->m.input_tensor, (ul)v->m.output_tensor, (ul)v->m.n_tensors);
  }
  in = tensor_at(v, v->m.input_tensor);
  out = tensor_at(v, v->m.output_tensor);
  if (out.length != 1 || out.channels != v->m.num_classes) {
    return FAIL("output tensor %lu: shape %lu x %lu, expected num_classes (%lu) x 1",
                (ul)v->m.output_tensor, (ul)out.channels, (ul)out.length, (ul)v->m.num_classes);
  }
  if (!check_section(v, "input params", params, (uint64_t)in.channels * PLQ_INPUT_PARAM_SIZE)) {
    return 0;
  }
  for (c = 0; c < in.channels; ++c) {
    const uint8_t* p = v->file + params + (uint64_t)c * PLQ_INPUT_PARAM_SIZE;
    const int32_t zero_point = plq_i32(p + 4);
    if (!scale_ok(plq_f32(p))) {
      return FAIL("input channel %lu: scale (bits %lx) must be finite and > 0", (ul)c,
                  (ul)plq_u32(p));
    }
    if (zero_point < -128 || zero_point > 127 ||
        (v->m.scheme == PLRT_SCHEME_MAX78000 && zero_point != 0)) {
      return FAIL("input channel %lu: zero_point %ld outside %s", (ul)c, (sl)zero_point,
                  v->m.scheme == PLRT_SCHEME_MAX78000 ? "{0} (POW2 model)" : "[-128, 127]");
    }
  }
  v->m.input_params = v->file + params;
  v->m.input_channels = in.channels;
  v->m.input_length = in.length;
  v->m.input_offset = in.arena_offset;
  v->m.output_offset = out.arena_offset;
  return 1;
}

/* How an op uses one of its data-section arrays. */
typedef enum array_use { ARRAY_UNUSED, ARRAY_OPTIONAL, ARRAY_REQUIRED } array_use;

static int check_array(verifier* v, uint32_t index, const plq_op* op, const char* field,
                       uint32_t offset, array_use use, uint64_t count, uint32_t element_size) {
  const uint64_t end = (uint64_t)offset + count * element_size;
  if (offset == PLQ_NONE) {
    return use != ARRAY_REQUIRED ? 1
                                 : FAIL("op %lu (%s): %s: required, got none (0xFFFFFFFF)",
                                        (ul)index, op_name(op->type), field);
  }
  if (use == ARRAY_UNUSED) {
    return FAIL("op %lu (%s): %s: unused by this op, expected 0xFFFFFFFF, got %lu", (ul)index,
                op_name(op->type), field, (ul)offset);
  }
  if (element_size > 1 && offset % 4u != 0) {
    return FAIL("op %lu (%s): %s: offset %lu is not a multiple of 4", (ul)index, op_name(op->type),
                field, (ul)offset);
  }
  if (end > v->m.data_size) {
    return FAIL("op %lu (%s): %s [%lu, %llu) outside data section of %lu bytes", (ul)index,
                op_name(op->type), field, (ul)offset, (ull)end, (ul)v->m.data_size);
  }
  return 1;
}

/* Multiplier and shift arrays of `count` entries: TFLITE multipliers in {0} or [2^30, 2^31),
 * shifts in [-31, 30]; POW2 shifts (r = 7 - output_shift, output_shift in [-15, 15]) in
 * [-8, 22]. */
static int check_requant_values(verifier* v, uint32_t index, const plq_op* op, uint32_t count) {
  const int tflite = v->m.scheme == PLRT_SCHEME_TFLITE;
  const int32_t shift_min = tflite ? -31 : -8, shift_max = tflite ? 30 : 22;
  uint32_t i;
  for (i = 0; i < count; ++i) {
    const int32_t shift = plq_i32(v->m.data + op->shift + 4u * i);
    if (shift < shift_min || shift > shift_max) {
      return FAIL("op %lu (%s): shift[%lu] = %ld outside [%ld, %ld]", (ul)index, op_name(op->type),
                  (ul)i, (sl)shift, (sl)shift_min, (sl)shift_max);
    }
    if (tflite) {
      const int32_t multiplier = plq_i32(v->m.data + op->multiplier + 4u * i);
      if (multiplier != 0 && multiplier < (INT32_C(1) << 30)) {
        return FAIL("op %lu (%s): multiplier[%lu] = %ld: expected 0 or [2^30, 2^31)", (ul)index,
                    op_name(op->type), (ul)i, (sl)multiplier);
      }
    }
  }
  return 1;
}

/* Fails if some output channel's accumulator bias + sum w * (x - zx) could leave int32 for
 * some input: |bias| + sum |w| * max |x - zx| must be <= INT32_MAX. */
static int check_accumulator(verifier* v, uint32_t index, const plq_op* op, uint32_t c_out,
                             uint64_t per_channel, int32_t zx) {
  const uint64_t max_x = (uint64_t)(127 - zx > zx + 128 ? 127 - zx : zx + 128);
  const int8_t* w = (const int8_t*)(v->m.data + op->weights);
  uint32_t o;
  uint64_t j;
  for (o = 0; o < c_out; ++o) {
    uint64_t sum = 0;
    for (j = 0; j < per_channel; ++j) {
      const int32_t wj = w[(uint64_t)o * per_channel + j];
      sum += (uint64_t)(wj < 0 ? -wj : wj);
    }
    sum *= max_x;
    if (op->bias != PLQ_NONE) {
      const int64_t b = plq_i32(v->m.data + op->bias + 4u * o);
      sum += (uint64_t)(b < 0 ? -b : b);
    }
    if (sum > (uint64_t)INT32_MAX) {
      return FAIL(
          "op %lu (CONV1D): output channel %lu: |bias| + sum |w| * %llu = %llu can "
          "overflow the int32 accumulator",
          (ul)index, (ul)o, (ull)max_x, (ull)sum);
    }
  }
  return 1;
}

static int same_quantisation(const plq_tensor* a, const plq_tensor* b) {
  return a->scale_bits == b->scale_bits && a->zero_point == b->zero_point;
}

static int check_conv(verifier* v, uint32_t index, const plq_op* op) {
  const plq_tensor in = tensor_at(v, op->inputs[0]), out = tensor_at(v, op->output);
  const int tflite = v->m.scheme == PLRT_SCHEME_TFLITE;
  const int64_t l_out = (int64_t)in.length + 2 * (int64_t)op->pad - op->kernel + 1;
  const uint64_t per_channel = (uint64_t)op->kernel * in.channels;
  if (op->kernel < 1 || op->stride != 1 || op->pad >= op->kernel) {
    return FAIL(
        "op %lu (CONV1D): kernel %lu, stride %lu, pad %lu: need kernel >= 1, stride 1, "
        "pad < kernel",
        (ul)index, (ul)op->kernel, (ul)op->stride, (ul)op->pad);
  }
  if (l_out != (int64_t)out.length) {
    return FAIL(
        "op %lu (CONV1D): output length: L_in + 2*pad - kernel + 1 = %ld, tensor %lu has "
        "%lu",
        (ul)index, (sl)l_out, (ul)op->output, (ul)out.length);
  }
  if (!check_array(v, index, op, "weights", op->weights, ARRAY_REQUIRED,
                   (uint64_t)out.channels * per_channel, 1) ||
      !check_array(v, index, op, "bias", op->bias, ARRAY_OPTIONAL, out.channels, 4) ||
      !check_array(v, index, op, "multiplier", op->multiplier,
                   tflite ? ARRAY_REQUIRED : ARRAY_UNUSED, out.channels, 4) ||
      !check_array(v, index, op, "shift", op->shift, ARRAY_REQUIRED, out.channels, 4) ||
      !check_array(v, index, op, "weight_scale", op->weight_scale, ARRAY_OPTIONAL, out.channels,
                   4) ||
      !check_requant_values(v, index, op, out.channels) ||
      !check_accumulator(v, index, op, out.channels, per_channel, in.zero_point)) {
    return 0;
  }
  v->m.macs += (uint64_t)out.channels * out.length * per_channel;
  return 1;
}

static int check_pool(verifier* v, uint32_t index, const plq_op* op) {
  const plq_tensor in = tensor_at(v, op->inputs[0]), out = tensor_at(v, op->output);
  if (op->kernel < 1 || op->stride < 1 || op->kernel > in.length) {
    return FAIL(
        "op %lu (AVGPOOL1D): kernel %lu, stride %lu: need 1 <= kernel <= input length "
        "(%lu), stride >= 1",
        (ul)index, (ul)op->kernel, (ul)op->stride, (ul)in.length);
  }
  if (out.channels != in.channels || out.length != (in.length - op->kernel) / op->stride + 1) {
    return FAIL(
        "op %lu (AVGPOOL1D): output %lu x %lu, expected %lu x (L_in - kernel) / stride + "
        "1 = %lu",
        (ul)index, (ul)out.channels, (ul)out.length, (ul)in.channels,
        (ul)((in.length - op->kernel) / op->stride + 1));
  }
  if (!same_quantisation(&in, &out)) {
    return FAIL(
        "op %lu (AVGPOOL1D): output tensor %lu: scale and zero point must equal the "
        "input's (tensor %lu)",
        (ul)index, (ul)op->output, (ul)op->inputs[0]);
  }
  return 1;
}

static int check_add(verifier* v, uint32_t index, const plq_op* op) {
  const plq_tensor a = tensor_at(v, op->inputs[0]), b = tensor_at(v, op->inputs[1]);
  const plq_tensor out = tensor_at(v, op->output);
  const int tflite = v->m.scheme == PLRT_SCHEME_TFLITE;
  if (a.channels != out.channels || a.length != out.length || b.channels != out.channels ||
      b.length != out.length) {
    return FAIL("op %lu (ADD): shapes %lu x %lu + %lu x %lu -> %lu x %lu: all must be equal",
                (ul)index, (ul)a.channels, (ul)a.length, (ul)b.channels, (ul)b.length,
                (ul)out.channels, (ul)out.length);
  }
  if (!tflite && (!same_quantisation(&a, &out) || !same_quantisation(&b, &out))) {
    return FAIL("op %lu (ADD): POW2 inputs and output must share one scale", (ul)index);
  }
  if (op->left_shift < 0 || op->left_shift > (tflite ? 23 : 0)) {
    return FAIL("op %lu (ADD): left_shift %ld outside [0, %ld]", (ul)index, (sl)op->left_shift,
                (sl)(tflite ? 23 : 0));
  }
  if (!check_array(v, index, op, "multiplier", op->multiplier,
                   tflite ? ARRAY_REQUIRED : ARRAY_UNUSED, 3, 4) ||
      !check_array(v, index, op, "shift", op->shift, tflite ? ARRAY_REQUIRED : ARRAY_UNUSED, 3,
                   4)) {
    return 0;
  }
  return !tflite || check_requant_values(v, index, op, 3);
}

static int check_concat(verifier* v, uint32_t index, const plq_op* op) {
  const plq_tensor out = tensor_at(v, op->output);
  uint64_t channels = 0;
  uint32_t i;
  for (i = 0; i < op->n_inputs; ++i) {
    const plq_tensor in = tensor_at(v, op->inputs[i]);
    if (in.length != out.length) {
      return FAIL("op %lu (CONCAT): input %lu (tensor %lu) has length %lu, output %lu", (ul)index,
                  (ul)i, (ul)op->inputs[i], (ul)in.length, (ul)out.length);
    }
    if (!same_quantisation(&in, &out)) {
      return FAIL(
          "op %lu (CONCAT): input %lu (tensor %lu): scale and zero point must equal the "
          "output's",
          (ul)index, (ul)i, (ul)op->inputs[i]);
    }
    channels += in.channels;
  }
  if (channels != out.channels) {
    return FAIL("op %lu (CONCAT): input channels add up to %llu, output tensor %lu has %lu",
                (ul)index, (ull)channels, (ul)op->output, (ul)out.channels);
  }
  return 1;
}

static int check_relu(verifier* v, uint32_t index, const plq_op* op) {
  const plq_tensor in = tensor_at(v, op->inputs[0]), out = tensor_at(v, op->output);
  if (in.channels != out.channels || in.length != out.length || !same_quantisation(&in, &out)) {
    return FAIL(
        "op %lu (RELU): output tensor %lu must have the input's shape, scale and zero "
        "point (tensor %lu)",
        (ul)index, (ul)op->output, (ul)op->inputs[0]);
  }
  return 1;
}

/* Fields every op has: type, scheme, inputs, output, flags, pad, clamp, reserved, arrays. */
static int check_op_common(verifier* v, uint32_t index, const plq_op* op) {
  static const uint8_t min_inputs[6] = {0, 1, 1, 2, 2, 1};
  static const uint8_t max_inputs[6] = {0, 1, 1, 2, 4, 1};
  const char* name = op_name(op->type);
  uint32_t i;
  if (op->type < PLQ_OP_CONV1D || op->type > PLQ_OP_RELU) {
    return FAIL("op %lu: type: expected 1..5 (CONV1D, AVGPOOL1D, ADD, CONCAT, RELU), got %lu",
                (ul)index, (ul)op->type);
  }
  if (op->requant != v->m.scheme) {
    return FAIL("op %lu (%s): requant %lu differs from the header's scheme %lu", (ul)index, name,
                (ul)op->requant, (ul)v->m.scheme);
  }
  if (op->n_inputs < min_inputs[op->type] || op->n_inputs > max_inputs[op->type]) {
    return FAIL("op %lu (%s): n_inputs %lu outside [%lu, %lu]", (ul)index, name, (ul)op->n_inputs,
                (ul)min_inputs[op->type], (ul)max_inputs[op->type]);
  }
  for (i = 0; i < PLQ_MAX_INPUTS; ++i) {
    if (i < op->n_inputs && op->inputs[i] >= v->m.n_tensors) {
      return FAIL("op %lu (%s): input %lu: tensor %lu, but n_tensors is %lu", (ul)index, name,
                  (ul)i, (ul)op->inputs[i], (ul)v->m.n_tensors);
    }
    if (i >= op->n_inputs && op->inputs[i] != 0) {
      return FAIL("op %lu (%s): unused input entry %lu must be 0, got %lu", (ul)index, name, (ul)i,
                  (ul)op->inputs[i]);
    }
  }
  if (op->output >= v->m.n_tensors) {
    return FAIL("op %lu (%s): output: tensor %lu, but n_tensors is %lu", (ul)index, name,
                (ul)op->output, (ul)v->m.n_tensors);
  }
  if (op->flags != 0 && !(op->type == PLQ_OP_AVGPOOL1D && v->m.scheme == PLRT_SCHEME_MAX78000 &&
                          (op->flags == PLQ_FLAG_POOL_ROUND_HALF_UP ||
                           (op->flags == PLQ_FLAG_POOL_TRUNCATE && v->version >= 2)))) {
    return FAIL(
        "op %lu (%s): flags %lu: a POW2 AVGPOOL1D may set bit 0 or (version 2) bit 1, "
        "nothing else may",
        (ul)index, name, (ul)op->flags);
  }
  if (op->type != PLQ_OP_CONV1D && op->pad != 0) {
    return FAIL("op %lu (%s): pad %lu: only CONV1D pads", (ul)index, name, (ul)op->pad);
  }
  if (op->act_min < -128 || op->act_min > op->act_max || op->act_max > 127) {
    return FAIL("op %lu (%s): clamp [%ld, %ld]: need -128 <= act_min <= act_max <= 127", (ul)index,
                name, (sl)op->act_min, (sl)op->act_max);
  }
  if (op->reserved0 != 0 || op->reserved1 != 0) {
    return FAIL("op %lu (%s): reserved fields must be 0", (ul)index, name);
  }
  if (op->type != PLQ_OP_ADD && op->left_shift != 0) {
    return FAIL("op %lu (%s): left_shift %ld: only a TFLITE ADD has one", (ul)index, name,
                (sl)op->left_shift);
  }
  if (op->type != PLQ_OP_CONV1D) {
    if (!check_array(v, index, op, "weights", op->weights, ARRAY_UNUSED, 0, 1) ||
        !check_array(v, index, op, "bias", op->bias, ARRAY_UNUSED, 0, 4) ||
        !check_array(v, index, op, "weight_scale", op->weight_scale, ARRAY_UNUSED, 0, 4)) {
      return 0;
    }
    if (op->type != PLQ_OP_ADD &&
        (!check_array(v, index, op, "multiplier", op->multiplier, ARRAY_UNUSED, 0, 4) ||
         !check_array(v, index, op, "shift", op->shift, ARRAY_UNUSED, 0, 4))) {
      return 0;
    }
  }
  {
    const plq_tensor out = tensor_at(v, op->output);
    for (i = 0; i < op->n_inputs; ++i) {
      const plq_tensor in = tensor_at(v, op->inputs[i]);
      if (ranges_overlap(&in, &out)) {
        return FAIL(
            "op %lu (%s): output tensor %lu (arena [%lu, %llu)) overlaps input %lu, "
            "tensor %lu (arena [%lu, %llu))",
            (ul)index, name, (ul)op->output, (ul)out.arena_offset,
            (ull)(out.arena_offset + tensor_bytes(&out)), (ul)i, (ul)op->inputs[i],
            (ul)in.arena_offset, (ull)(in.arena_offset + tensor_bytes(&in)));
      }
    }
  }
  return 1;
}

static int check_ops(verifier* v) {
  uint32_t i;
  for (i = 0; i < v->m.n_ops; ++i) {
    const plq_op op = plq_read_op(v->m.ops, i);
    int ok = check_op_common(v, i, &op);
    if (ok) {
      switch (op.type) {
        case PLQ_OP_CONV1D:
          ok = check_conv(v, i, &op);
          break;
        case PLQ_OP_AVGPOOL1D:
          ok = check_pool(v, i, &op);
          break;
        case PLQ_OP_ADD:
          ok = check_add(v, i, &op);
          break;
        case PLQ_OP_CONCAT:
          ok = check_concat(v, i, &op);
          break;
        case PLQ_OP_RELU:
          ok = check_relu(v, i, &op);
          break;
        default: /* check_op_common refused it already; never check it as anything else */
          ok = FAIL("op %lu: type: expected 1..5, got %lu", (ul)i, (ul)op.type);
          break;
      }
    }
    if (!ok) return 0;
  }
  return 1;
}

static uint32_t op_output(const verifier* v, uint32_t op) {
  return plq_u32(v->m.ops + (uint64_t)op * PLQ_OP_SIZE + 20);
}

/* Tensor `tensor`, read by op `reader` (n_ops for the graph output; `what` names the reader),
 * must still hold what its writer wrote: the last earlier op whose output it is (or, for the
 * graph input, the caller), with no op in between writing over its arena bytes. */
static int check_live(verifier* v, uint32_t reader, uint32_t tensor, const char* what) {
  const plq_tensor t = tensor_at(v, tensor);
  uint32_t writer = reader, p;
  while (writer > 0 && op_output(v, writer - 1) != tensor) --writer;
  if (writer == 0 && tensor != v->m.input_tensor) {
    return FAIL("%s (tensor %lu) is neither the graph input nor written by an earlier op", what,
                (ul)tensor);
  }
  for (p = writer; p < reader; ++p) { /* the ops after the writer, op writer - 1 */
    const plq_tensor o = tensor_at(v, op_output(v, p));
    if (ranges_overlap(&o, &t)) {
      return FAIL(
          "%s (tensor %lu, arena [%lu, %llu)) is overwritten by op %lu (tensor %lu) "
          "before it is read",
          what, (ul)tensor, (ul)t.arena_offset, (ull)(t.arena_offset + tensor_bytes(&t)), (ul)p,
          (ul)op_output(v, p));
    }
  }
  return 1;
}

static int check_dataflow(verifier* v) {
  uint32_t i, k;
  for (i = 0; i < v->m.n_ops; ++i) {
    const plq_op op = plq_read_op(v->m.ops, i);
    for (k = 0; k < op.n_inputs; ++k) {
      plrt_error what; /* the message's subject, formatted first */
      plrt_error_format(&what, "op %lu (%s): input %lu", (ul)i, op_name(op.type), (ul)k);
      if (!check_live(v, i, op.inputs[k], what.reason)) return 0;
    }
  }
  if (v->m.output_tensor == v->m.input_tensor) {
    return FAIL("output_tensor %lu is the graph input", (ul)v->m.output_tensor);
  }
  return check_live(v, v->m.n_ops, v->m.output_tensor, "the graph output");
}

static int host_is_little_endian(void) {
  const uint32_t one = 1;
  uint8_t first;
  memcpy(&first, &one, 1);
  return first == 1;
}

plrt_status plrt_model_init(plrt_model* model, const void* buffer, size_t size, plrt_error* error) {
  return plrt_model_init_ex(model, buffer, size, PLRT_MAX_ARENA_CHIP, error);
}

plrt_status plrt_model_init_ex(plrt_model* model, const void* buffer, size_t size,
                               uint32_t max_arena_bytes, plrt_error* error) {
  verifier verifier_state;
  verifier* v = &verifier_state;
  if (error != NULL) error->reason[0] = '\0';
  if (model == NULL || buffer == NULL) {
    plrt_error_format(error, "model and buffer must not be NULL");
    return PLRT_ERR_ARGUMENT;
  }
  memset(model, 0, sizeof *model);
  if (!host_is_little_endian()) {
    plrt_error_format(error, "this runtime needs a little-endian host (the file's byte order)");
    return PLRT_ERR_UNSUPPORTED;
  }
  if (((uintptr_t)buffer) % 4u != 0) {
    plrt_error_format(error, "buffer address is not 4-byte aligned");
    return PLRT_ERR_ARGUMENT;
  }
  memset(v, 0, sizeof *v);
  v->file = (const uint8_t*)buffer;
  v->size = size > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)size; /* file_size is a u32 */
  v->error = error;
  v->max_arena = max_arena_bytes;
  v->m.file = v->file;
  if (size > 0xFFFFFFFFu) {
    plrt_error_format(error, "buffer of more than 2^32 - 1 bytes");
    return PLRT_ERR_MODEL;
  }
  if (!check_header(v) || !check_sections(v) || !check_tensors(v) || !check_graph_io(v) ||
      !check_ops(v) || !check_dataflow(v)) {
    return PLRT_ERR_MODEL;
  }
  *model = v->m;
  return PLRT_OK;
}
