/* plrt_invoke: runs the op table of a verified model in order, with the reference or the
 * optimised kernels. Everything here trusts the verifier (verify.c): indices are in range,
 * arrays lie inside the data section and are 4-aligned, shapes match each op's rule. */
#include "interpreter_internal.h"
#include "plq_format.h"
#include "plrt_model.h"
#include "plrt_ops.h"

typedef void (*conv_fn)(const plrt_conv_params*, const plrt_requant*, const plrt_dims*,
                        const int8_t*, const int8_t*, const int32_t*, const plrt_dims*, int8_t*);
typedef void (*pool_fn)(const plrt_pool_params*, const plrt_dims*, const int8_t*, const plrt_dims*,
                        int8_t*);
typedef void (*add_fn)(const plrt_add_params*, size_t, const int8_t*, const int8_t*, int8_t*);
typedef void (*concat_fn)(uint32_t, const plrt_dims*, const int8_t* const*, const plrt_dims*,
                          int8_t*);
typedef void (*relu_fn)(const plrt_relu_params*, size_t, const int8_t*, int8_t*);

typedef struct kernel_set {
  conv_fn conv1d;
  conv_fn pointwise;
  pool_fn avgpool;
  add_fn add;
  concat_fn concat;
  relu_fn relu;
} kernel_set;

/* Read-only tables (no mutable state): one per plrt_kernels value. */
static const kernel_set kReference = {plrt_conv1d_s8_ref,    plrt_pointwise_conv_s8_ref,
                                      plrt_avgpool1d_s8_ref, plrt_add_s8_ref,
                                      plrt_concat_s8_ref,    plrt_relu_s8_ref};
static const kernel_set kOptimized = {plrt_conv1d_s8, plrt_pointwise_conv_s8, plrt_avgpool1d_s8,
                                      plrt_add_s8,    plrt_concat_s8,         plrt_relu_s8};

typedef struct tensor_ref {
  plrt_dims dims;
  int32_t zero_point;
  int8_t* data;
} tensor_ref;

static tensor_ref tensor_in_arena(const plrt_model* m, uint32_t index, int8_t* arena) {
  const plq_tensor t = plq_read_tensor(m->tensors, index);
  tensor_ref r;
  r.dims.channels = t.channels;
  r.dims.length = t.length;
  r.zero_point = t.zero_point;
  r.data = arena + t.arena_offset;
  return r;
}

/* An int32 array of the data section (the verifier checked it is inside and 4-aligned). */
static const int32_t* data_i32(const plrt_model* m, uint32_t offset) {
  return offset == PLQ_NONE ? NULL : (const int32_t*)(const void*)(m->data + offset);
}

/* `scratch` non-NULL: the optimised convolution with its working memory there. */
static void run_conv(const plrt_model* m, const plq_op* op, int8_t* arena, const kernel_set* k,
                     void* scratch) {
  const tensor_ref in = tensor_in_arena(m, op->inputs[0], arena);
  const tensor_ref out = tensor_in_arena(m, op->output, arena);
  plrt_conv_params params;
  plrt_requant quant;
  params.kernel = op->kernel;
  params.pad = op->pad;
  params.input_zero_point = in.zero_point;
  quant.mode = (plrt_requant_mode)op->requant;
  quant.multiplier = data_i32(m, op->multiplier);
  quant.shift = data_i32(m, op->shift);
  quant.output_zero_point = out.zero_point;
  quant.act_min = op->act_min;
  quant.act_max = op->act_max;
  if (scratch != NULL) {
    plrt_conv1d_s8_scratch(&params, &quant, &in.dims, in.data,
                           (const int8_t*)(m->data + op->weights), data_i32(m, op->bias), &out.dims,
                           out.data, scratch);
    return;
  }
  (op->kernel == 1 ? k->pointwise : k->conv1d)(&params, &quant, &in.dims, in.data,
                                               (const int8_t*)(m->data + op->weights),
                                               data_i32(m, op->bias), &out.dims, out.data);
}

