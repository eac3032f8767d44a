/* Writes .plq models with the test-side builder (plq_builder.h), for the example, the fuzz seed
 * corpus and benchmarks:
 *   plrt_make_model tiny FILE                  the hand-computed model of tiny_model.c
 *   plrt_make_model physiolite FILE [pow2|tflite] [mitbih|uci] [SEED]
 *       the PhysioLite network of docs/model.md (layer table) at full width (bank 16, D 256, m 64,
 *       3 blocks) with seeded random weights: mitbih = 21 x 512 input, pools 4/4/2, 4 classes;
 *       uci = 24 x 1024, pools 4/4/4, 6 classes. Shifts keep activations roughly in range; the
 *       values are not a trained model.
 *   plrt_make_model corpus DIR                 fuzz seeds: small models of every op and option,
 *       each behind the fuzz target's control byte (1 = fix the CRC and file_size, 2 = also
 *       quantise a float window).
 * Exit 2 on a usage error, 3 if a file cannot be written. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plrt_model.h"
#include "test_rng.h"
#include "tiny_model.h"

static const char kUsage[] =
    "usage: plrt_make_model tiny FILE\n"
    "       plrt_make_model physiolite FILE [pow2|tflite] [mitbih|uci] [SEED]\n"
    "       plrt_make_model corpus DIR\n";

/* TFLite's QuantizeMultiplier: real = multiplier * 2^(shift - 31), multiplier in [2^30, 2^31). */
static void quantize_multiplier(double real, int32_t* multiplier, int32_t* shift) {
  int exponent;
  const double q = frexp(real, &exponent);
  long long m = llround(q * (double)(1ll << 31));
  if (m == (1ll << 31)) {
    m /= 2;
    ++exponent;
  }
  if (exponent < -31) {
    m = 0;
    exponent = 0;
  }
  *multiplier = (int32_t)m;
  *shift = exponent;
}

/* Model state while the graph is built: scheme and the tensor zero points TFLITE uses. */
typedef struct net {
  plqb b;
  int tflite;
} net;

static uint32_t tensor(net* n, uint32_t channels, uint32_t length, int relu) {
  const int32_t zero_point = n->tflite ? (relu ? -128 : uniform(-10, 10)) : 0;
  return plqb_tensor_add(&n->b, channels, length, n->tflite ? 0.05f : 1.0f / 32.0f, zero_point);
}

/* A conv with random weights; the shift divides by about sqrt(kernel * C_in) * 2^7 so that
 * outputs stay near the input's range. */
static uint32_t conv(net* n, uint32_t in, uint32_t c_out, uint16_t kernel, int relu) {
  const plqb_tensor* x = &n->b.tensors[in];
  const uint32_t c_in = x->channels, length = x->length;
  const uint32_t out = tensor(n, c_out, length, relu);
  const size_t count = (size_t)c_out * kernel * c_in;
  int8_t* w = (int8_t*)malloc(count);
  int32_t* mult = (int32_t*)malloc(c_out * sizeof(int32_t));
  int32_t* shift = (int32_t*)malloc(c_out * sizeof(int32_t));
  const double gain = 1.0 / (sqrt((double)kernel * c_in) * 64.0);
  size_t i;
  for (i = 0; i < count; ++i) w[i] = (int8_t)uniform(-127, 127);
  for (i = 0; i < c_out; ++i) {
    if (n->tflite) {
      quantize_multiplier(gain * (0.75 + 0.5 * (next_u32() / 4294967296.0)), &mult[i], &shift[i]);
    } else {
      shift[i] = (int32_t)floor(-log2(gain)) + uniform(-1, 1);
    }
  }
  plqb_conv(&n->b, in, out, kernel, (uint16_t)(kernel / 2), relu ? (n->tflite ? -128 : 0) : -128,
            127, w, NULL, n->tflite ? mult : NULL, shift);
  free(w);
  free(mult);
  free(shift);
  return out;
}

static uint32_t pool(net* n, uint32_t in, uint16_t kernel, uint16_t stride) {
  const plqb_tensor* x = &n->b.tensors[in];
  const uint32_t length = (x->length - kernel) / stride + 1;
  const uint32_t out = plqb_tensor_add(&n->b, x->channels, length, x->scale, x->zero_point);
  plqb_pool(&n->b, in, out, kernel, stride, n->tflite ? 0 : 1, -128, 127);
  return out;
}

