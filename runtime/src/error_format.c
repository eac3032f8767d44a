/* The verifier's message formatter (see error_format.h). */
#include "error_format.h"

typedef struct writer {
  char* out;
  size_t used;
} writer;

static void put_char(writer* w, char c) {
  if (w->used + 1 < PLRT_ERROR_REASON_SIZE) w->out[w->used++] = c;
}

static void put_unsigned(writer* w, unsigned long long v, unsigned base) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v != 0);
  while (n > 0) put_char(w, digits[--n]);
}

static void put_signed(writer* w, long v) {
  if (v < 0) put_char(w, '-');
  /* 0 - (unsigned long)v is |v| even for LONG_MIN */
  put_unsigned(w, v < 0 ? 0ul - (unsigned long)v : (unsigned long)v, 10u);
}

void plrt_error_vformat(plrt_error* error, const char* format, va_list args) {
  writer w;
  const char* f;
  if (error == NULL) return;
  w.out = error->reason;
  w.used = 0;
  for (f = format; *f != '\0'; ++f) {
    if (*f != '%') {
      put_char(&w, *f);
    } else if (f[1] == '%') {
      put_char(&w, '%');
      ++f;
    } else if (f[1] == 's') {
      const char* s = va_arg(args, const char*);
      while (*s != '\0') put_char(&w, *s++);
      ++f;
    } else if (f[1] == 'l' && (f[2] == 'u' || f[2] == 'x')) {
      put_unsigned(&w, va_arg(args, unsigned long), f[2] == 'u' ? 10u : 16u);
      f += 2;
    } else if (f[1] == 'l' && f[2] == 'l' && f[3] == 'u') {
      put_unsigned(&w, va_arg(args, unsigned long long), 10u);
      f += 3;
    } else if (f[1] == 'l' && f[2] == 'd') {
      put_signed(&w, va_arg(args, long));
      f += 2;
    } else if (f[1] == 'd') {
      put_signed(&w, va_arg(args, int));
      ++f;
    } else if (f[1] == 'u') {
      put_unsigned(&w, va_arg(args, unsigned), 10u);
      ++f;
    } else {
      put_char(&w, '%'); /* unknown conversion: shown as written */
    }
  }
  w.out[w.used] = '\0';
}

void plrt_error_format(plrt_error* error, const char* format, ...) {
  va_list args;
  va_start(args, format);
  plrt_error_vformat(error, format, args);
  va_end(args);
}
