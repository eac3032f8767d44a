/* Benchmark of the C99 int8 runtime: plrt_invoke per window with the reference and the optimised
 * kernels on one .plq model, one thread, interleaved (reference, optimised, reference, ...) so
 * that machine load hits both alike. Prints the medians, their ratio and MAC/s; --json for
 * scripts (bench/run_runtime.sh compares against ONNX Runtime).
 *
 * usage: bench_runtime MODEL.plq [--reps N] [--warmup N] [--input WINDOWS_F32.bin] [--cpu-time]
 *                      [--json] [--logits OUT.bin]
 *   --input: float32 windows (N, C, L) channel-first; the first is quantised with
 *   plrt_quantize_input. Without it the input is seeded random int8.
 *   --logits: also runs every window of --input (quantised, optimised kernels) and writes the
 *   output codes, int8 (N, K): the reference an ONNX peer's outputs are checked against.
 *   --cpu-time: time with the thread's CPU clock instead of the wall clock, so that time the
 *   thread spends descheduled on a loaded machine is not counted.
 * Exit 2 on a usage error, 3 on a bad file, 1 if the two kernel sets' outputs differ. */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plrt_model.h"

static const char kUsage[] =
    "usage: bench_runtime MODEL.plq [--reps N] [--warmup N] [--input WINDOWS_F32.bin] "
    "[--cpu-time] [--json] [--logits OUT.bin]\n";

typedef struct options {
  const char* model;
  const char* input;
  const char* logits;
  long reps, warmup;
  int json, cpu_time;
} options;

static int usage_error(const char* why) {
  fprintf(stderr, "bench_runtime: %s\n%s", why, kUsage);
  return 2;
}

static int parse_count(const char* text, long* out) {
  char* end;
  const long v = strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v < 1 || v > 1000000) return 0;
  *out = v;
  return 1;
}

static int parse(int argc, char** argv, options* o) {
  int i;
  memset(o, 0, sizeof *o);
  o->reps = 101;
  o->warmup = 5;
  for (i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (strcmp(a, "--json") == 0) {
      o->json = 1;
    } else if (strcmp(a, "--cpu-time") == 0) {
      o->cpu_time = 1;
    } else if ((strcmp(a, "--reps") == 0 || strcmp(a, "--warmup") == 0) && i + 1 < argc) {
      if (!parse_count(argv[++i], a[2] == 'r' ? &o->reps : &o->warmup)) {
        return usage_error("--reps and --warmup take a count in [1, 1000000]");
      }
    } else if (strcmp(a, "--input") == 0 && i + 1 < argc) {
      o->input = argv[++i];
    } else if (strcmp(a, "--logits") == 0 && i + 1 < argc) {
      o->logits = argv[++i];
    } else if (a[0] == '-' || o->model != NULL) {
      fprintf(stderr, "bench_runtime: unexpected argument '%s'\n%s", a, kUsage);
      return 2;
    } else {
      o->model = a;
    }
  }
  if (o->logits != NULL && o->input == NULL) return usage_error("--logits needs --input");
  return o->model == NULL ? usage_error("no model file given") : 0;
}

/* Reads a whole file into a malloc buffer; NULL (with a message) on failure. */
static void* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  void* buffer = NULL;
  long n;
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fprintf(stderr, "bench_runtime: %s: cannot read\n", path);
    if (f != NULL) fclose(f);
    return NULL;
  }
  buffer = n > 0 ? malloc((size_t)n) : NULL; /* malloc aligns to at least 8 bytes */
  if (buffer == NULL || fread(buffer, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "bench_runtime: %s: cannot read %ld bytes\n", path, n);
    free(buffer);
    buffer = NULL;
  }
  fclose(f);
  *size = (size_t)n;
  return buffer;
}