static uint32_t add(net* n, uint32_t a, uint32_t b) {
  const plqb_tensor* x = &n->b.tensors[a];
  const uint32_t out = n->tflite ? tensor(n, x->channels, x->length, 0)
                                 : plqb_tensor_add(&n->b, x->channels, x->length, x->scale, 0);
  int32_t mult[3], shift[3];
  /* TFLite's Prepare: inputs rescaled by scale_i / (2 max scale), output by 2 max scale /
   * (2^20 scale_out); all scales equal here */
  quantize_multiplier(0.5, &mult[0], &shift[0]);
  quantize_multiplier(0.5, &mult[1], &shift[1]);
  quantize_multiplier(2.0 / (double)(1 << 20), &mult[2], &shift[2]);
  plqb_add(&n->b, a, b, out, -128, 127, n->tflite ? mult : NULL, n->tflite ? shift : NULL,
           n->tflite ? 20 : 0);
  return out;
}

/* The layer table of docs/model.md (layer table) */
static void physiolite_graph(net* n, uint32_t c_in, uint32_t t, uint16_t fp, uint16_t pt,
                             uint16_t pp, uint32_t classes) {
  uint32_t x, stem, branches[3], bank, h, block;
  int i;
  x = tensor(n, c_in, t, 0);
  x = pool(n, x, fp, fp);
  stem = conv(n, x, c_in, 1, 0);
  branches[0] = conv(n, stem, 16, 3, 1);
  branches[1] = conv(n, stem, 16, 5, 1);
  branches[2] = conv(n, conv(n, conv(n, stem, 16, 3, 1), 16, 3, 1), 16, 3, 1);
  /* concat parts share the output's quantisation: all are ReLU outputs (scale and zero point
   * as tensor() gives them) */
  bank = tensor(n, 48, n->b.tensors[stem].length, 1);
  plqb_concat(&n->b, 3, branches, bank);
  h = conv(n, pool(n, bank, pt, pt), 256, 3, 1);
  for (i = 0; i < 3; ++i) {
    block = h;
    h = conv(n, conv(n, conv(n, h, 64, 1, 1), 64, 3, 1), 256, 1, 0);
    h = add(n, h, block);
  }
  h = conv(n, h, 256, 1, 1);
  h = conv(n, pool(n, h, pp, pp), 256, 1, 0);
  h = pool(n, h, (uint16_t)n->b.tensors[h].length, 1);
  conv(n, h, classes, 1, 0);
}

static int write_file(const char* path, const uint8_t* control, const uint8_t* bytes, size_t size) {
  FILE* f = fopen(path, "wb");
  int ok = f != NULL;
  if (ok && control != NULL) ok = fwrite(control, 1, 1, f) == 1;
  if (ok) ok = fwrite(bytes, 1, size, f) == size;
  if (f != NULL && fclose(f) != 0) ok = 0;
  if (!ok) fprintf(stderr, "plrt_make_model: cannot write %s\n", path);
  return ok;
}

/* Verifies the builder's output with the runtime (a corpus seed must be accepted) and writes
 * it, behind `control` unless that is 0 (fuzz control bits: 1 fix the CRC, 2 quantise). */
static int finish(plqb* b, const char* path, uint8_t control) {
  uint8_t* file;
  const size_t size = plqb_write(b, &file);
  plrt_model m;
  plrt_error err;
  int ok = plrt_model_init(&m, file, size, &err) == PLRT_OK;
  if (!ok) fprintf(stderr, "plrt_make_model: %s refused: %s\n", path, err.reason);
  ok = ok && write_file(path, control != 0 ? &control : NULL, file, size);
  if (ok && control == 0) {
    printf("%s: %s, input %" PRIu32 "x%" PRIu32 ", %" PRIu32
           " classes, %llu MACs/window, arena %zu B, %zu B\n",
           path, plrt_model_scheme(&m) == PLRT_SCHEME_MAX78000 ? "POW2" : "TFLITE",
           plrt_input_channels(&m), plrt_input_length(&m), plrt_num_classes(&m),
           (unsigned long long)plrt_model_macs(&m), plrt_model_arena_size(&m), size);
  }
  free(file);
  plqb_free(b);
  return ok;
}

