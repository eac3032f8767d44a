#!/usr/bin/env bash
# The README's WE2 table: `physiolite export --target we2 --check` on every shipped TFLITE model,
# then Vela's totals with the published WE2 config (weights in off-chip flash) and, for the
# SRAM-placement row, the same Vela run with the weights in SRAM (a copy of himax_we2.ini whose
# memory mode puts the constant data on AXI0).
#   bash scripts/we2_results.sh [BUILD_DIR, default build/release]
#   PHYSIOLITE_MODELS="mitbih-wavelet-seed1 ..."  which runs (default: every shipped one)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
vela=${PHYSIOLITE_VELA:-../shared/tools/vela/vela}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/^const_mem_area=Axi1/const_mem_area=Axi0/' "$(dirname "$vela")/himax_we2.ini" > "$tmp/sram.ini"
figure() { grep -oP "$1" "$2" | head -1; }
echo "| model | NPU ops | CPU ops | total cycles | ms at 400 MHz | SRAM KiB | flash KiB | cycles, weights in SRAM | ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for run in ${PHYSIOLITE_MODELS:-$(cd models && ls -d *-seed* | sort)}; do
  for plq in models/"$run"/int8/tflite-*.plq; do
    [[ -f $plq ]] || continue
    stem=$(basename "$plq" .plq)
    out="$tmp/$run-$stem"
    "$build/physiolite" export --int8 "$plq" --target we2 -o "$out" --check --vela "$vela" > /dev/null
    log="$out/$stem.vela.txt"
    "$vela" --accelerator-config ethos-u55-64 --config "$tmp/sram.ini" --system-config My_Sys_Cfg \
      --memory-mode My_Mem_Mode_Parent --output-dir "$out/sram" "$out/$stem.tflite" > "$out/sram.txt"
    echo "| $run $stem | $(figure 'NPU operators = \K\d+' "$log") | $(figure 'CPU operators = \K\d+' "$log") |" \
         "$(figure 'Total cycles\s+\K\d+' "$log") | $(figure 'Batch Inference time\s+\K[\d.]+' "$log") |" \
         "$(figure 'Total SRAM used\s+\K[\d.]+' "$log") | $(figure 'Total Off-chip Flash used\s+\K[\d.]+' "$log") |" \
         "$(figure 'Total cycles\s+\K\d+' "$out/sram.txt") | $(figure 'Batch Inference time\s+\K[\d.]+' "$out/sram.txt") |"
  done
done
