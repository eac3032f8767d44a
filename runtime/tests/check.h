/* A tiny assertion kit for the runtime's C tests: failures are counted and printed with their
 * location and values; main returns check_report(). */
#ifndef PLRT_TESTS_CHECK_H
#define PLRT_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int g_checks = 0;
static int g_failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++g_checks;                                                                \
    if (!(cond)) {                                                             \
      ++g_failures;                                                            \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/* Integer equality, printing both values. */
#define CHECK_EQ(actual, expected)                                                           \
  do {                                                                                       \
    const long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);        \
    ++g_checks;                                                                              \
    if (check_a_ != check_e_) {                                                              \
      ++g_failures;                                                                          \
      fprintf(stderr, "%s:%d: %s = %lld, expected %s = %lld\n", __FILE__, __LINE__, #actual, \
              check_a_, #expected, check_e_);                                                \
    }                                                                                        \
  } while (0)

/* `text` contains `part`. */
#define CHECK_CONTAINS(text, part)                                                           \
  do {                                                                                       \
    ++g_checks;                                                                              \
    if (strstr((text), (part)) == NULL) {                                                    \
      ++g_failures;                                                                          \
      fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, (text), \
              (part));                                                                       \
    }                                                                                        \
  } while (0)

static int check_report(const char* name) {
  printf("%s: %d checks, %d failures\n", name, g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}

#endif
