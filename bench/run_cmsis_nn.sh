#!/usr/bin/env bash
# PhysioLite's int8 kernels against Arm CMSIS-NN (the kernels of TFLite Micro) on the emulated
# cores, the figures of docs/cortex_m.md "Arm kernels" and README "Real time on the device": for
# each core (QEMU mps2-an386 Cortex-M4F, mps3-an547 Cortex-M55) builds bench/cmsis_nn_layers.c
# with CMSIS-NN compiled from ../shared/tools/cmsis-nn (runtime/cmake/cmsis_nn_bench.cmake), and
# for the shipped MIT-BIH and UCI models runs one inference of the TFLITE model, where every
# convolution, add and average pool runs ours then CMSIS-NN's on the same operands; counts the
# instructions of each (../shared/tools/qemu-insncount through runtime/tools/insncount.sh) and
# prints per layer and for the whole network ours, CMSIS-NN's and the ratio CMSIS-NN / ours
# (> 1: ours executes fewer). The program exits non-zero (and so does this script) unless every
# CMSIS-NN output equals ours byte for byte. Then the POW2 model of the same run (ours only).
# QEMU models no timing: instruction counts are exact and repeatable, so one run each is enough.
#   bash bench/run_cmsis_nn.sh [cortex-m4|cortex-m55 ...]
set -euo pipefail
. "$(dirname "$0")/cortex_m_cores.sh"
cd "$(dirname "$0")/../runtime"
cores=("$@")
[ ${#cores[@]} -gt 0 ] || cores=(cortex-m4 cortex-m55)
models=(mitbih-wavelet-seed1 uci-wavelet-seed1)

# layers.awk LOG OUT: the per-layer table and totals of one TFLITE run (both files of
# insncount.sh: the plugin's "insncount: mark K at N insns" and the program's "layer ..." and
# "insnmark K LABEL" lines).
tflite_table='
  FNR == NR && /^insncount: mark / { count[$3] = $5; next }
  FNR == NR { next }
  /^insnmark [0-9]/ { label[$2] = $3; n = $2 + 1; next }
  /^layer / { nl++; L[nl] = $0; next }
  END {
    cal = count[1] - count[0]
    for (k = 1; k + 1 < n; ++k) {
      if (label[k] == "interpreter" || label[k] == "concat" || label[k] == "relu")
        rest += count[k + 1] - count[k] - cal
    }
    printf "| # | op | C_in -> C_out | k | length | MACs | ours | CMSIS-NN | CMSIS-NN / ours | CMSIS-NN function |\n"
    printf "|---:|---|---|---:|---:|---:|---:|---:|---:|---|\n"
    for (i = 1; i <= nl; ++i) {
      split(L[i], f, " ")
      om = f[9]; pm = f[10]
      ours = count[om + 1] - count[om] - cal
      peer = count[pm + 1] - count[pm] - cal
      if (f[11] != 1) { printf "layer %d: CMSIS-NN output differs\n", f[2] > "/dev/stderr"; bad = 1 }
      shape = f[3] == "add" ? sprintf("%d elements", f[4]) : sprintf("%d -> %d", f[4], f[5])
      k = f[3] == "add" ? "" : f[6]; len = f[3] == "add" ? "" : f[7]; m = (f[8] > 0) ? f[8] : ""
      printf "| %d | %s | %s | %s | %s | %s | %d | %d | %.2f | `%s` |\n", f[2], f[3], shape, k,
             len, m, ours, peer, peer / ours, f[12]
      o[f[3]] += ours; p[f[3]] += peer; c[f[3]]++; macs += f[8]
      if (f[3] == "conv1d" || f[3] == "pointwise") { cm += f[8]; co += ours; cp += peer }
    }
    printf "\n| op | layers | ours | CMSIS-NN | CMSIS-NN / ours |\n|---|---:|---:|---:|---:|\n"
    split("pointwise conv1d add avgpool", ops, " ")
    for (j = 1; j <= 4; ++j) {
      t = ops[j]
      if (c[t]) printf "| %s | %d | %d | %d | %.2f |\n", t, c[t], o[t], p[t], p[t] / o[t]
      so += o[t]; sp += p[t]
    }
    printf "| interpreter, concat (the same code for both) | | %d | %d | |\n", rest, rest
    printf "| **whole network** | | **%d** | **%d** | **%.2f** |\n", so + rest, sp + rest,
           (sp + rest) / (so + rest)
    printf "\nconvolutions: %d MACs, ours %.2f MACs/instruction, CMSIS-NN %.2f\n", cm, cm / co, cm / cp
    printf "whole-network TFLITE ours %d\n", so + rest
    exit bad
  }'
# The whole network of a POW2 run (ours only): every section but calibration and the program's.
pow2_total='
  FNR == NR && /^insncount: mark / { count[$3] = $5; next }
  FNR == NR { next }
  /^insnmark [0-9]/ { label[$2] = $3; n = $2 + 1 }
  END {
    cal = count[1] - count[0]
    for (k = 1; k + 1 < n; ++k)
      if (label[k] != "other" && label[k] != "peer") total += count[k + 1] - count[k] - cal
    print total
  }'

for core in "${cores[@]}"; do
  board=$(cortex_m_board "$core" run_cmsis_nn.sh) || exit 2
  cmake --preset "$core" > /dev/null
  cmake --build --preset "$core" -j 2 --target plrt_cmsis_nn_layers > /dev/null
  elf=../build/$core/plrt_cmsis_nn_layers
  out_dir=../build/$core/cmsis_nn
  mkdir -p "$out_dir"
  for model in "${models[@]}"; do
    for plq in tflite-qat max78000-qat; do
      tools/insncount.sh "$board" "$elf" "$PWD/../models/$model/int8/$plq.plq" > /dev/null
      cp "$elf.insn.out" "$out_dir/$model-$plq.out"
      cp "$elf.insn.log" "$out_dir/$model-$plq.log"
    done
    echo "== $core, $model/int8/tflite-qat.plq: instructions per layer (ours vs CMSIS-NN, outputs equal)"
    awk "$tflite_table" "$out_dir/$model-tflite-qat.log" "$out_dir/$model-tflite-qat.out" |
      tee "$out_dir/$model.md"
    tflite=$(awk '/^whole-network TFLITE ours/ { print $4 }' "$out_dir/$model.md")
    pow2=$(awk "$pow2_total" "$out_dir/$model-max78000-qat.log" "$out_dir/$model-max78000-qat.out")
    awk -v p="$pow2" -v t="$tflite" 'BEGIN {
      printf "whole-network POW2 (max78000-qat) ours %d: %+.1f %% against TFLITE\n\n", p, 100 * (p - t) / t }'
  done
done
