#!/usr/bin/env bash
# Trainings behind the accuracy of scripts/profile_sweep.py: the UCI EMG student (reference split,
# configs/uci_emg.json) at other widths (model.embed_dim) and window lengths (data.window_length,
# stride half of it as the shipped 1024/512) than the shipped one, seeds 1-3, one thread each,
# into runs/sweep/uci-L<length>-d<width>-seed<k>/ (where profile_sweep.py looks). The sweep
# reads only their validation macro-F1 at the epoch each training selected; nothing is chosen from
# them. Every run starts with --resume: calling the script again finishes what is missing.
#
#   scripts/sweep_trainings.sh [build-dir]                 (default build/release; or PHYSIOLITE_CLI)
#   PHYSIOLITE_SWEEP="1024:64 1024:128 1024:192 512:256"   length:width points
#   PHYSIOLITE_SEEDS="1 2 3"  PHYSIOLITE_JOBS=2            one-thread runs at once
set -euo pipefail
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}  # see run_results.sh
cd "$(dirname "$0")/.."
cli=${PHYSIOLITE_CLI:-${1:-build/release}/physiolite}
points=${PHYSIOLITE_SWEEP:-"1024:64 1024:128 1024:192 512:256"}
seeds=${PHYSIOLITE_SEEDS:-"1 2 3"}
jobs=${PHYSIOLITE_JOBS:-2}
mkdir -p runs/sweep

run_one() {  # length width seed
  local length=$1 width=$2 seed=$3
  local dir="runs/sweep/uci-L$length-d$width-seed$seed"
  [[ -f "$dir/report.md" ]] && return 0
  "$cli" train --config configs/uci_emg.json --set "run_dir=$dir" --set "train.seed=$seed" \
    --set train.threads=1 --set "model.embed_dim=$width" --set "data.window_length=$length" \
    --set "data.stride=$((length / 2))" --resume >"$dir.log" 2>&1 ||
    { echo "L $length D $width seed $seed failed: $dir.log" >&2; return 1; }
  echo "L $length D $width seed $seed done"
}
export -f run_one
export cli
for point in $points; do
  for seed in $seeds; do echo "${point%%:*} ${point##*:} $seed"; done
done | xargs -P "$jobs" -L 1 bash -c 'run_one $0 $1 $2'
