/* The CMSIS-NN comparison on an emulated Cortex-M (bench/run_cmsis_nn.sh runs it): one inference
 * of a .plq model with the optimised kernels, and at every kernel call of a TFLITE model the
 * matching CMSIS-NN kernel on the same operands (the same input tensor, weights, biases,
 * per-channel multipliers and shifts, zero points and clamps), each between instruction-count
 * marks (runtime/tools/insncount.h), its output checked byte for byte against ours.
 *
 *   CONV1D / pointwise -> arm_convolve_wrapper_s8 (2-D NHWC: H = 1, W = length; filter
 *                         [C_out][1][kernel][C_in], which is the .plq's [C_out][kernel][C_in])
 *   ADD                -> arm_elementwise_add_s8 (offsets are the negated input zero points)
 *   AVGPOOL1D          -> arm_avgpool_s8 (no padding, so CMSIS-NN divides by the kernel too)
 * CONCAT and RELU have no CMSIS-NN counterpart used by TFLite Micro here (TFLM's concatenation is
 * its own reference code; RELU is folded into the clamps of a TFLITE model), so they
 * (runtime/tools/insncount_wrap_rest.c) and the interpreter count the same for both. A POW2 model
 * (no CMSIS-NN equivalent: its requantisation is a power-of-two shift) runs our kernels only.
 *
 * The kernels are intercepted with the linker's --wrap (runtime/cmake/cmsis_nn_bench.cmake); the
 * per-layer record (which marks belong to which layer) is printed after the run, so printing
 * costs nothing between marks: "layer I OP C_in C_out KERNEL LENGTH MACS OURS_MARK PEER_MARK
 * EQUAL VARIANT". The CMSIS-NN buffer size queries run outside the counted sections, as TFLite
 * Micro calls them once when it prepares the model.
 *
 * Usage: plrt_cmsis_nn_layers MODEL.plq (a host path, read through semihosting). The input
 * window is a fixed synthetic signal (a sine per channel plus a pseudo-random term): instruction
 * counts of both libraries hardly depend on the values. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "insncount.h"
#include "insncount_wrap.h"
#include "plrt_model.h"
#include "plrt_ops.h"

enum {
  kMaxModelBytes = 512 * 1024,
  kMaxArenaBytes = 64 * 1024,
  kMaxScratchBytes = 32 * 1024,
  kMaxLayers = 128
};

static uint32_t g_model_file[kMaxModelBytes / 4]; /* 4-byte aligned, as plrt_model_init requires */
static uint32_t g_arena[kMaxArenaBytes / 4];
static int8_t g_peer_out[kMaxArenaBytes];
static uint32_t g_scratch[kMaxScratchBytes / 4];

typedef enum variant {
  kOursOnly = 0,
  kConv1x1Fast,
  kConv1x1,
  kConv1xN,
  kConvGeneric,
  kAdd,
  kAvgPool,
  kPeerFailed
} variant;
static const char* const kVariantNames[] = {"-",
                                            "arm_convolve_1x1_s8_fast",
                                            "arm_convolve_1x1_s8",
                                            "arm_convolve_1_x_n_s8",
                                            "arm_convolve_s8",
                                            "arm_elementwise_add_s8",
                                            "arm_avgpool_s8",
                                            "failed"};

typedef struct layer_record {
  const char* op;
  uint32_t c_in, c_out, kernel, length;
  uint32_t macs;
  long ours_mark, peer_mark; /* index of the mark that starts the section, or -1 */
  int equal;                 /* 1: CMSIS-NN's output equals ours byte for byte */
  variant peer;
} layer_record;

static layer_record g_layers[kMaxLayers];
static int g_n_layers;
static int g_tflite; /* the model's scheme is TFLITE: run the peer too */

/* Every section boundary of this file is this same call, so the calibration section's count is
 * their overhead; returns the mark's index. */
static long mark(int label) {
  const long index = plrt_insn_marks();
  plrt_insn_mark(label);
  return index;
}

static layer_record* new_layer(const char* op) {
  layer_record* l = &g_layers[g_n_layers < kMaxLayers ? g_n_layers++ : kMaxLayers - 1];
  memset(l, 0, sizeof *l);
  l->op = op;
  l->ours_mark = l->peer_mark = -1;
  return l;
}

