/* plrt_write_c_array: see plrt_c_array.h. */
#include "plrt_c_array.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "plrt_model.h"

static int is_identifier(const char* s) {
  if (!(isalpha((unsigned char)*s) || *s == '_')) return 0;
  for (++s; *s != '\0'; ++s) {
    if (!(isalnum((unsigned char)*s) || *s == '_')) return 0;
  }
  return 1;
}

typedef struct names {
  const char* name;  /* the array */
  char upper[256];   /* the macro prefix */
  const char* model; /* the input file's name, for the comments */
} names;

static int write_header(FILE* f, const names* n, const plrt_model* m, size_t size) {
  fprintf(f,
          "/* Generated from %s by plrt_write_c_array (plq_to_c, physiolite quantize --c-array); "
          "do not edit. Verified with plrt_model_init:\n"
          " * %s scheme, input %u x %u (channels x length), %u classes. */\n",
          n->model, plrt_model_scheme(m) == PLRT_SCHEME_MAX78000 ? "MAX78000 (POW2)" : "TFLite",
          (unsigned)plrt_input_channels(m), (unsigned)plrt_input_length(m),
          (unsigned)plrt_num_classes(m));
  fprintf(f, "#ifndef %s_H\n#define %s_H\n\n#include <stdint.h>\n\n", n->upper, n->upper);
  fprintf(f, "#define %s_SIZE %zuu\n", n->upper, size);
  fprintf(f, "#define %s_ARENA_SIZE %zuu\n", n->upper, plrt_model_arena_size(m));
  fprintf(f, "#define %s_INPUT_CHANNELS %uu\n", n->upper, (unsigned)plrt_input_channels(m));
  fprintf(f, "#define %s_INPUT_LENGTH %uu\n", n->upper, (unsigned)plrt_input_length(m));
  fprintf(f, "#define %s_NUM_CLASSES %uu\n", n->upper, (unsigned)plrt_num_classes(m));
  fprintf(f, "#define %s_MACS %lluu\n\n", n->upper, (unsigned long long)plrt_model_macs(m));
  fprintf(f,
          "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
          "/* The model file, 4-byte aligned: pass it to plrt_model_init with %s_SIZE. */\n"
          "extern const uint8_t %s[];\n\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n",
          n->upper, n->name);
  return ferror(f) == 0;
}

static int write_source(FILE* f, const names* n, const uint8_t* data, size_t size) {
  size_t i;
  fprintf(f, "/* Generated from %s by plrt_write_c_array; do not edit. */\n#include \"%s.h\"\n\n",
          n->model, n->name);
  fprintf(f,
          "/* plrt_model_init needs a 4-byte aligned buffer. */\n"
          "#if defined(__GNUC__) || defined(__clang__)\n"
          "#define %s_ALIGN __attribute__((aligned(4)))\n"
          "#elif defined(_MSC_VER)\n"
          "#define %s_ALIGN __declspec(align(4))\n"
          "#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L\n"
          "#define %s_ALIGN _Alignas(4)\n"
          "#else\n"
          "#error \"no way to align the model array to 4 bytes with this compiler\"\n"
          "#endif\n\n",
          n->upper, n->upper, n->upper);
  fprintf(f, "%s_ALIGN const uint8_t %s[%s_SIZE] = {", n->upper, n->name, n->upper);
  for (i = 0; i < size; ++i) {
    fprintf(f, "%s0x%02x,", i % 16 == 0 ? "\n    " : " ", data[i]);
  }
  fprintf(f, "\n};\n");
  return ferror(f) == 0;
}

/* Writes OUT_DIR/NAME.EXT through OUT_DIR/NAME.EXT.tmp and a rename. */
static int write_output(const char* dir, const names* n, const char* ext, const plrt_model* m,
                        const uint8_t* data, size_t size, char* message, size_t message_size) {
  char path[4096], tmp[4200];
  FILE* f;
  int ok;
  snprintf(path, sizeof path, "%s/%s.%s", dir, n->name, ext);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  f = fopen(tmp, "w");
  if (f == NULL) {
    snprintf(message, message_size, "cannot write %s", tmp);
    return 0;
  }
  ok = ext[0] == 'h' ? write_header(f, n, m, size) : write_source(f, n, data, size);
  ok = fclose(f) == 0 && ok && rename(tmp, path) == 0;
  if (!ok) {
    snprintf(message, message_size, "cannot write %s", path);
    remove(tmp);
  }
  return ok;
}

plrt_c_array_status plrt_write_c_array(const uint8_t* data, size_t size, const char* name,
                                       const char* label, const char* out_dir, char* message,
                                       size_t message_size) {
  names n;
  plrt_model m;
  plrt_error err;
  size_t i;
  char ignored[1];
  if (message == NULL || message_size == 0) {
    message = ignored;
    message_size = sizeof ignored;
  }
  message[0] = '\0';
  if (name == NULL || !is_identifier(name) || strlen(name) >= sizeof n.upper) {
    snprintf(message, message_size, "NAME '%s' is not a C identifier (of < 256 characters)",
             name != NULL ? name : "");
    return PLRT_C_ARRAY_BAD_NAME;
  }
  n.name = name;
  n.model = label != NULL ? label : name;
  for (i = 0; name[i] != '\0'; ++i) n.upper[i] = (char)toupper((unsigned char)name[i]);
  n.upper[i] = '\0';
  if (plrt_model_init(&m, data, size, &err) != PLRT_OK) {
    snprintf(message, message_size, "%s", err.reason);
    return PLRT_C_ARRAY_BAD_MODEL;
  }
  if (!write_output(out_dir, &n, "h", &m, data, size, message, message_size) ||
      !write_output(out_dir, &n, "c", &m, data, size, message, message_size)) {
    return PLRT_C_ARRAY_CANNOT_WRITE;
  }
  return PLRT_C_ARRAY_OK;
}