static double now_us(clockid_t clock_id) {
  struct timespec ts;
  clock_gettime(clock_id, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

static int compare_doubles(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double median(double* v, long n) {
  qsort(v, (size_t)n, sizeof *v, compare_doubles);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The window: the first of --input, quantised, or seeded random int8. */
static int load_input(const options* o, const plrt_model* m, int8_t* input) {
  const size_t count = (size_t)plrt_input_channels(m) * plrt_input_length(m);
  size_t i;
  if (o->input != NULL) {
    size_t size;
    float* x = (float*)read_file(o->input, &size);
    if (x == NULL) return 3;
    if (size < count * sizeof(float)) {
      fprintf(stderr, "bench_runtime: %s: %zu bytes, a window of %ux%u float32 needs %zu\n",
              o->input, size, plrt_input_channels(m), plrt_input_length(m), count * sizeof(float));
      free(x);
      return 3;
    }
    plrt_quantize_input(m, x, input);
    free(x);
  } else {
    uint32_t state = 12345u;
    for (i = 0; i < count; ++i) {
      state = state * 1664525u + 1013904223u;
      input[i] = (int8_t)(state >> 24);
    }
  }
  return 0;
}

/* --logits: every window of --input quantised and run (optimised kernels); int8 (N, K) to OUT. */
static int write_logits(const options* o, const plrt_model* m, uint8_t* arena, size_t arena_size) {
  const size_t window = (size_t)plrt_input_channels(m) * plrt_input_length(m);
  size_t size, n, i;
  float* x = (float*)read_file(o->input, &size);
  FILE* out;
  int ok = 1;
  if (x == NULL) return 3;
  n = size / (window * sizeof(float));
  out = fopen(o->logits, "wb");
  if (out == NULL) {
    fprintf(stderr, "bench_runtime: %s: cannot write\n", o->logits);
    free(x);
    return 3;
  }
  for (i = 0; i < n && ok; ++i) {
    plrt_quantize_input(m, x + i * window, plrt_input(m, arena));
    plrt_invoke(m, arena, arena_size, PLRT_KERNELS_OPTIMIZED);
    ok = fwrite(plrt_output(m, arena), 1, plrt_num_classes(m), out) == plrt_num_classes(m);
  }
  ok = fclose(out) == 0 && ok;
  free(x);
  if (!ok) fprintf(stderr, "bench_runtime: %s: write failed\n", o->logits);
  return ok ? 0 : 3;
}

int main(int argc, char** argv) {
  options o;
  plrt_model m;
  plrt_error err;
  size_t size, arena_size, window;
  void* file;
  uint8_t *arena, *input;
  double *times[2], med[2];
  int8_t first_output[2][256];
  long r;
  int k, status = parse(argc, argv, &o), equal;
  clockid_t clock_id;
  if (status != 0) return status;
  clock_id = o.cpu_time ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
  file = read_file(o.model, &size);
  if (file == NULL) return 3;
  if (plrt_model_init(&m, file, size, &err) != PLRT_OK) {
    fprintf(stderr, "bench_runtime: %s: %s\n", o.model, err.reason);
    return 3;
  }
  arena_size = plrt_model_arena_size(&m);
  window = (size_t)plrt_input_channels(&m) * plrt_input_length(&m);
  arena = (uint8_t*)malloc(arena_size);
  input = (uint8_t*)malloc(window);
  times[0] = (double*)malloc((size_t)o.reps * sizeof(double));
  times[1] = (double*)malloc((size_t)o.reps * sizeof(double));
  status = load_input(&o, &m, (int8_t*)input);
  if (status == 0 && o.logits != NULL) status = write_logits(&o, &m, arena, arena_size);
  if (status != 0) return status;
  for (r = -o.warmup; r < o.reps; ++r) {
    for (k = 0; k < 2; ++k) {
      const plrt_kernels kernels = k == 0 ? PLRT_KERNELS_REFERENCE : PLRT_KERNELS_OPTIMIZED;
      double t0;
      memcpy(plrt_input(&m, arena), input, window); /* the arena may reuse the input's bytes */
      t0 = now_us(clock_id);
      plrt_invoke(&m, arena, arena_size, kernels);
      if (r >= 0) times[k][r] = now_us(clock_id) - t0;
      if (r == -o.warmup) {
        memcpy(first_output[k], plrt_output(&m, arena),
               plrt_num_classes(&m) < 256 ? plrt_num_classes(&m) : 256);
      }
    }
  }
  equal = memcmp(first_output[0], first_output[1],
                 plrt_num_classes(&m) < 256 ? plrt_num_classes(&m) : 256) == 0;
  med[0] = median(times[0], o.reps);
  med[1] = median(times[1], o.reps);
  {
    const double macs = (double)plrt_model_macs(&m);
    const char* scheme = plrt_model_scheme(&m) == PLRT_SCHEME_MAX78000 ? "POW2" : "TFLITE";
    if (o.json) {
      printf(
          "{\"model\": \"%s\", \"scheme\": \"%s\", \"input\": [%u, %u], \"classes\": %u, "
          "\"macs\": %.0f, \"arena_bytes\": %zu, \"reps\": %ld, \"clock\": \"%s\", "
          "\"reference_us\": %.3f, \"optimized_us\": %.3f, \"ratio\": %.3f, "
          "\"reference_macs_per_s\": %.4g, \"optimized_macs_per_s\": %.4g, "
          "\"outputs_equal\": %s}\n",
          o.model, scheme, plrt_input_channels(&m), plrt_input_length(&m), plrt_num_classes(&m),
          macs, arena_size, o.reps, o.cpu_time ? "thread_cpu" : "wall", med[0], med[1],
          med[0] / med[1], macs / med[0] * 1e6, macs / med[1] * 1e6, equal ? "true" : "false");
    } else {
      printf("%s: %s, input %ux%u, %u classes, %.0f MACs/window, arena %zu B, %ld reps, %s\n",
             o.model, scheme, plrt_input_channels(&m), plrt_input_length(&m), plrt_num_classes(&m),
             macs, arena_size, o.reps, o.cpu_time ? "thread CPU time" : "wall time");
      printf("reference  %10.1f us/window  %6.2f GMAC/s\n", med[0], macs / med[0] * 1e-3);
      printf("optimized  %10.1f us/window  %6.2f GMAC/s\n", med[1], macs / med[1] * 1e-3);
      printf("ratio      %10.2fx (reference / optimized median); outputs %s\n", med[0] / med[1],
             equal ? "equal" : "DIFFER");
    }
  }
  free(times[0]);
  free(times[1]);
  free(input);
  free(arena);
  free(file);
  return equal ? 0 : 1;
}