/* ---- convolutions ---- */

typedef void conv_fn(const plrt_conv_params*, const plrt_requant*, const plrt_dims*, const int8_t*,
                     const int8_t*, const int32_t*, const plrt_dims*, int8_t*);

static variant conv_variant(const cmsis_nn_conv_params* cp, const cmsis_nn_dims* in,
                            const cmsis_nn_dims* filter) {
  if (arm_nn_is_convolve_1x1(cp, in, filter)) {
    return arm_nn_is_convolve_1x1_fast(cp) ? kConv1x1Fast : kConv1x1;
  }
  return arm_nn_is_convolve_1_x_n(cp, in, filter) ? kConv1xN : kConvGeneric;
}

static void conv_layer(const char* op, conv_fn* ours, const plrt_conv_params* p,
                       const plrt_requant* q, const plrt_dims* in_dims, const int8_t* in,
                       const int8_t* w, const int32_t* b, const plrt_dims* out_dims, int8_t* out) {
  layer_record* l = new_layer(op);
  const size_t out_bytes = (size_t)out_dims->channels * out_dims->length;
  l->c_in = in_dims->channels, l->c_out = out_dims->channels;
  l->kernel = p->kernel, l->length = out_dims->length;
  l->macs = l->c_in * l->c_out * l->kernel * l->length;
  l->ours_mark = mark(p->kernel == 1 ? PLRT_INSN_POINTWISE : PLRT_INSN_CONV1D);
  ours(p, q, in_dims, in, w, b, out_dims, out);
  if (g_tflite && out_bytes <= sizeof g_peer_out) {
    cmsis_nn_conv_params cp;
    cmsis_nn_per_channel_quant_params qp;
    const cmsis_nn_dims idims = {1, 1, (int32_t)in_dims->length, (int32_t)in_dims->channels};
    const cmsis_nn_dims fdims = {(int32_t)out_dims->channels, 1, (int32_t)p->kernel,
                                 (int32_t)in_dims->channels};
    const cmsis_nn_dims bdims = {1, 1, 1, (int32_t)out_dims->channels};
    const cmsis_nn_dims odims = {1, 1, (int32_t)out_dims->length, (int32_t)out_dims->channels};
    cmsis_nn_context ctx;
    int32_t need;
    arm_cmsis_nn_status status = ARM_CMSIS_NN_ARG_ERROR;
    memset(&cp, 0, sizeof cp);
    cp.input_offset = -p->input_zero_point;
    cp.output_offset = q->output_zero_point;
    cp.stride.w = cp.stride.h = 1;
    cp.padding.w = (int32_t)p->pad;
    cp.dilation.w = cp.dilation.h = 1;
    cp.activation.min = q->act_min, cp.activation.max = q->act_max;
    qp.multiplier = (int32_t*)q->multiplier; /* CMSIS-NN's API is not const, it only reads */
    qp.shift = (int32_t*)q->shift;
    need = arm_convolve_wrapper_s8_get_buffer_size(&cp, &idims, &fdims, &odims);
    ctx.buf = g_scratch, ctx.size = need;
    l->peer = conv_variant(&cp, &idims, &fdims);
    if (need <= (int32_t)sizeof g_scratch) {
      l->peer_mark = mark(PLRT_INSN_PEER);
      status = arm_convolve_wrapper_s8(&ctx, &cp, &qp, &idims, in, &fdims, w, &bdims, b, &odims,
                                       g_peer_out);
      mark(PLRT_INSN_OTHER);
    }
    if (status != ARM_CMSIS_NN_SUCCESS) l->peer = kPeerFailed;
    l->equal = status == ARM_CMSIS_NN_SUCCESS && memcmp(g_peer_out, out, out_bytes) == 0;
  }
  mark(PLRT_INSN_INTERPRETER);
}

void __wrap_plrt_conv1d_s8(const plrt_conv_params* p, const plrt_requant* q,
                           const plrt_dims* in_dims, const int8_t* in, const int8_t* w,
                           const int32_t* b, const plrt_dims* out_dims, int8_t* out) {
  conv_layer("conv1d", __real_plrt_conv1d_s8, p, q, in_dims, in, w, b, out_dims, out);
}

