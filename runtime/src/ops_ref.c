/* Reference kernels: the formulas of docs/int8_model_format.md written as plainly as possible,
 * one output element at a time. They are the specification the optimised kernels (ops_opt.c)
 * must equal bit for bit; speed is not a goal here. */
#include "plrt_fixed_point.h"
#include "plrt_ops.h"

void plrt_conv1d_s8_ref(const plrt_conv_params* params, const plrt_requant* quant,
                        const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                        const int32_t* bias, const plrt_dims* out_dims, int8_t* out) {
  const int64_t c_in = in_dims->channels, l_in = in_dims->length;
  const int64_t kernel = params->kernel, pad = params->pad;
  int64_t t, o, k, c;
  for (t = 0; t < out_dims->length; ++t) {
    for (o = 0; o < out_dims->channels; ++o) {
      int32_t acc = bias != NULL ? bias[o] : 0;
      for (k = 0; k < kernel; ++k) {
        const int64_t ti = t + k - pad;
        if (ti < 0 || ti >= l_in) continue; /* zero padding contributes nothing */
        for (c = 0; c < c_in; ++c) {
          acc +=
              weights[(o * kernel + k) * c_in + c] * (in[ti * c_in + c] - params->input_zero_point);
        }
      }
      out[t * out_dims->channels + o] =
          quant->mode == PLRT_REQUANT_POW2
              ? plrt_requantize_pow2(acc, quant->shift[o], quant->output_zero_point, quant->act_min,
                                     quant->act_max)
              : plrt_requantize_tflite(acc, quant->multiplier[o], quant->shift[o],
                                       quant->output_zero_point, quant->act_min, quant->act_max);
    }
  }
}

/* The k = 1 case of the general reference; its own entry point so that each optimised kernel
 * has its reference beside it. */
void plrt_pointwise_conv_s8_ref(const plrt_conv_params* params, const plrt_requant* quant,
                                const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                                const int32_t* bias, const plrt_dims* out_dims, int8_t* out) {
  plrt_conv1d_s8_ref(params, quant, in_dims, in, weights, bias, out_dims, out);
}

void plrt_avgpool1d_s8_ref(const plrt_pool_params* params, const plrt_dims* in_dims,
                           const int8_t* in, const plrt_dims* out_dims, int8_t* out) {
  const size_t channels = in_dims->channels;
  size_t t, c, k;
  for (t = 0; t < out_dims->length; ++t) {
    for (c = 0; c < channels; ++c) {
      int32_t s = 0;
      for (k = 0; k < params->kernel; ++k) s += in[(t * params->stride + k) * channels + c];
      out[t * channels + c] =
          plrt_clamp_i8(plrt_pool_mean(s, (int32_t)params->kernel, params->rounding),
                        params->act_min, params->act_max);
    }
  }
}

void plrt_add_s8_ref(const plrt_add_params* params, size_t count, const int8_t* in0,
                     const int8_t* in1, int8_t* out) {
  size_t i;
  for (i = 0; i < count; ++i) {
    if (params->mode == PLRT_REQUANT_POW2) {
      out[i] = plrt_clamp_i8((int64_t)in0[i] + in1[i], params->act_min, params->act_max);
    } else {
      const int32_t a0 = plrt_multiply_by_quantized_multiplier(
          (in0[i] - params->input_zero_point[0]) * (1 << params->left_shift), params->multiplier[0],
          params->shift[0]);
      const int32_t a1 = plrt_multiply_by_quantized_multiplier(
          (in1[i] - params->input_zero_point[1]) * (1 << params->left_shift), params->multiplier[1],
          params->shift[1]);
      out[i] = plrt_requantize_tflite(plrt_saturate_i32((int64_t)a0 + a1), params->multiplier[2],
                                      params->shift[2], params->output_zero_point, params->act_min,
                                      params->act_max);
    }
  }
}

void plrt_concat_s8_ref(uint32_t n_inputs, const plrt_dims* in_dims, const int8_t* const* in,
                        const plrt_dims* out_dims, int8_t* out) {
  size_t t, c;
  uint32_t i;
  for (t = 0; t < out_dims->length; ++t) {
    size_t first = 0; /* output channel of input i's channel 0 */
    for (i = 0; i < n_inputs; ++i) {
      for (c = 0; c < in_dims[i].channels; ++c) {
        out[t * out_dims->channels + first + c] = in[i][t * in_dims[i].channels + c];
      }
      first += in_dims[i].channels;
    }
  }
}

void plrt_relu_s8_ref(const plrt_relu_params* params, size_t count, const int8_t* in, int8_t* out) {
  size_t i;
  for (i = 0; i < count; ++i) {
    out[i] = plrt_clamp_i8(in[i] > params->zero_point ? in[i] : params->zero_point, params->act_min,
                           params->act_max);
  }
}
