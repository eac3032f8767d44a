/* Markers around the runtime's entry points, through the linker's --wrap (a program linked with
 * -Wl,--wrap=plrt_invoke calls __wrap_plrt_invoke where it called plrt_invoke, and
 * __real_plrt_invoke is the runtime's): plrt_invoke is one INFERENCE section, and with the
 * kernels wrapped too, each kernel call is a section of its op type and the interpreter's own
 * work between them INTERPRETER (CONCAT and RELU: insncount_wrap_rest.c). runtime/CMakeLists.txt
 * lists the --wrap options. */
#include "insncount_wrap.h"
#include "insncount.h"
#include "plrt_model.h"
#include "plrt_ops.h"

/* The label in force when plrt_invoke returns (PIPELINE in the stream, OTHER elsewhere). */
int plrt_insn_after_invoke = PLRT_INSN_PIPELINE;

plrt_status __real_plrt_invoke(const plrt_model* model, void* arena, size_t arena_size,
                               plrt_kernels kernels);
plrt_status __wrap_plrt_invoke(const plrt_model* model, void* arena, size_t arena_size,
                               plrt_kernels kernels);
plrt_status __wrap_plrt_invoke(const plrt_model* model, void* arena, size_t arena_size,
                               plrt_kernels kernels) {
  plrt_status status;
  plrt_insn_mark(PLRT_INSN_INFERENCE);
  status = __real_plrt_invoke(model, arena, arena_size, kernels);
  plrt_insn_mark(plrt_insn_after_invoke);
  return status;
}

#define WRAP_CONV(name, label)                                                                   \
  void __wrap_##name(const plrt_conv_params* p, const plrt_requant* q, const plrt_dims* in_dims, \
                     const int8_t* in, const int8_t* w, const int32_t* b,                        \
                     const plrt_dims* out_dims, int8_t* out) {                                   \
    plrt_insn_mark(label);                                                                       \
    __real_##name(p, q, in_dims, in, w, b, out_dims, out);                                       \
    plrt_insn_mark(PLRT_INSN_INTERPRETER);                                                       \
  }
WRAP_CONV(plrt_conv1d_s8, PLRT_INSN_CONV1D)
WRAP_CONV(plrt_pointwise_conv_s8, PLRT_INSN_POINTWISE)

void __wrap_plrt_avgpool1d_s8(const plrt_pool_params* p, const plrt_dims* in_dims, const int8_t* in,
                              const plrt_dims* out_dims, int8_t* out) {
  plrt_insn_mark(PLRT_INSN_AVGPOOL);
  __real_plrt_avgpool1d_s8(p, in_dims, in, out_dims, out);
  plrt_insn_mark(PLRT_INSN_INTERPRETER);
}

void __wrap_plrt_add_s8(const plrt_add_params* p, size_t n, const int8_t* a, const int8_t* b,
                        int8_t* out) {
  plrt_insn_mark(PLRT_INSN_ADD);
  __real_plrt_add_s8(p, n, a, b, out);
  plrt_insn_mark(PLRT_INSN_INTERPRETER);
}
