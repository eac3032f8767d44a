/* plq_to_c: a .plq model as C source for firmware (host tool; uses stdio, not part of libplrt).
 *
 * usage: plq_to_c MODEL.plq NAME OUT_DIR
 *
 * Verifies MODEL.plq with plrt_model_init (a refused file is not converted), then writes
 * OUT_DIR/NAME.h and OUT_DIR/NAME.c (each through a temporary file and a rename):
 *   extern const uint8_t NAME[];            the file's bytes, 4-byte aligned
 *   #define NAME_SIZE, NAME_ARENA_SIZE      bytes of the array and of the arena plrt_invoke needs
 *   #define NAME_INPUT_CHANNELS, NAME_INPUT_LENGTH, NAME_NUM_CLASSES, NAME_MACS
 * (macro prefixes are NAME in upper case). NAME must be a C identifier. Exit 2 on a usage
 * error, 3 on a bad or unreadable model, 1 if an output cannot be written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plrt_c_array.h"

static const char kUsage[] = "usage: plq_to_c MODEL.plq NAME OUT_DIR\n";

/* Reads the whole file into a malloc buffer (malloc aligns it for plrt_model_init). */
static uint8_t* read_all(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  uint8_t* data = NULL;
  long n = -1;
  if (f != NULL && fseek(f, 0, SEEK_END) == 0) n = ftell(f);
  if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    data = (uint8_t*)malloc(n > 0 ? (size_t)n : 1);
    if (data != NULL && fread(data, 1, (size_t)n, f) != (size_t)n) {
      free(data);
      data = NULL;
    }
  }
  if (f != NULL) fclose(f);
  *size = n > 0 ? (size_t)n : 0;
  return data;
}

int main(int argc, char** argv) {
  char message[512];
  const char* label;
  uint8_t* data;
  size_t size;
  plrt_c_array_status status;
  if (argc != 4) {
    fprintf(stderr, "%s", kUsage);
    return 2;
  }
  label = strrchr(argv[1], '/') != NULL ? strrchr(argv[1], '/') + 1 : argv[1];
  data = read_all(argv[1], &size);
  if (data == NULL) {
    fprintf(stderr, "plq_to_c: %s: cannot read the file\n", argv[1]);
    return 3;
  }
  status = plrt_write_c_array(data, size, argv[2], label, argv[3], message, sizeof message);
  free(data);
  if (status == PLRT_C_ARRAY_BAD_NAME) {
    fprintf(stderr, "plq_to_c: %s\n%s", message, kUsage);
  } else if (status == PLRT_C_ARRAY_BAD_MODEL) {
    fprintf(stderr, "plq_to_c: %s: %s\n", argv[1], message);
  } else if (status != PLRT_C_ARRAY_OK) {
    fprintf(stderr, "plq_to_c: %s\n", message);
  }
  return (int)status;
}
