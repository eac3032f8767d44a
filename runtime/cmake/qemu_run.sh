#!/bin/sh
# qemu_run.sh BOARD PROGRAM.elf [ARG...]: runs a semihosting program on QEMU's BOARD
# (mps2-an386 = Cortex-M4F, mps3-an547 = Cortex-M55) with stdout/stderr on the host's and the
# program's exit status as this script's. The arguments reach the program's argv through
# semihosting (SYS_GET_CMDLINE: QEMU joins the arg= entries with spaces, so an argument may not
# contain a space or a comma). File paths the program opens are the host's, relative to the
# current folder. Extra QEMU options (e.g. the instruction-count plugin) come from
# $PLRT_QEMU_EXTRA.
set -eu
if [ $# -lt 2 ]; then
  echo "usage: qemu_run.sh BOARD PROGRAM.elf [ARG...]" >&2
  exit 2
fi
board=$1
program=$2
shift
cmdline=""
for a in "$@"; do
  case $a in
    *" "* | *,*)
      echo "qemu_run.sh: argument '$a' contains a space or a comma (semihosting cannot pass it)" >&2
      exit 2
      ;;
  esac
  cmdline="$cmdline,arg=$a"
done
# shellcheck disable=SC2086  # PLRT_QEMU_EXTRA is a list of options
exec qemu-system-arm -M "$board" -nographic -monitor none -serial none \
  -semihosting-config "enable=on,target=native$cmdline" ${PLRT_QEMU_EXTRA:-} -kernel "$program"
