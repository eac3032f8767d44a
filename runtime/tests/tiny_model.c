/* The tiny model of tiny_model.h and its hand-computed outputs. Tensors are written [t](c0, c1..).
 *
 * Input T0 2x4, scale 1/128: q = floor(128 x + 0.5), clamped to [-128, 127]
 *   ch0 = 0.5, -0.25, 1.0, 0.125                -> 64, -32, 128 -> 127, 16
 *   ch1 = -1.0, 1/128, 1.5/128, -1.5/128        -> -128, 1, floor(2.0) = 2, floor(-1.0) = -1
 *   T0 = [0](64, -128) [1](-32, 1) [2](127, 2) [3](16, -1)
 *
 * op0 CONV1D T0 -> T1 2x4, k3 pad1, r = 1 (v = (acc + 1) >> 1), clamp [0, 127] (ReLU)
 *   w[o][k][c]: o0 = (1, 0) (2, 1) (0, -1), bias 3;  o1 = (0, 1) (-1, 0) (1, 1), bias -2
 *   t0 o0: 3 + [pad] + (2*64 + 1*-128) + (0*-32 + -1*1)      =    2 -> 3 >> 1 = 1
 *   t0 o1: -2 + [pad] + (-1*64 + 0) + (1*-32 + 1*1)          =  -97 -> -96 >> 1 = -48 -> 0
 *   t1 o0: 3 + (1*64 + 0) + (2*-32 + 1*1) + (0 + -1*2)       =    2 -> 1
 *   t1 o1: -2 + (0 + 1*-128) + (-1*-32 + 0) + (1*127 + 1*2)  =   31 -> 32 >> 1 = 16 (tie 15.5 up)
 *   t2 o0: 3 + (1*-32 + 0) + (2*127 + 1*2) + (0 + -1*-1)     =  228 -> 229 >> 1 = 114
 *   t2 o1: -2 + (0 + 1*1) + (-1*127 + 0) + (1*16 + 1*-1)     = -113 -> -56 -> 0
 *   t3 o0: 3 + (1*127 + 0) + (2*16 + 1*-1) + [pad]           =  161 -> 162 >> 1 = 81 (tie 80.5 up)
 *   t3 o1: -2 + (0 + 1*2) + (-1*16 + 0) + [pad]              =  -16 -> -15 >> 1 = -8 -> 0
 *   T1 = [0](1, 0) [1](1, 16) [2](114, 0) [3](81, 0)
 *
 * op1 AVGPOOL1D T1 -> T2 2x2, k2 s2, floor
 *   T2 = [0](floor(2/2) = 1, floor(16/2) = 8) [1](floor(195/2) = 97, 0)
 *
 * op2 CONV1D T2 -> T3 2x2, k1, r = 0, no bias, clamp [-128, 127]; w: o0 = (1, -1), o1 = (2, 3)
 *   T3 = [0](1 - 8 = -7, 2 + 24 = 26) [1](97 - 0 = 97, 194 -> 127 saturated)
 *
 * op3 ADD T2 + T3 -> T4 2x2, clamp [-128, 127]
 *   T4 = [0](1 - 7 = -6, 8 + 26 = 34) [1](97 + 97 = 194 -> 127, 0 + 127 = 127)
 *
 * op4 CONCAT (T4, T2) -> T5 4x2:  T5 = [0](-6, 34, 1, 8) [1](127, 127, 97, 0)
 *
 * op5 RELU T5 -> T6 4x2, clamp [0, 101]:  T6 = [0](0, 34, 1, 8) [1](101, 101, 97, 0)
 *
 * op6 AVGPOOL1D T6 -> T7 4x1, k2 s1, round half up (flags bit 0): floor((2s + 2) / 4)
 *   T7 = (101/2 = 50.5 -> 51, 135/2 = 67.5 -> 68, 98/2 = 49, 8/2 = 4)
 *
 * op7 CONV1D T7 -> T8 2x1, k1, r = 2 (v = (acc + 2) >> 2), clamp [-128, 127]
 *   w: o0 = (1, 1, 0, -1), bias 3;  o1 = (-1, 0, 1, -1), bias -4
 *   o0: 3 + 51 + 68 - 4     = 118 -> 120 >> 2 = 30  (29.5, the tie rounds up)
 *   o1: -4 - 51 + 49 - 4    = -10 -> -8 >> 2 = -2   (-2.5, the tie rounds up too)
 *   logits = (30, -2) */
#include "tiny_model.h"

const float tiny_model_window[TINY_MODEL_CHANNELS * TINY_MODEL_LENGTH] = {
    0.5f, -0.25f, 1.0f, 0.125f, -1.0f, 1.0f / 128.0f, 1.5f / 128.0f, -1.5f / 128.0f};
const int8_t tiny_model_input[TINY_MODEL_LENGTH * TINY_MODEL_CHANNELS] = {64,  -128, -32, 1,
                                                                          127, 2,    16,  -1};
const int8_t tiny_model_logits[TINY_MODEL_CLASSES] = {30, -2};

void tiny_model_graph(plqb* b) {
  static const int8_t w0[12] = {1, 0, 2, 1, 0, -1, 0, 1, -1, 0, 1, 1};
  static const int32_t b0[2] = {3, -2}, r0[2] = {1, 1};
  static const int8_t w2[4] = {1, -1, 2, 3};
  static const int32_t r2[2] = {0, 0};
  static const int8_t w7[8] = {1, 1, 0, -1, -1, 0, 1, -1};
  static const int32_t b7[2] = {3, -4}, r7[2] = {2, 2};
  const float s = 1.0f / 128.0f;
  uint32_t t[9], parts[2];
  plqb_init(b, 1);
  t[0] = plqb_tensor_add(b, 2, 4, s, 0);
  t[1] = plqb_tensor_add(b, 2, 4, s, 0);
  t[2] = plqb_tensor_add(b, 2, 2, s, 0);
  t[3] = plqb_tensor_add(b, 2, 2, s, 0);
  t[4] = plqb_tensor_add(b, 2, 2, s, 0);
  t[5] = plqb_tensor_add(b, 4, 2, s, 0);
  t[6] = plqb_tensor_add(b, 4, 2, s, 0);
  t[7] = plqb_tensor_add(b, 4, 1, s, 0);
  t[8] = plqb_tensor_add(b, 2, 1, s, 0);
  plqb_conv(b, t[0], t[1], 3, 1, 0, 127, w0, b0, NULL, r0);
  plqb_pool(b, t[1], t[2], 2, 2, 0, -128, 127);
  plqb_conv(b, t[2], t[3], 1, 0, -128, 127, w2, NULL, NULL, r2);
  plqb_add(b, t[2], t[3], t[4], -128, 127, NULL, NULL, 0);
  parts[0] = t[4];
  parts[1] = t[2];
  plqb_concat(b, 2, parts, t[5]);
  plqb_relu(b, t[5], t[6], 0, 101);
  plqb_pool(b, t[6], t[7], 2, 1, 1, -128, 127);
  plqb_conv(b, t[7], t[8], 1, 0, -128, 127, w7, b7, NULL, r7);
}