void __wrap_plrt_pointwise_conv_s8(const plrt_conv_params* p, const plrt_requant* q,
                                   const plrt_dims* in_dims, const int8_t* in, const int8_t* w,
                                   const int32_t* b, const plrt_dims* out_dims, int8_t* out) {
  conv_layer("pointwise", __real_plrt_pointwise_conv_s8, p, q, in_dims, in, w, b, out_dims, out);
}

/* ---- add ---- */

void __wrap_plrt_add_s8(const plrt_add_params* p, size_t n, const int8_t* a, const int8_t* b,
                        int8_t* out) {
  layer_record* l = new_layer("add");
  l->c_in = l->c_out = (uint32_t)n, l->kernel = l->length = 1;
  l->ours_mark = mark(PLRT_INSN_ADD);
  __real_plrt_add_s8(p, n, a, b, out);
  if (g_tflite && n <= sizeof g_peer_out) {
    arm_cmsis_nn_status status;
    l->peer = kAdd;
    l->peer_mark = mark(PLRT_INSN_PEER);
    status = arm_elementwise_add_s8(
        a, b, -p->input_zero_point[0], p->multiplier[0], p->shift[0], -p->input_zero_point[1],
        p->multiplier[1], p->shift[1], p->left_shift, g_peer_out, p->output_zero_point,
        p->multiplier[2], p->shift[2], p->act_min, p->act_max, (int32_t)n);
    mark(PLRT_INSN_OTHER);
    if (status != ARM_CMSIS_NN_SUCCESS) l->peer = kPeerFailed;
    l->equal = status == ARM_CMSIS_NN_SUCCESS && memcmp(g_peer_out, out, n) == 0;
  }
  mark(PLRT_INSN_INTERPRETER);
}

/* ---- average pool ---- */

void __wrap_plrt_avgpool1d_s8(const plrt_pool_params* p, const plrt_dims* in_dims, const int8_t* in,
                              const plrt_dims* out_dims, int8_t* out) {
  layer_record* l = new_layer("avgpool");
  const size_t out_bytes = (size_t)out_dims->channels * out_dims->length;
  l->c_in = in_dims->channels, l->c_out = out_dims->channels;
  l->kernel = p->kernel, l->length = out_dims->length;
  l->ours_mark = mark(PLRT_INSN_AVGPOOL);
  __real_plrt_avgpool1d_s8(p, in_dims, in, out_dims, out);
  if (g_tflite && out_bytes <= sizeof g_peer_out) {
    cmsis_nn_pool_params pp;
    const cmsis_nn_dims idims = {1, 1, (int32_t)in_dims->length, (int32_t)in_dims->channels};
    const cmsis_nn_dims fdims = {1, 1, (int32_t)p->kernel, 1};
    const cmsis_nn_dims odims = {1, 1, (int32_t)out_dims->length, (int32_t)out_dims->channels};
    cmsis_nn_context ctx;
    const int32_t need =
        arm_avgpool_s8_get_buffer_size((int)out_dims->length, (int)in_dims->channels);
    arm_cmsis_nn_status status = ARM_CMSIS_NN_ARG_ERROR;
    memset(&pp, 0, sizeof pp);
    pp.stride.w = (int32_t)p->stride, pp.stride.h = 1;
    pp.activation.min = p->act_min, pp.activation.max = p->act_max;
    ctx.buf = g_scratch, ctx.size = need;
    l->peer = kAvgPool;
    if (need <= (int32_t)sizeof g_scratch) {
      l->peer_mark = mark(PLRT_INSN_PEER);
      status = arm_avgpool_s8(&ctx, &pp, &idims, in, &fdims, &odims, g_peer_out);
      mark(PLRT_INSN_OTHER);
    }
    if (status != ARM_CMSIS_NN_SUCCESS) l->peer = kPeerFailed;
    l->equal = status == ARM_CMSIS_NN_SUCCESS && memcmp(g_peer_out, out, out_bytes) == 0;
  }
  mark(PLRT_INSN_INTERPRETER);
}

