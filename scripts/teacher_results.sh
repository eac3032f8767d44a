#!/usr/bin/env bash
# Issue 24's runs (docs/teacher.md): the Transformer teacher for seeds 1-3, then the students
# distilled from it (configs/mitbih_aami.json + train.teacher = the teacher of the same seed), each
# scored on its test split (`physiolite eval`, eval_test.json / eval_test.txt). Every run starts
# with --resume, so calling the script again continues an interrupted run and skips finished ones.
# Stages: teacher, kd (students of the teacher), pretrain (masked-patch pre-training of the
# teacher, configs/<benchmark>_teacher_pretrain.json, on the training windows only; no test
# score: it has no classifier), sslteacher (the teacher recipe started from the pre-trained
# encoder, train.init) and sslkd (students of the sslteacher).
#
#   scripts/teacher_results.sh [build-dir]            (default build/release; or PHYSIOLITE_CLI)
#   PHYSIOLITE_SEEDS="1 2 3" PHYSIOLITE_BENCHMARKS="mitbih uci_tinymyo"
#   PHYSIOLITE_STAGES="teacher kd"                     which stage(s) to run (in order)
#   PHYSIOLITE_TRAIN_ARGS="--set train.threads=1"      extra arguments for every `train`
#   PHYSIOLITE_KD="--set train.kd_alpha=0.5 --set train.kd_temperature=1"   (the default: T = 1
#                 had the best DS1-validation macro-F1 of the settings tried, docs/teacher.md)
#
# Runs: runs/<benchmark>-<stage>-seed<k>/. The distilled MIT-BIH students are the shipped MIT-BIH
# models, under the students' names (docs/teacher.md's replacement rule):
# `scripts/ship_models.sh runs/mitbih-kd-seed<k>:mitbih-wavelet-seed<k>` (the students without KD
# are shipped as mitbih-nokd-seed<k>).
set -euo pipefail
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
cd "$(dirname "$0")/.."
build=${1:-build/release}
cli=${PHYSIOLITE_CLI:-"$build/physiolite"}
seeds=${PHYSIOLITE_SEEDS:-"1 2 3"}
benchmarks=${PHYSIOLITE_BENCHMARKS:-"mitbih"}
stages=${PHYSIOLITE_STAGES:-"teacher kd"}
kd=${PHYSIOLITE_KD:-"--set train.kd_alpha=0.5 --set train.kd_temperature=1"}

teacher_config() {
  case "$1" in
    mitbih) echo configs/mitbih_teacher.json ;;
    uci_tinymyo) echo configs/uci_tinymyo_teacher.json ;;
    *) echo "no teacher config for $1" >&2; exit 2 ;;
  esac
}
source scripts/result_configs.sh

run() {  # name config [train arguments ...]
  local name=$1 config=$2 dir="runs/$1"
  shift 2
  if [[ -f "$dir/eval_test.json" ]]; then
    echo "== $name: done"
    return
  fi
  echo "== $name: training ($(date -Is))"
  "$cli" train --config "$config" --set "run_dir=$dir" "$@" ${PHYSIOLITE_TRAIN_ARGS:-} --resume
  "$cli" eval --run "$dir" --split test | tee "$dir/eval_test.txt"
}

# A finished stage's run directory, or exit 3 (assign it: a failing $(...) inside a command's
# arguments would not stop the script).
finished() {  # dir file
  [[ -f "$1/$2" ]] || { echo "$1: not finished" >&2; exit 3; }
  echo "$1"
}

mkdir -p runs
for stage in $stages; do
  for bench in $benchmarks; do
    for seed in $seeds; do
      name="$bench-$stage-seed$seed"
      case $stage in
        teacher) run "$name" "$(teacher_config "$bench")" --set "train.seed=$seed" ;;
        pretrain)
          echo "== $name: pre-training ($(date -Is))"
          "$cli" train --config "configs/${bench}_teacher_pretrain.json" --set "run_dir=runs/$name" \
            --set "train.seed=$seed" ${PHYSIOLITE_TRAIN_ARGS:-} --resume ;;
        sslteacher)
          init=$(finished "runs/$bench-pretrain-seed$seed" best.pt)
          run "$name" "$(teacher_config "$bench")" --set "train.seed=$seed" --set "train.init=$init" ;;
        kd | sslkd)
          teacher=$(finished "runs/$bench-${stage%kd}teacher-seed$seed" eval_test.json)
          # shellcheck disable=SC2086
          run "$name" "$(config_of "$bench")" --set "train.seed=$seed" \
            --set "train.teacher=$teacher" $kd ;;
        *) echo "unknown stage $stage" >&2; exit 2 ;;
      esac
    done
  done
done
