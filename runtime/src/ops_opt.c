/* Optimised kernels, bit-identical to ops_ref.c (runtime/tests/ops_opt_test.c checks it).
 *
 * Convolution as a tiled matrix product. In channel-last layout the kernel window of output
 * step t is one contiguous run of the input: bytes [(t - pad) * C_in, (t - pad + kernel) * C_in),
 * with positions outside [0, L_in * C_in) standing for the zero padding. So every conv (1x1 or
 * k > 1) is out[t][o] = dot(window(t), w[o]) over n = kernel * C_in elements, and w[o] is
 * contiguous too ([C_out][kernel][C_in]).
 *   - A tile of TILE_T windows is copied once to the stack as int16 (x - zx, 0 in the padding),
 *     as CMSIS-NN's im2col does: the zero point and the padding then cost nothing in the inner
 *     loop, and int16 x int8 products vectorise well (pmaddwd on x86, SMLAD/VMLADAV on Arm).
 *   - Each tile is multiplied by TILE_O weight rows at a time into TILE_T x TILE_O int32
 *     accumulators: every loaded window element is used TILE_O times and every weight TILE_T
 *     times, instead of twice per multiply-accumulate in the reference.
 *   - The inner loop runs over contiguous elements with no branch, so GCC and Clang vectorise it
 *     at -O3 (GCC 12 at -O2 does not).
 * Windows longer than PLRT_OPT_CHUNK elements are processed in chunks (the accumulators persist
 * across chunks; the tile is then reloaded per weight-row block). */
#include <string.h>

#include "plrt_fixed_point.h"
#include "plrt_ops.h"

#ifndef PLRT_OPT_CHUNK
#define PLRT_OPT_CHUNK 512 /* int16 elements per window row on the stack: 4 rows x 1 KiB */
#endif
#define TILE_T 4
#define TILE_O 4

/* Columns [j0, j0 + n) of the windows of output steps t0 .. t0 + rows - 1, as int16 x - zx (0
 * where the window lies in the padding); rows >= `rows` are zero. */
static void load_windows(const plrt_conv_params* params, const plrt_dims* in_dims, const int8_t* in,
                         uint32_t t0, uint32_t rows, size_t j0, size_t n,
                         int16_t tile[TILE_T][PLRT_OPT_CHUNK]) {
  const int64_t total = (int64_t)in_dims->length * in_dims->channels;
  const int16_t zx = (int16_t)params->input_zero_point;
  uint32_t r;
  for (r = 0; r < TILE_T; ++r) {
    int16_t* dst = tile[r];
    /* flat input index of column j0 */
    const int64_t first = ((int64_t)t0 + r - params->pad) * in_dims->channels + (int64_t)j0;
    int64_t lead = 0, copy = 0;
    size_t j;
    if (r < rows) {
      lead = first < 0 ? (-first < (int64_t)n ? -first : (int64_t)n) : 0;
      copy = total - (first + lead);
      if (copy > (int64_t)n - lead) copy = (int64_t)n - lead;
      if (copy < 0) copy = 0;
    }
    for (j = 0; j < (size_t)lead; ++j) dst[j] = 0;
    if (copy > 0) {
      const int8_t* src = in + (first + lead);
      int16_t* d = dst + lead;
      for (j = 0; j < (size_t)copy; ++j) d[j] = (int16_t)(src[j] - zx);
    }
    for (j = (size_t)(lead + copy); j < n; ++j) dst[j] = 0;
  }
}

/* acc[r][o] += sum_j tile[r][j] * w[o][j], j < n: the hot loop. */
static void dot_tile(const int16_t tile[TILE_T][PLRT_OPT_CHUNK], const int8_t* const w[TILE_O],
                     size_t n, int32_t acc[TILE_T][TILE_O]) {
  int32_t a[TILE_T][TILE_O];
  size_t j;
  int r, o;
  for (r = 0; r < TILE_T; ++r) {
    for (o = 0; o < TILE_O; ++o) a[r][o] = 0;
  }
  for (j = 0; j < n; ++j) {
    for (r = 0; r < TILE_T; ++r) {
      for (o = 0; o < TILE_O; ++o) a[r][o] += tile[r][j] * w[o][j];
    }
  }
  for (r = 0; r < TILE_T; ++r) {
    for (o = 0; o < TILE_O; ++o) acc[r][o] += a[r][o];
  }
}

