/* The one emitter of a .plq model as firmware C source, shared by the plq_to_c tool and
 * `physiolite quantize --c-array` (host code: uses stdio; not part of libplrt).
 *
 * OUT_DIR/NAME.h declares
 *   extern const uint8_t NAME[];            the file's bytes, 4-byte aligned
 *   #define NAME_SIZE, NAME_ARENA_SIZE      bytes of the array and of the arena plrt_invoke needs
 *   #define NAME_INPUT_CHANNELS, NAME_INPUT_LENGTH, NAME_NUM_CLASSES, NAME_MACS
 * (macro prefixes are NAME in upper case) and OUT_DIR/NAME.c defines the array: what
 * runtime/examples/classify.c compiles with. The model is verified with plrt_model_init first
 * (a refused model is not converted); each file is written to NAME.EXT.tmp and renamed. */
#ifndef PLRT_C_ARRAY_H
#define PLRT_C_ARRAY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum plrt_c_array_status {
  PLRT_C_ARRAY_OK = 0,
  PLRT_C_ARRAY_CANNOT_WRITE = 1, /* an output file (named in the message) */
  PLRT_C_ARRAY_BAD_NAME = 2,     /* NAME is not a C identifier of < 256 characters */
  PLRT_C_ARRAY_BAD_MODEL = 3     /* plrt_model_init refused the bytes (its reason) */
} plrt_c_array_status;

/* `data` must be 4-byte aligned (as plrt_model_init needs); `label` names the model in the
 * generated comments (e.g. the .plq file's name). On failure `message` (of `message_size`
 * bytes, may be 0) says why. */
plrt_c_array_status plrt_write_c_array(const uint8_t* data, size_t size, const char* name,
                                       const char* label, const char* out_dir, char* message,
                                       size_t message_size);

#ifdef __cplusplus
}
#endif

#endif /* PLRT_C_ARRAY_H */
