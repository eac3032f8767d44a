#!/usr/bin/env bash
# Result runs of docs/training.md, one after the other: MIT-BIH, UCI EMG (reference split) and
# UCI EMG (TinyMyo's split), wavelet-initialised bank first, then the random-init ablation, 3 seeds
# each, into runs/<benchmark>-<init>-seed<k>/. Every run is started with --resume, so calling the
# script again continues an interrupted run and skips finished ones. After each run the test split
# is scored by `physiolite eval` (runs/<name>/eval_test.json and eval_test.txt).
#
#   scripts/run_results.sh [build-dir]        (default build/release; or PHYSIOLITE_CLI=binary)
#   PHYSIOLITE_SEEDS="1 2 3" PHYSIOLITE_BENCHMARKS="mitbih uci uci_tinymyo" scripts/run_results.sh
#   PHYSIOLITE_TRAIN_ARGS="--set train.threads=1"   extra arguments for every `train` (two chains
#                                                    of one thread each use 2 cores best)
set -euo pipefail
# libgomp spin-waits by default: with other work on the 2 cores, 2 intra-op threads then train
# ~6x slower than 1 (measured: 48 vs 287 windows/s). Passive waiting removes that cliff.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
cd "$(dirname "$0")/.."
build=${1:-build/release}
cli=${PHYSIOLITE_CLI:-"$build/physiolite"}
seeds=${PHYSIOLITE_SEEDS:-"1 2 3"}
benchmarks=${PHYSIOLITE_BENCHMARKS:-"mitbih uci uci_tinymyo"}
inits=${PHYSIOLITE_INITS:-"wavelet random"}

source scripts/result_configs.sh

mkdir -p runs
for init in $inits; do
  for bench in $benchmarks; do
    for seed in $seeds; do
      name="$bench-$init-seed$seed"
      dir="runs/$name"
      if [[ -f "$dir/eval_test.json" ]]; then
        echo "== $name: done"
        continue
      fi
      echo "== $name: training ($(date -Is))"
      "$cli" train --config "$(config_of "$bench")" --set "train.seed=$seed" \
        --set "model.bank_init=$init" --set "run_dir=$dir" ${PHYSIOLITE_TRAIN_ARGS:-} --resume
      "$cli" eval --run "$dir" --split test | tee "$dir/eval_test.txt"
    done
  done
done