static void store_tile(const plrt_requant* quant, const int32_t* bias, uint32_t c_out, uint32_t t0,
                       uint32_t rows, uint32_t o0, uint32_t cols, int32_t acc[TILE_T][TILE_O],
                       int8_t* out) {
  uint32_t r, o;
  for (r = 0; r < rows; ++r) {
    int8_t* y = out + (size_t)(t0 + r) * c_out + o0;
    for (o = 0; o < cols; ++o) {
      const uint32_t oc = o0 + o;
      const int32_t v = acc[r][o] + (bias != NULL ? bias[oc] : 0);
      y[o] = quant->mode == PLRT_REQUANT_POW2
                 ? plrt_requantize_pow2(v, quant->shift[oc], quant->output_zero_point,
                                        quant->act_min, quant->act_max)
                 : plrt_requantize_tflite(v, quant->multiplier[oc], quant->shift[oc],
                                          quant->output_zero_point, quant->act_min, quant->act_max);
    }
  }
}

static void conv_tiled(const plrt_conv_params* params, const plrt_requant* quant,
                       const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                       const int32_t* bias, const plrt_dims* out_dims, int8_t* out) {
  const size_t n = (size_t)params->kernel * in_dims->channels; /* window length */
  const uint32_t c_out = out_dims->channels;
  const int chunked = n > PLRT_OPT_CHUNK;
  int16_t tile[TILE_T][PLRT_OPT_CHUNK];
  uint32_t t0, o0;
  for (t0 = 0; t0 < out_dims->length; t0 += TILE_T) {
    const uint32_t rows = out_dims->length - t0 < TILE_T ? out_dims->length - t0 : TILE_T;
    if (!chunked) load_windows(params, in_dims, in, t0, rows, 0, n, tile);
    for (o0 = 0; o0 < c_out; o0 += TILE_O) {
      const uint32_t cols = c_out - o0 < TILE_O ? c_out - o0 : TILE_O;
      int32_t acc[TILE_T][TILE_O] = {{0}};
      const int8_t* w[TILE_O];
      size_t j0;
      uint32_t o;
      for (j0 = 0; j0 < n; j0 += PLRT_OPT_CHUNK) {
        const size_t len = n - j0 < PLRT_OPT_CHUNK ? n - j0 : PLRT_OPT_CHUNK;
        if (chunked) load_windows(params, in_dims, in, t0, rows, j0, len, tile);
        /* a partial block repeats its last row; the extra sums are not stored */
        for (o = 0; o < TILE_O; ++o)
          w[o] = weights + (size_t)(o0 + (o < cols ? o : cols - 1)) * n + j0;
        dot_tile((const int16_t(*)[PLRT_OPT_CHUNK])tile, w, len, acc);
      }
      store_tile(quant, bias, c_out, t0, rows, o0, cols, acc, out);
    }
  }
}

void plrt_conv1d_s8(const plrt_conv_params* params, const plrt_requant* quant,
                    const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                    const int32_t* bias, const plrt_dims* out_dims, int8_t* out) {
  conv_tiled(params, quant, in_dims, in, weights, bias, out_dims, out);
}

/* The 1x1 case needs nothing special: its windows are the input rows (no padding). */
void plrt_pointwise_conv_s8(const plrt_conv_params* params, const plrt_requant* quant,
                            const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                            const int32_t* bias, const plrt_dims* out_dims, int8_t* out) {
  conv_tiled(params, quant, in_dims, in, weights, bias, out_dims, out);
}

#define POOL_CHANNELS 64 /* channel block of the pooling sums */

