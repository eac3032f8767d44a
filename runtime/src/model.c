/* Accessors of a verified model and the host-side input quantisation. */
#include <math.h>

#include "plq_format.h"
#include "plrt_model.h"

/* Every accessor answers a NULL or never-initialised model (file == NULL: plrt_model_init
 * failed or was not called) with 0 / NULL instead of dereferencing it. */
static int usable(const plrt_model* model) { return model != NULL && model->file != NULL; }

size_t plrt_model_arena_size(const plrt_model* model) {
  return usable(model) ? model->arena_size : 0;
}

uint64_t plrt_model_macs(const plrt_model* model) { return usable(model) ? model->macs : 0; }

plrt_scheme plrt_model_scheme(const plrt_model* model) {
  return usable(model) ? (plrt_scheme)model->scheme : (plrt_scheme)0;
}

int8_t* plrt_input(const plrt_model* model, void* arena) {
  return usable(model) && arena != NULL ? (int8_t*)arena + model->input_offset : NULL;
}

uint32_t plrt_input_channels(const plrt_model* model) {
  return usable(model) ? model->input_channels : 0;
}

uint32_t plrt_input_length(const plrt_model* model) {
  return usable(model) ? model->input_length : 0;
}

float plrt_input_scale(const plrt_model* model, uint32_t channel) {
  if (!usable(model) || channel >= model->input_channels) return 0.0f;
  return plq_f32(model->input_params + (uint64_t)channel * PLQ_INPUT_PARAM_SIZE);
}

int32_t plrt_input_zero_point(const plrt_model* model, uint32_t channel) {
  if (!usable(model) || channel >= model->input_channels) return 0;
  return plq_i32(model->input_params + (uint64_t)channel * PLQ_INPUT_PARAM_SIZE + 4);
}

const int8_t* plrt_output(const plrt_model* model, const void* arena) {
  return usable(model) && arena != NULL ? (const int8_t*)arena + model->output_offset : NULL;
}

uint32_t plrt_num_classes(const plrt_model* model) {
  return usable(model) ? model->num_classes : 0;
}

float plrt_output_scale(const plrt_model* model) {
  plq_tensor t;
  float scale;
  if (!usable(model)) return 0.0f;
  t = plq_read_tensor(model->tensors, model->output_tensor);
  memcpy(&scale, &t.scale_bits, sizeof scale);
  return scale;
}

int32_t plrt_output_zero_point(const plrt_model* model) {
  if (!usable(model)) return 0;
  return plq_read_tensor(model->tensors, model->output_tensor).zero_point;
}

/* The format's rule in float32: division, then + 0.5, floor, + zero point, clamp. The clamp is
 * done in float so that any magnitude (and infinity) converts safely. */
static int8_t quantize_one(float x, float scale, int32_t zero_point) {
  const float q = floorf(x / scale + 0.5f) + (float)zero_point;
  if (q != q) return (int8_t)zero_point; /* NaN */
  if (q <= -128.0f) return -128;
  if (q >= 127.0f) return 127;
  return (int8_t)q;
}

int8_t plrt_quantize_value(const plrt_model* model, uint32_t channel, float x) {
  return quantize_one(x, plrt_input_scale(model, channel), plrt_input_zero_point(model, channel));
}

void plrt_quantize_input(const plrt_model* model, const float* x, int8_t* input) {
  size_t channels, length, c, t;
  if (!usable(model) || x == NULL || input == NULL) return;
  channels = model->input_channels;
  length = model->input_length;
  for (c = 0; c < channels; ++c) {
    const float scale = plrt_input_scale(model, (uint32_t)c);
    const int32_t zero_point = plrt_input_zero_point(model, (uint32_t)c);
    for (t = 0; t < length; ++t)
      input[t * channels + c] = quantize_one(x[c * length + t], scale, zero_point);
  }
}
