/* Interpreter entry points for the runtime's own pipelines (not installed). */
#ifndef PLRT_INTERPRETER_INTERNAL_H
#define PLRT_INTERPRETER_INTERNAL_H

#include <stddef.h>

#include "plrt_model.h"

/* plrt_invoke_scratch with the optimised kernels, for a caller that has already checked once that
 * `scratch` holds plrt_model_scratch_size(model) bytes (plrt_ecg_set_scratch does): the per-beat
 * path does not walk the graph again to size it. `scratch` NULL runs the kernels' stack tiles. */
plrt_status plrt_invoke_prechecked_scratch(const plrt_model* model, void* arena, size_t arena_size,
                                           void* scratch);

#endif /* PLRT_INTERPRETER_INTERNAL_H */
