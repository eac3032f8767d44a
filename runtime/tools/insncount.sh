#!/bin/sh
# insncount.sh BOARD PROGRAM.elf [ARG...]: runs a program built with the markers of
# runtime/tools/insncount.h on QEMU's BOARD (mps2-an386 = Cortex-M4F, mps3-an547 = Cortex-M55)
# with the qemu-insncount plugin (../shared/tools/qemu-insncount, or $PLRT_QEMU_INSNCOUNT: the
# folder holding its build.sh), and prints per section label: the number of sections, their
# instructions in total and on average, net of the marker's own cost (the calibration section).
# The program's own output goes to PROGRAM.elf.insn.out, the plugin's to PROGRAM.elf.insn.log.
# Example: runtime/tools/insncount.sh mps2-an386 build/cortex-m4/plrt_stream_ecg_insncount
set -eu
if [ $# -lt 2 ]; then
  echo "usage: insncount.sh BOARD PROGRAM.elf [ARG...]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
board=$1
elf=$2
shift 2
plugin_dir=${PLRT_QEMU_INSNCOUNT:-$here/../../../shared/tools/qemu-insncount}
if [ ! -f "$plugin_dir/build.sh" ]; then
  echo "insncount.sh: no $plugin_dir/build.sh (set PLRT_QEMU_INSNCOUNT to the plugin's folder)" >&2
  exit 2
fi
mark=$(arm-none-eabi-nm "$elf" | awk '$3 == "plrt_insn_mark" { print $1 }')
if [ -z "$mark" ]; then
  echo "insncount.sh: $elf has no plrt_insn_mark (not built with runtime/tools/insncount.c)" >&2
  exit 2
fi
# A private copy of the plugin: runs in parallel must not rebuild one file under each other.
plugin_build=$(mktemp -d "${TMPDIR:-/tmp}/insncount.XXXXXX")
trap 'rm -rf "$plugin_build"' EXIT
plugin=$(sh "$plugin_dir/build.sh" "$plugin_build")
out=$elf.insn.out
log=$elf.insn.log
rm -f "$log"
PLRT_QEMU_EXTRA="-plugin $plugin,mark=0x$mark -d plugin -D $log" \
  "$here/../cmake/qemu_run.sh" "$board" "$elf" "$@" > "$out"
# Pair the k-th count (log: "insncount: mark K at N insns") with the k-th label (program:
# "insnmark K LABEL"); section K runs from mark K to mark K+1.
awk '
  FNR == NR && /^insncount: mark / { count[$3] = $5; n = $3 + 1; next }
  FNR == NR && /^insncount: total / { total = $3; next }
  FNR != NR && /^insnmark dropped/ { print "insncount.sh: the program dropped marks" > "/dev/stderr"; bad = 1 }
  FNR != NR && /^insnmark [0-9]/ { label[$2] = $3; labels = $2 + 1 }
  END {
    if (bad || labels != n || n < 2 || label[0] != "calibrate") {
      printf "insncount.sh: %d counts, %d labels (the first must be calibrate)\n", n, labels > "/dev/stderr"
      exit 1
    }
    cal = count[1] - count[0]
    for (k = 0; k + 1 < n; ++k) {
      l = label[k]
      if (l == "calibrate") continue
      if (!(l in sections)) order[++m] = l
      sections[l]++
      insns[l] += count[k + 1] - count[k] - cal
    }
    printf "%-12s %9s %15s %15s\n", "section", "count", "instructions", "per section"
    for (i = 1; i <= m; ++i) {
      l = order[i]
      printf "%-12s %9d %15.0f %15.1f\n", l, sections[l], insns[l], insns[l] / sections[l]
    }
    printf "marker cost %d instructions (subtracted); program total %.0f\n", cal, total
  }' "$log" "$out"
