/* The CONCAT and RELU sections of insncount_wrap.c, in a file of their own so that a program
 * with wrappers of its own for the other kernels (bench/cmsis_nn_layers.c) links these alone:
 * each call is a section of its op type, then INTERPRETER until the next mark. */
#include "insncount.h"
#include "insncount_wrap.h"
#include "plrt_ops.h"

void __wrap_plrt_concat_s8(uint32_t n, const plrt_dims* dims, const int8_t* const* in,
                           const plrt_dims* out_dims, int8_t* out) {
  plrt_insn_mark(PLRT_INSN_CONCAT);
  __real_plrt_concat_s8(n, dims, in, out_dims, out);
  plrt_insn_mark(PLRT_INSN_INTERPRETER);
}

void __wrap_plrt_relu_s8(const plrt_relu_params* p, size_t n, const int8_t* in, int8_t* out) {
  plrt_insn_mark(PLRT_INSN_RELU);
  __real_plrt_relu_s8(p, n, in, out);
  plrt_insn_mark(PLRT_INSN_INTERPRETER);
}
