/* Self-test of the instruction-count harness (insncount.h, insncount.sh): a section of exactly
 * 1000 NOPs (an assembler .rept, so the compiler cannot change it) must count 1000 instructions
 * once the marker's cost (the calibration section, same call sequence) is subtracted, and a
 * section of a 250-iteration loop of 4 instructions (subs, nop, nop, bne) 1000 more plus its
 * one-instruction set-up. CTest checks the script's table (runtime/cmake/stream_example.cmake). */
#include "insncount.h"

int main(void) {
  plrt_insn_mark(PLRT_INSN_CALIBRATE);
  plrt_insn_mark(PLRT_INSN_OTHER);
  __asm__ volatile(".rept 1000\n\tnop\n\t.endr" ::: "memory");
  plrt_insn_mark(PLRT_INSN_INTERPRETER);
  __asm__ volatile(
      "movs r3, #250\n"
      "1:\n\t"
      "subs r3, r3, #1\n\t"
      "nop\n\t"
      "nop\n\t"
      "bne 1b" ::
          : "r3", "cc", "memory");
  plrt_insn_mark(PLRT_INSN_END);
  plrt_insn_report();
  return 0;
}