/* Small graphs covering every op and option, for the fuzz corpus. */
static int write_corpus(const char* dir) {
  char path[1024];
  net n;
  int ok = 1, scheme;
  snprintf(path, sizeof path, "%s/tiny_pow2.plq", dir);
  tiny_model_graph(&n.b);
  ok = ok && finish(&n.b, path, 1);
  for (scheme = 0; scheme < 2 && ok; ++scheme) {
    uint32_t x, a, c, parts[4];
    g_rng = 7u + (uint64_t)scheme;
    /* a small PhysioLite: 6 x 32 input, pools 2/2/2 */
    plqb_init(&n.b, scheme ? 2 : 1);
    n.tflite = scheme;
    x = tensor(&n, 6, 32, 0);
    x = pool(&n, x, 2, 2);
    a = conv(&n, x, 6, 1, 0);
    parts[0] = conv(&n, a, 4, 3, 1);
    parts[1] = conv(&n, a, 4, 5, 1);
    parts[2] = conv(&n, conv(&n, a, 4, 3, 1), 4, 3, 1);
    parts[3] = conv(&n, a, 4, 9, 1); /* the MAX78000's largest kernel */
    c = tensor(&n, 16, 16, 1);
    plqb_concat(&n.b, 4, parts, c);
    c = conv(&n, pool(&n, c, 2, 2), 12, 3, 1);
    a = add(&n, conv(&n, c, 12, 1, 0), c);
    x = tensor(&n, 12, 8, 0);
    n.b.tensors[x].zero_point = n.b.tensors[a].zero_point;
    n.b.tensors[x].scale = n.b.tensors[a].scale;
    plqb_relu(&n.b, a, x, -128, 100);
    x = pool(&n, x, 8, 1);
    conv(&n, x, 3, 1, 0);
    plqb_plan_arena(&n.b);
    snprintf(path, sizeof path, "%s/small_%s.plq", dir, scheme ? "tflite" : "pow2");
    ok = finish(&n.b, path, scheme ? 3 : 1);
  }
  if (ok) { /* a window longer than the optimised kernels' stack chunk: k9 x 64 channels */
    uint32_t x;
    g_rng = 11u;
    plqb_init(&n.b, 1);
    n.tflite = 0;
    x = tensor(&n, 64, 12, 0);
    x = conv(&n, x, 5, 9, 1);
    x = pool(&n, x, 12, 1);
    snprintf(path, sizeof path, "%s/long_window_pow2.plq", dir);
    ok = finish(&n.b, path, 3);
  }
  return ok ? 0 : 3;
}

int main(int argc, char** argv) {
  net n;
  if (argc == 3 && strcmp(argv[1], "tiny") == 0) {
    tiny_model_graph(&n.b);
    return finish(&n.b, argv[2], 0) ? 0 : 3;
  }
  if (argc == 3 && strcmp(argv[1], "corpus") == 0) return write_corpus(argv[2]);
  if (argc >= 3 && argc <= 6 && strcmp(argv[1], "physiolite") == 0) {
    const int tflite = argc > 3 && strcmp(argv[3], "tflite") == 0;
    const int uci = argc > 4 && strcmp(argv[4], "uci") == 0;
    if ((argc > 3 && !tflite && strcmp(argv[3], "pow2") != 0) ||
        (argc > 4 && !uci && strcmp(argv[4], "mitbih") != 0)) {
      fprintf(stderr, "plrt_make_model: unknown scheme or profile\n%s", kUsage);
      return 2;
    }
    g_rng = argc > 5 ? strtoull(argv[5], NULL, 10) : 1u;
    plqb_init(&n.b, tflite ? 2 : 1);
    n.tflite = tflite;
    if (uci) {
      physiolite_graph(&n, 24, 1024, 4, 4, 4, 6);
    } else {
      physiolite_graph(&n, 21, 512, 4, 4, 2, 4);
    }
    plqb_plan_arena(&n.b);
    return finish(&n.b, argv[2], 0) ? 0 : 3;
  }
  fprintf(stderr, "%s", kUsage);
  return 2;
}
