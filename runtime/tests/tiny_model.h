/* A tiny POW2 (MAX78000-scheme) model using every op type, built with plq_builder, whose logits
 * were computed by hand (tiny_model.c shows the arithmetic). Used by model_test.c, the example
 * and the fuzz seed corpus. */
#ifndef PLRT_TESTS_TINY_MODEL_H
#define PLRT_TESTS_TINY_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "plq_builder.h"

#define TINY_MODEL_CHANNELS 2
#define TINY_MODEL_LENGTH 4
#define TINY_MODEL_CLASSES 2

/* Builds the graph into `b` (plqb_init is called here); plqb_write serialises it. */
void tiny_model_graph(plqb* b);

/* The window, channel-first [2][4], and its logits. */
extern const float tiny_model_window[TINY_MODEL_CHANNELS * TINY_MODEL_LENGTH];
extern const int8_t tiny_model_input[TINY_MODEL_LENGTH * TINY_MODEL_CHANNELS]; /* channel-last */
extern const int8_t tiny_model_logits[TINY_MODEL_CLASSES];

#endif