/* Sums a block of channels over the kernel rows (contiguous, vectorised), then divides. */
void plrt_avgpool1d_s8(const plrt_pool_params* params, const plrt_dims* in_dims, const int8_t* in,
                       const plrt_dims* out_dims, int8_t* out) {
  const size_t channels = in_dims->channels;
  const int32_t n = (int32_t)params->kernel;
  size_t t, c0, c, k;
  for (t = 0; t < out_dims->length; ++t) {
    const int8_t* window = in + t * params->stride * channels;
    for (c0 = 0; c0 < channels; c0 += POOL_CHANNELS) {
      const size_t width = channels - c0 < POOL_CHANNELS ? channels - c0 : POOL_CHANNELS;
      int32_t sums[POOL_CHANNELS] = {0};
      for (k = 0; k < params->kernel; ++k) {
        const int8_t* row = window + k * channels + c0;
        for (c = 0; c < width; ++c) sums[c] += row[c];
      }
      for (c = 0; c < width; ++c) {
        out[t * channels + c0 + c] = plrt_clamp_i8(plrt_pool_mean(sums[c], n, params->rounding),
                                                   params->act_min, params->act_max);
      }
    }
  }
}

/* POW2 is a saturating int8 add (vectorised). TFLITE rescales each input through a 256-entry
 * table of its MBQM (a function of the int8 value alone), leaving one MBQM per element. */
void plrt_add_s8(const plrt_add_params* params, size_t count, const int8_t* in0, const int8_t* in1,
                 int8_t* out) {
  size_t i;
  if (params->mode == PLRT_REQUANT_POW2) {
    const int32_t lo = params->act_min, hi = params->act_max;
    for (i = 0; i < count; ++i) {
      const int32_t s = in0[i] + in1[i];
      out[i] = (int8_t)(s < lo ? lo : (s > hi ? hi : s));
    }
  } else {
    int32_t table[2][256];
    int32_t q, side;
    for (side = 0; side < 2; ++side) {
      for (q = -128; q < 128; ++q) {
        table[side][q + 128] = plrt_multiply_by_quantized_multiplier(
            (q - params->input_zero_point[side]) * (1 << params->left_shift),
            params->multiplier[side], params->shift[side]);
      }
    }
    for (i = 0; i < count; ++i) {
      const int64_t sum = (int64_t)table[0][in0[i] + 128] + table[1][in1[i] + 128];
      out[i] =
          plrt_requantize_tflite(plrt_saturate_i32(sum), params->multiplier[2], params->shift[2],
                                 params->output_zero_point, params->act_min, params->act_max);
    }
  }
}

/* One memcpy per input per time step (channel-last rows). */
void plrt_concat_s8(uint32_t n_inputs, const plrt_dims* in_dims, const int8_t* const* in,
                    const plrt_dims* out_dims, int8_t* out) {
  size_t t;
  uint32_t i;
  for (t = 0; t < out_dims->length; ++t) {
    int8_t* dst = out + t * out_dims->channels;
    for (i = 0; i < n_inputs; ++i) {
      memcpy(dst, in[i] + t * in_dims[i].channels, in_dims[i].channels);
      dst += in_dims[i].channels;
    }
  }
}

/* max(x, zero_point) then the clamp fold into one int8 clamp to [max(zp, act_min), act_max]
 * (or the single value act_max when that range is empty), which vectorises. */
void plrt_relu_s8(const plrt_relu_params* params, size_t count, const int8_t* in, int8_t* out) {
  const int32_t floor_value =
      params->zero_point > params->act_min ? params->zero_point : params->act_min;
  const int8_t hi = (int8_t)params->act_max;
  const int8_t lo = (int8_t)(floor_value < params->act_max ? floor_value : params->act_max);
  size_t i;
  for (i = 0; i < count; ++i) {
    const int8_t x = in[i] > lo ? in[i] : lo;
    out[i] = x < hi ? x : hi;
  }
}
