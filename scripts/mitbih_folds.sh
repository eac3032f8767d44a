#!/usr/bin/env bash
# Cross-validation inside MIT-BIH DS1, for choosing a recipe without scoring DS2 (docs/training.md,
# "MIT-BIH recipe, chosen on eleven DS1 folds"). Eleven folds of two DS1 records in DS1 order; fold k is
# scored on its pair (data.test_records), selects its epoch and stops early on the next pair
# (data.validation_records) and trains on the other 18 records. Every fold and seed is a run
# runs/folds/<tag>/fold<k>-seed<s>/, started with --resume (a second call finishes what is
# missing); `scripts/summarize_folds.py runs/folds/<tag>` sums the eleven test confusion matrices
# of each seed.
#
#   scripts/mitbih_folds.sh TAG [--set key=value ...]     (extra arguments go to every `train`)
#   PHYSIOLITE_CLI=binary  PHYSIOLITE_SEEDS="1 2 3"  PHYSIOLITE_JOBS=2 (one-thread runs at once)
set -euo pipefail
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}  # see run_results.sh
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { echo "usage: $0 TAG [--set key=value ...]" >&2; exit 2; }
tag=$1
shift
cli=${PHYSIOLITE_CLI:-build/release/physiolite}
seeds=${PHYSIOLITE_SEEDS:-"1 2 3"}
jobs=${PHYSIOLITE_JOBS:-2}
pairs="101,106 108,109 112,114 115,116 118,119 122,124 201,203 205,207 208,209 215,220 223,230"
out="runs/folds/$tag"
mkdir -p "$out"
extra=""
[[ $# -gt 0 ]] && extra=$(printf '%q ' "$@")
echo "$extra" >"$out/arguments.txt"

run_one() {  # fold seed
  local k=$1 seed=$2
  local -a pair_list extra_args
  read -ra pair_list <<<"$pairs"
  eval "extra_args=($extra)"
  local dir="$out/fold$k-seed$seed"
  [[ -f "$dir/metrics.json" ]] && return 0
  local test=${pair_list[$k]} validation=${pair_list[$(((k + 1) % ${#pair_list[@]}))]}
  "$cli" train --config configs/mitbih_aami.json --set "run_dir=$dir" --set "train.seed=$seed" \
    --set train.threads=1 --set "data.test_records=[$test]" \
    --set "data.validation_records=[$validation]" "${extra_args[@]}" --resume >"$dir.log" 2>&1 ||
    { echo "fold $k seed $seed failed: $dir.log" >&2; return 1; }
  echo "fold $k seed $seed done"
}
export -f run_one
export out cli pairs extra

for seed in $seeds; do
  for k in $(seq 0 10); do echo "$k $seed"; done
done | xargs -P "$jobs" -L 1 bash -c 'run_one "$@"' _
