#!/usr/bin/env bash
# The EMG rows of `physiolite profile`'s CPU table (src/profile/profile.cpp, docs/profile.md):
# for each emulated core (QEMU mps2-an386 Cortex-M4F, mps3-an547 Cortex-M55) builds
# runtime/tools/emg_insncount.c and counts the instructions of plrt_emg_init (once, "other") and
# plrt_emg_prepare (per window, "pipeline") for the UCI EMG model's shape (24 x 1024) with
# runtime/tools/insncount.sh. Counts are exact and repeatable (QEMU models no timing): one run.
#   bash bench/run_profile_cpu.sh [cortex-m4|cortex-m55 ...]
set -euo pipefail
. "$(dirname "$0")/cortex_m_cores.sh"
count() {
  echo "== $1: EMG input preparation, instructions per section"
  tools/insncount.sh "$2" "../build/$1/plrt_emg_insncount"
}
cd "$(dirname "$0")/../runtime"
cortex_m_each run_profile_cpu.sh count plrt_emg_insncount "$@"
