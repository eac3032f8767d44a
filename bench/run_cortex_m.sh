#!/usr/bin/env bash
# The device figures of README "Real time on the device" and docs/cortex_m.md: for each emulated
# core (QEMU mps2-an386 Cortex-M4F, mps3-an547 Cortex-M55) builds the runtime's firmware example,
# counts the instructions of its detector, preprocessing and inference (per op type) over 30 min
# of MIT-BIH record 100 for both shipped quantisations (runtime/tools/insncount.sh), and prints
# its flash and RAM by origin (runtime/tools/footprint.sh). Instruction counts are exact and
# repeatable (QEMU models no timing), so one run each is enough. Takes a few minutes per run.
#   bash bench/run_cortex_m.sh [cortex-m4|cortex-m55 ...]
set -euo pipefail
. "$(dirname "$0")/cortex_m_cores.sh"
cd "$(dirname "$0")/../runtime"
cores=("$@")
[ ${#cores[@]} -gt 0 ] || cores=(cortex-m4 cortex-m55)
for core in "${cores[@]}"; do
  board=$(cortex_m_board "$core" run_cortex_m.sh) || exit 2
  cmake --preset "$core" > /dev/null
  cmake --build --preset "$core" -j 2 --target plrt_stream_ecg \
    plrt_stream_ecg_insncount_max78000-qat plrt_stream_ecg_insncount_tflite-qat > /dev/null
  for model in max78000-qat tflite-qat; do
    echo "== $core, $model: instructions per section"
    tools/insncount.sh "$board" "../build/$core/plrt_stream_ecg_insncount_$model"
  done
  echo "== $core: flash and RAM of plrt_stream_ecg (bytes)"
  tools/footprint.sh "../build/$core/plrt_stream_ecg"
done
