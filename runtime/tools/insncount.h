/* Instruction-count markers for programs run on QEMU with ../shared/tools/qemu-insncount
 * (runtime/tools/insncount.sh runs them; docs/cortex_m.md). The plugin prints QEMU's running
 * count of executed guest instructions each time plrt_insn_mark's first instruction executes;
 * the program calls plrt_insn_mark(LABEL) where a section of LABEL starts (a section ends at the
 * next mark), records the labels in order and prints them at the end (plrt_insn_report), so the
 * script can pair the k-th count with the k-th label. The first section of a program should be
 * PLRT_INSN_CALIBRATE with nothing in it: its count (the marker's own cost) is subtracted from
 * every section. Test and benchmark code only (it has a global log and uses stdio). */
#ifndef PLRT_INSNCOUNT_H
#define PLRT_INSNCOUNT_H

#ifdef __cplusplus
extern "C" {
#endif

enum plrt_insn_label {
  PLRT_INSN_CALIBRATE = 0, /* an empty section: the cost of a mark */
  PLRT_INSN_DETECTOR,      /* plrt_qrs alone over the record */
  PLRT_INSN_PIPELINE,      /* plrt_ecg outside plrt_invoke: detector + preprocessing */
  PLRT_INSN_INFERENCE,     /* inside plrt_invoke */
  PLRT_INSN_INTERPRETER,   /* inside plrt_invoke, outside the kernels */
  PLRT_INSN_CONV1D,        /* the kernels, by op type */
  PLRT_INSN_POINTWISE,
  PLRT_INSN_AVGPOOL,
  PLRT_INSN_ADD,
  PLRT_INSN_CONCAT,
  PLRT_INSN_RELU,
  PLRT_INSN_OTHER, /* a program's own code between sections */
  PLRT_INSN_PEER,  /* a peer library's kernel on the same operands (bench/cmsis_nn_layers.c) */
  PLRT_INSN_END,   /* the last mark: ends the last section */
  PLRT_INSN_LABELS
};

/* Starts a section of `label`. Never inlined: its address is the plugin's mark. */
void plrt_insn_mark(int label);

/* The number of marks so far (the index of the next one). */
long plrt_insn_marks(void);

/* Prints the recorded labels ("insnmark INDEX NAME", one line per mark) to stdout. */
void plrt_insn_report(void);

#ifdef __cplusplus
}
#endif

#endif /* PLRT_INSNCOUNT_H */