static void run_pool(const plrt_model* m, const plq_op* op, int8_t* arena, const kernel_set* k) {
  const tensor_ref in = tensor_in_arena(m, op->inputs[0], arena);
  const tensor_ref out = tensor_in_arena(m, op->output, arena);
  plrt_pool_params params;
  params.kernel = op->kernel;
  params.stride = op->stride;
  params.rounding = op->requant == PLRT_REQUANT_TFLITE        ? PLRT_POOL_ROUNDING_HALF_AWAY
                    : op->flags & PLQ_FLAG_POOL_ROUND_HALF_UP ? PLRT_POOL_ROUNDING_HALF_UP
                    : op->flags & PLQ_FLAG_POOL_TRUNCATE      ? PLRT_POOL_ROUNDING_TRUNCATE
                                                              : PLRT_POOL_ROUNDING_FLOOR;
  params.act_min = op->act_min;
  params.act_max = op->act_max;
  k->avgpool(&params, &in.dims, in.data, &out.dims, out.data);
}

static void run_add(const plrt_model* m, const plq_op* op, int8_t* arena, const kernel_set* k) {
  const tensor_ref a = tensor_in_arena(m, op->inputs[0], arena);
  const tensor_ref b = tensor_in_arena(m, op->inputs[1], arena);
  const tensor_ref out = tensor_in_arena(m, op->output, arena);
  plrt_add_params params;
  int i;
  params.mode = (plrt_requant_mode)op->requant;
  params.input_zero_point[0] = a.zero_point;
  params.input_zero_point[1] = b.zero_point;
  params.output_zero_point = out.zero_point;
  for (i = 0; i < 3; ++i) {
    const int tflite = op->requant == PLRT_REQUANT_TFLITE;
    params.multiplier[i] = tflite ? plq_i32(m->data + op->multiplier + 4 * i) : 0;
    params.shift[i] = tflite ? plq_i32(m->data + op->shift + 4 * i) : 0;
  }
  params.left_shift = op->left_shift;
  params.act_min = op->act_min;
  params.act_max = op->act_max;
  k->add(&params, (size_t)out.dims.channels * out.dims.length, a.data, b.data, out.data);
}

static void run_concat(const plrt_model* m, const plq_op* op, int8_t* arena, const kernel_set* k) {
  const tensor_ref out = tensor_in_arena(m, op->output, arena);
  plrt_dims dims[PLQ_MAX_INPUTS];
  const int8_t* data[PLQ_MAX_INPUTS];
  uint32_t i;
  for (i = 0; i < op->n_inputs; ++i) {
    const tensor_ref in = tensor_in_arena(m, op->inputs[i], arena);
    dims[i] = in.dims;
    data[i] = in.data;
  }
  k->concat(op->n_inputs, dims, data, &out.dims, out.data);
}

static void run_relu(const plrt_model* m, const plq_op* op, int8_t* arena, const kernel_set* k) {
  const tensor_ref in = tensor_in_arena(m, op->inputs[0], arena);
  const tensor_ref out = tensor_in_arena(m, op->output, arena);
  plrt_relu_params params;
  params.zero_point = in.zero_point;
  params.act_min = op->act_min;
  params.act_max = op->act_max;
  k->relu(&params, (size_t)in.dims.channels * in.dims.length, in.data, out.data);
}

size_t plrt_model_scratch_size(const plrt_model* model) {
  size_t most = 0;
  uint32_t i;
  if (model == NULL || model->file == NULL) return 0;
  for (i = 0; i < model->n_ops; ++i) {
    const plq_op op = plq_read_op(model->ops, i);
    if (op.type == PLQ_OP_CONV1D) {
      const plq_tensor in = plq_read_tensor(model->tensors, op.inputs[0]);
      const plq_tensor out = plq_read_tensor(model->tensors, op.output);
      plrt_conv_params params;
      plrt_dims in_dims, out_dims;
      size_t bytes;
      params.kernel = op.kernel;
      params.pad = op.pad;
      params.input_zero_point = in.zero_point;
      in_dims.channels = in.channels, in_dims.length = in.length;
      out_dims.channels = out.channels, out_dims.length = out.length;
      bytes = plrt_conv1d_s8_scratch_size(&params, &in_dims, &out_dims);
      if (bytes > most) most = bytes;
    }
  }
  return most;
}