/* ---- the run ---- */

static long read_model(const char* path) {
  FILE* f = fopen(path, "rb");
  size_t n;
  int more;
  if (f == NULL) {
    fprintf(stderr, "plrt_cmsis_nn_layers: cannot open %s\n", path);
    return -1;
  }
  n = fread(g_model_file, 1, sizeof g_model_file, f);
  more = fgetc(f) != EOF;
  fclose(f);
  if (more) {
    fprintf(stderr, "plrt_cmsis_nn_layers: %s is larger than %d bytes\n", path, kMaxModelBytes);
    return -1;
  }
  return (long)n;
}

/* The synthetic window: channel-first floats, a sine per channel plus a small pseudo-random term
 * from a 32-bit LCG. */
static void fill_input(const plrt_model* model, int8_t* input) {
  static float x[kMaxArenaBytes]; /* the input is part of the arena */
  const uint32_t channels = plrt_input_channels(model), length = plrt_input_length(model);
  uint32_t state = 12345u, c, t;
  for (c = 0; c < channels; ++c) {
    for (t = 0; t < length; ++t) {
      float s = (float)((t * (c + 3)) % 64) / 32.0f - 1.0f; /* a triangle wave in [-1, 1) */
      state = state * 1664525u + 1013904223u;
      s = (s < 0.0f ? -s : s) * 1.5f - 0.75f + (float)(state >> 24) / 1024.0f;
      x[c * length + t] = s;
    }
  }
  plrt_quantize_input(model, x, input);
}

int main(int argc, char** argv) {
  static plrt_model model;
  plrt_error error;
  long size;
  int i, unequal = 0;
  if (argc != 2) {
    fprintf(stderr, "usage: plrt_cmsis_nn_layers MODEL.plq\n");
    return 2;
  }
  size = read_model(argv[1]);
  if (size < 0) return 3;
  if (plrt_model_init(&model, g_model_file, (size_t)size, &error) != PLRT_OK) {
    fprintf(stderr, "plrt_cmsis_nn_layers: %s: %s\n", argv[1], error.reason);
    return 3;
  }
  if (plrt_model_arena_size(&model) > sizeof g_arena ||
      (size_t)plrt_input_channels(&model) * plrt_input_length(&model) > kMaxArenaBytes) {
    fprintf(stderr, "plrt_cmsis_nn_layers: %s: arena or input larger than this program's\n",
            argv[1]);
    return 3;
  }
  g_tflite = plrt_model_scheme(&model) == PLRT_SCHEME_TFLITE;
  fill_input(&model, plrt_input(&model, g_arena));
  mark(PLRT_INSN_CALIBRATE);
  mark(PLRT_INSN_INTERPRETER); /* plrt_invoke's own work until the first kernel */
  if (plrt_invoke(&model, g_arena, sizeof g_arena, PLRT_KERNELS_OPTIMIZED) != PLRT_OK) {
    fprintf(stderr, "plrt_cmsis_nn_layers: plrt_invoke failed\n");
    return 1;
  }
  mark(PLRT_INSN_END);
  printf("model %s scheme %s macs %lu layers %d\n", argv[1], g_tflite ? "tflite" : "pow2",
         (unsigned long)plrt_model_macs(&model), g_n_layers);
  for (i = 0; i < g_n_layers; ++i) {
    const layer_record* l = &g_layers[i];
    printf("layer %d %s %u %u %u %u %lu %ld %ld %d %s\n", i, l->op, (unsigned)l->c_in,
           (unsigned)l->c_out, (unsigned)l->kernel, (unsigned)l->length, (unsigned long)l->macs,
           l->ours_mark, l->peer_mark, l->equal, kVariantNames[l->peer]);
    unequal += g_tflite && !l->equal;
  }
  plrt_insn_report();
  if (g_n_layers >= kMaxLayers) {
    fprintf(stderr, "plrt_cmsis_nn_layers: more than %d layers\n", kMaxLayers);
    return 1;
  }
  if (unequal > 0) {
    fprintf(stderr, "plrt_cmsis_nn_layers: %d layers where CMSIS-NN's output differs\n", unequal);
    return 1;
  }
  return 0;
}
