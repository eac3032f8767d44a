/* The markers of insncount.h: a log of labels, printed at the end so that printing costs
 * nothing between marks. */
#include "insncount.h"

#include <stdio.h>

enum { kMaxMarks = 1 << 18 };

static unsigned char g_log[kMaxMarks];
static long g_marks;
static long g_dropped;

static const char* const kNames[PLRT_INSN_LABELS] = {
    "calibrate", "detector", "pipeline", "inference", "interpreter", "conv1d", "pointwise",
    "avgpool",   "add",      "concat",   "relu",      "other",       "peer",   "end"};

__attribute__((noinline)) void plrt_insn_mark(int label) {
  /* The same instructions run for every mark (no early return), so that the calibration
   * section's count is every section's overhead. */
  const long i = g_marks < kMaxMarks ? g_marks : kMaxMarks - 1;
  g_log[i] = (unsigned char)label;
  g_dropped += g_marks >= kMaxMarks;
  ++g_marks;
  __asm__ volatile("" ::: "memory");
}

long plrt_insn_marks(void) { return g_marks; }

void plrt_insn_report(void) {
  long i;
  for (i = 0; i < g_marks && i < kMaxMarks; ++i) {
    const int label = g_log[i];
    printf("insnmark %ld %s\n", i, label < PLRT_INSN_LABELS ? kNames[label] : "?");
  }
  if (g_dropped > 0) printf("insnmark dropped %ld\n", g_dropped);
}
