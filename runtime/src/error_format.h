/* Writes a plrt_error reason without stdio: a small formatter for the verifier's messages. */
#ifndef PLRT_ERROR_FORMAT_H
#define PLRT_ERROR_FORMAT_H

#include <stdarg.h>

#include "plrt_model.h"

#if defined(__GNUC__)
#define PLRT_FORMAT_CHECK(fmt_index, first_arg) \
  __attribute__((format(__printf__, fmt_index, first_arg)))
#else
#define PLRT_FORMAT_CHECK(fmt_index, first_arg)
#endif

/* Formats into error->reason (truncated to fit, always NUL-terminated); a NULL error is ignored.
 * Conversions: %s, %d, %u, %ld, %lu, %lx (hex), %llu and %%, without flags or widths (GCC and
 * Clang check the argument types). */
void plrt_error_vformat(plrt_error* error, const char* format, va_list args);
void plrt_error_format(plrt_error* error, const char* format, ...) PLRT_FORMAT_CHECK(2, 3);

#endif /* PLRT_ERROR_FORMAT_H */
