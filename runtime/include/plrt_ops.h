/* Int8 operator kernels (C99, no heap): one function per op of docs/int8_model_format.md, each a
 * reference version (`_ref`, the format's formula as plain loops) and an optimised one with the
 * same arguments and bit-identical results. plrt_invoke calls them on a verified model; called
 * directly, the caller guarantees what the verifier would: shapes consistent with the op's rule,
 * arrays of the documented lengths, output not overlapping any input, requant parameters in
 * range and no int32 accumulator overflow (|bias| + sum |w| * max |x - zx| <= INT32_MAX).
 *
 * Tensors are channel-last: element (t, c) of a tensor with C channels is byte t * C + c.
 * Arguments come in the order params, quant, then (dims, data) for input, weights, bias, output. */
#ifndef PLRT_OPS_H
#define PLRT_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "plrt_fixed_point.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum plrt_requant_mode {
  PLRT_REQUANT_POW2 = 1,  /* MAX78000: shift only, floor(x + 0.5) */
  PLRT_REQUANT_TFLITE = 2 /* TFLite fixed-point multiplier and shift */
} plrt_requant_mode;

typedef struct plrt_dims {
  uint32_t channels;
  uint32_t length;
} plrt_dims;

/* Output stage of a convolution, per output channel o: POW2 uses shift[o] (r of the format),
 * TFLITE multiplier[o] and shift[o]; then + output_zero_point and clamp. */
typedef struct plrt_requant {
  plrt_requant_mode mode;
  const int32_t* multiplier; /* [C_out], TFLITE only */
  const int32_t* shift;      /* [C_out] */
  int32_t output_zero_point;
  int32_t act_min;
  int32_t act_max;
} plrt_requant;

typedef struct plrt_conv_params {
  uint32_t kernel;
  uint32_t pad; /* zeros on both sides, < kernel */
  int32_t input_zero_point;
} plrt_conv_params;

/* CONV1D, any kernel: weights [C_out][kernel][C_in], bias [C_out] or NULL. */
void plrt_conv1d_s8_ref(const plrt_conv_params* params, const plrt_requant* quant,
                        const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                        const int32_t* bias, const plrt_dims* out_dims, int8_t* out);
void plrt_conv1d_s8(const plrt_conv_params* params, const plrt_requant* quant,
                    const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                    const int32_t* bias, const plrt_dims* out_dims, int8_t* out);

/* plrt_conv1d_s8 with its working memory in the caller's `scratch` instead of on the stack (as
 * CMSIS-NN's kernels take a buffer): at least plrt_conv1d_s8_scratch_size(params, in_dims,
 * out_dims) bytes, any alignment, not shared with a concurrent call. The size is the kernel's
 * that this build runs (DSP extension: its 4 x 496 int16 tile; Helium: its sums and the padded
 * edge windows; portable C: a 4 x 512 int16 tile; x86 with AVX2: 0, those kernels keep small
 * stack blocks), plus 7 bytes to align it; the same output as plrt_conv1d_s8. It serves the
 * pointwise case too. */
size_t plrt_conv1d_s8_scratch_size(const plrt_conv_params* params, const plrt_dims* in_dims,
                                   const plrt_dims* out_dims);
void plrt_conv1d_s8_scratch(const plrt_conv_params* params, const plrt_requant* quant,
                            const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                            const int32_t* bias, const plrt_dims* out_dims, int8_t* out,
                            void* scratch);

/* CONV1D with kernel 1 and pad 0 (params->kernel and ->pad must say so): a matrix product. */
void plrt_pointwise_conv_s8_ref(const plrt_conv_params* params, const plrt_requant* quant,
                                const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                                const int32_t* bias, const plrt_dims* out_dims, int8_t* out);
void plrt_pointwise_conv_s8(const plrt_conv_params* params, const plrt_requant* quant,
                            const plrt_dims* in_dims, const int8_t* in, const int8_t* weights,
                            const int32_t* bias, const plrt_dims* out_dims, int8_t* out);

typedef struct plrt_pool_params {
  uint32_t kernel; /* <= input length, <= 65535 */
  uint32_t stride;
  plrt_pool_rounding rounding;
  int32_t act_min;
  int32_t act_max;
} plrt_pool_params;

/* AVGPOOL1D: mean of raw int8 values over `kernel` steps, every `stride` steps. */
void plrt_avgpool1d_s8_ref(const plrt_pool_params* params, const plrt_dims* in_dims,
                           const int8_t* in, const plrt_dims* out_dims, int8_t* out);
void plrt_avgpool1d_s8(const plrt_pool_params* params, const plrt_dims* in_dims, const int8_t* in,
                       const plrt_dims* out_dims, int8_t* out);

typedef struct plrt_add_params {
  plrt_requant_mode mode;
  int32_t input_zero_point[2]; /* TFLITE only (POW2 inputs have zero point 0) */
  int32_t output_zero_point;
  int32_t multiplier[3]; /* TFLITE: input 0, input 1, output */
  int32_t shift[3];
  int32_t left_shift; /* TFLITE, [0, 23] */
  int32_t act_min;
  int32_t act_max;
} plrt_add_params;

/* ADD of two tensors of `count` elements each. */
void plrt_add_s8_ref(const plrt_add_params* params, size_t count, const int8_t* in0,
                     const int8_t* in1, int8_t* out);
void plrt_add_s8(const plrt_add_params* params, size_t count, const int8_t* in0, const int8_t* in1,
                 int8_t* out);

/* CONCAT along channels of n_inputs tensors of equal length (out_dims->channels is the sum). */
void plrt_concat_s8_ref(uint32_t n_inputs, const plrt_dims* in_dims, const int8_t* const* in,
                        const plrt_dims* out_dims, int8_t* out);
void plrt_concat_s8(uint32_t n_inputs, const plrt_dims* in_dims, const int8_t* const* in,
                    const plrt_dims* out_dims, int8_t* out);

typedef struct plrt_relu_params {
  int32_t zero_point; /* of input and output */
  int32_t act_min;
  int32_t act_max;
} plrt_relu_params;

/* RELU of `count` elements: clamp(max(x, zero_point)). */
void plrt_relu_s8_ref(const plrt_relu_params* params, size_t count, const int8_t* in, int8_t* out);
void plrt_relu_s8(const plrt_relu_params* params, size_t count, const int8_t* in, int8_t* out);

#ifdef __cplusplus
}
#endif

#endif /* PLRT_OPS_H */
