/* Accessors of a verified model and the host-side input quantisation. */
#include <math.h>

#include "plq_format.h"
#include "plrt_model.h"

size_t plrt_model_arena_size(const plrt_model* model) { return model->arena_size; }

uint64_t plrt_model_macs(const plrt_model* model) { return model->macs; }

plrt_scheme plrt_model_scheme(const plrt_model* model) { return (plrt_scheme)model->scheme; }

int8_t* plrt_input(const plrt_model* model, void* arena) {
  return (int8_t*)arena + model->input_offset;
}

uint32_t plrt_input_channels(const plrt_model* model) { return model->input_channels; }

uint32_t plrt_input_length(const plrt_model* model) { return model->input_length; }

float plrt_input_scale(const plrt_model* model, uint32_t channel) {
  return plq_f32(model->input_params + (uint64_t)channel * PLQ_INPUT_PARAM_SIZE);
}

int32_t plrt_input_zero_point(const plrt_model* model, uint32_t channel) {
  return plq_i32(model->input_params + (uint64_t)channel * PLQ_INPUT_PARAM_SIZE + 4);
}

const int8_t* plrt_output(const plrt_model* model, const void* arena) {
  return (const int8_t*)arena + model->output_offset;
}

uint32_t plrt_num_classes(const plrt_model* model) { return model->num_classes; }

float plrt_output_scale(const plrt_model* model) {
  const plq_tensor t = plq_read_tensor(model->tensors, model->output_tensor);
  float scale;
  memcpy(&scale, &t.scale_bits, sizeof scale);
  return scale;
}

int32_t plrt_output_zero_point(const plrt_model* model) {
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
  const size_t channels = model->input_channels, length = model->input_length;
  size_t c, t;
  for (c = 0; c < channels; ++c) {
    const float scale = plrt_input_scale(model, (uint32_t)c);
    const int32_t zero_point = plrt_input_zero_point(model, (uint32_t)c);
    for (t = 0; t < length; ++t)
      input[t * channels + c] = quantize_one(x[c * length + t], scale, zero_point);
  }
}
