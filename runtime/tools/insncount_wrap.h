/* The linker's --wrap names of the runtime's kernels (a program linked with
 * -Wl,--wrap=plrt_add_s8 calls __wrap_plrt_add_s8 where it called plrt_add_s8, and
 * __real_plrt_add_s8 is the runtime's), declared once for the count wrappers
 * (insncount_wrap.c, insncount_wrap_rest.c) and the CMSIS-NN benchmark (bench/cmsis_nn_layers.c),
 * which define the __wrap_ functions. */
#ifndef PLRT_INSNCOUNT_WRAP_H
#define PLRT_INSNCOUNT_WRAP_H

#include "plrt_ops.h"

#define PLRT_DECLARE_WRAP(name, params) \
  void __real_##name params;            \
  void __wrap_##name params;
#define PLRT_CONV_PARAMS                                                                         \
  (const plrt_conv_params* p, const plrt_requant* q, const plrt_dims* in_dims, const int8_t* in, \
   const int8_t* w, const int32_t* b, const plrt_dims* out_dims, int8_t* out)
PLRT_DECLARE_WRAP(plrt_conv1d_s8, PLRT_CONV_PARAMS)
PLRT_DECLARE_WRAP(plrt_pointwise_conv_s8, PLRT_CONV_PARAMS)
PLRT_DECLARE_WRAP(plrt_avgpool1d_s8, (const plrt_pool_params* p, const plrt_dims* in_dims,
                                      const int8_t* in, const plrt_dims* out_dims, int8_t* out))
PLRT_DECLARE_WRAP(plrt_add_s8, (const plrt_add_params* p, size_t n, const int8_t* a,
                                const int8_t* b, int8_t* out))
PLRT_DECLARE_WRAP(plrt_concat_s8, (uint32_t n, const plrt_dims* dims, const int8_t* const* in,
                                   const plrt_dims* out_dims, int8_t* out))
PLRT_DECLARE_WRAP(plrt_relu_s8,
                  (const plrt_relu_params* p, size_t n, const int8_t* in, int8_t* out))

#endif /* PLRT_INSNCOUNT_WRAP_H */