/* plrt_invoke, with the optimised convolutions' scratch when `scratch` is not NULL. */
static plrt_status invoke(const plrt_model* model, void* arena, size_t arena_size,
                          plrt_kernels kernels, void* scratch) {
  const kernel_set* k;
  uint32_t i;
  if (model == NULL || model->file == NULL || arena == NULL) return PLRT_ERR_ARGUMENT;
  if (kernels == PLRT_KERNELS_REFERENCE) {
    k = &kReference;
    scratch = NULL; /* the reference kernels need none */
  } else if (kernels == PLRT_KERNELS_OPTIMIZED) {
    k = &kOptimized;
  } else {
    return PLRT_ERR_ARGUMENT;
  }
  if (arena_size < model->arena_size) return PLRT_ERR_ARENA;
  for (i = 0; i < model->n_ops; ++i) {
    const plq_op op = plq_read_op(model->ops, i);
    switch (op.type) {
      case PLQ_OP_CONV1D:
        run_conv(model, &op, (int8_t*)arena, k, scratch);
        break;
      case PLQ_OP_AVGPOOL1D:
        run_pool(model, &op, (int8_t*)arena, k);
        break;
      case PLQ_OP_ADD:
        run_add(model, &op, (int8_t*)arena, k);
        break;
      case PLQ_OP_CONCAT:
        run_concat(model, &op, (int8_t*)arena, k);
        break;
      case PLQ_OP_RELU:
        run_relu(model, &op, (int8_t*)arena, k);
        break;
      default:
        /* The verifier refuses unknown types; a model struct changed after plrt_model_init
         * must not run them as anything. */
        return PLRT_ERR_MODEL;
    }
  }
  return PLRT_OK;
}

plrt_status plrt_invoke(const plrt_model* model, void* arena, size_t arena_size,
                        plrt_kernels kernels) {
  return invoke(model, arena, arena_size, kernels, NULL);
}

plrt_status plrt_invoke_scratch(const plrt_model* model, void* arena, size_t arena_size,
                                plrt_kernels kernels, void* scratch, size_t scratch_size) {
  if (kernels == PLRT_KERNELS_OPTIMIZED) {
    const size_t need = plrt_model_scratch_size(model);
    if (need > 0 && scratch == NULL) return PLRT_ERR_ARGUMENT;
    if (scratch_size < need) return PLRT_ERR_ARENA;
    if (need == 0) scratch = NULL; /* this build's kernels take none: the plain entry points */
  }
  return invoke(model, arena, arena_size, kernels, scratch);
}

plrt_status plrt_invoke_prechecked_scratch(const plrt_model* model, void* arena, size_t arena_size,
                                           void* scratch) {
  return invoke(model, arena, arena_size, PLRT_KERNELS_OPTIMIZED, scratch);
}

plrt_status plrt_output_accumulators(const plrt_model* model, const void* arena, int32_t* acc) {
  plq_op op;
  plq_tensor in, out;
  const int8_t* x_all;
  const int8_t* w;
  const int32_t* bias;
  uint32_t t, o, k, c;
  if (model == NULL || model->file == NULL || arena == NULL || acc == NULL || model->n_ops == 0) {
    return PLRT_ERR_ARGUMENT;
  }
  op = plq_read_op(model->ops, model->n_ops - 1);
  if (op.type != PLQ_OP_CONV1D || op.output != model->output_tensor) return PLRT_ERR_ARGUMENT;
  in = plq_read_tensor(model->tensors, op.inputs[0]);
  out = plq_read_tensor(model->tensors, op.output);
  x_all = (const int8_t*)arena + in.arena_offset;
  w = (const int8_t*)(model->data + op.weights);
  bias = data_i32(model, op.bias);
  for (t = 0; t < out.length; ++t) {
    for (o = 0; o < out.channels; ++o) {
      int32_t sum = bias != NULL ? bias[o] : 0;
      for (k = 0; k < op.kernel; ++k) {
        const int64_t at = (int64_t)t + k - op.pad;
        const int8_t* x;
        const int8_t* wk;
        if (at < 0 || at >= (int64_t)in.length) continue;
        x = x_all + (size_t)at * in.channels;
        wk = w + ((size_t)o * op.kernel + k) * in.channels;
        for (c = 0; c < in.channels; ++c) sum += wk[c] * (x[c] - in.zero_point);
      }
      acc[(size_t)t * out.channels + o] = sum;
    }
  }
  return PLRT_OK;
}
