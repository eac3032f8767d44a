#!/usr/bin/env bash
# The README's MAX78000 table: `physiolite export --run models/<run> --target max78000 -o OUT
# --check` (the run's int8/max78000-qat.plq, NAME max78000_qat) on every shipped model, then
# izer's figures from the NAME.md it wrote (`--int8 …/max78000-ptq.plq` for the ptq mode). Every row is a model izer accepted with no warning and whose simulated output equals our
# runtime's bit for bit (export exits non-zero otherwise, and so does this script).
#   bash scripts/max78000_results.sh [BUILD_DIR, default build/release]
#   PHYSIOLITE_MODES="qat ptq"   which .plq of each run (default qat, the one --run exports)
#   PHYSIOLITE_MODELS="mitbih-wavelet-seed1 ..."  which runs (default: every shipped one)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
cli=${PHYSIOLITE_CLI:-"$build/physiolite"}
izer=${PHYSIOLITE_IZER:-../shared/tools/izer/izer}
modes=${PHYSIOLITE_MODES:-qat}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
figure() { grep -oP "$1" "$2" | head -1; }
echo "| model | hardware layers | est. CNN cycles | ms at 50 MHz | weight bytes | MACs / window | izer |"
echo "|---|---:|---:|---:|---:|---:|---|"
for run in ${PHYSIOLITE_MODELS:-$(cd models && ls -d *-seed* | sort)}; do
  for mode in $modes; do
    plq="models/$run/int8/max78000-$mode.plq"
    [[ -f $plq ]] || continue
    name=max78000_$mode
    out="$tmp/$run-$mode"
    if [[ $mode == qat ]]; then source=(--run "models/$run"); else source=(--int8 "$plq"); fi
    "$cli" export "${source[@]}" --target max78000 -o "$out" --check --izer "$izer" > "$out.log"
    md="$out/$name.md"
    echo "| $run max78000-$mode | $(figure '\| hardware layers \| \K\d+' "$md") |" \
         "$(figure 'estimated latency \| \K\d+' "$md") | $(figure 'CNN cycles = \K[\d.]+' "$md") |" \
         "$(figure 'weight memory \| \K\d+' "$md") | $(figure '\| MACs \| \K\d+' "$md") |" \
         "$(grep -oP "izer's verdict: \*\*\K[^*]+" "$md") |"
  done
done
