#!/usr/bin/env bash
# Data-parallel training on this machine: 1 process x 2 threads against 2 processes x 1 thread
# (`physiolite train --nproc 2`, c10d + Gloo on loopback), the same run (config, seed, global
# batch, steps), interleaved (A B A B ...: speeds differ from process to process here), median
# over the repeats. Per case it prints the training throughput of each side and the ratio, where
# the time of the 2-process run goes (compute vs the all-reduce wait that backward did not hide),
# and the all-reduce against a raw Gloo all-reduce of the same bytes (bench_dist: one flat
# buffer, two processes, nothing else running).
#
#   bash bench/run_dist.sh [build dir, default build/release] [repeats, default 3]
#        [cases, default "student"; "teacher": the transformer teacher of uci-tinymyo; or both]
# Throughput counts training steps only (log.jsonl train_windows_per_s, validation excluded),
# over the epochs after the first (warm-up). Environment (printed): GLIBC_TUNABLES as in
# bench/run_train.sh; OPENBLAS_NUM_THREADS follows each side's threads.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
repeats=${2:-3}
cases=${3:-student}
cli="$build/physiolite"
raw="$build/bench/bench_dist"
for f in "$cli" "$raw"; do
  [[ -x "$f" ]] || { echo "no $f: build physiolite and bench_dist (LibTorch on)" >&2; exit 2; }
done
export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824
echo "GLIBC_TUNABLES=$GLIBC_TUNABLES OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; $repeats repeats"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# case -> config and overrides: the student 3 epochs of 80 steps of 32 windows; the teacher
# (10 windows/s here) 3 epochs of 10 steps.
args_of() {
  case $1 in
    student) echo "--config configs/uci_emg.json --set train.epochs=3 --set train.batch_size=32 \
--set train.samples_per_epoch=2560 --set train.early_stopping_patience=0" ;;
    teacher) echo "--config configs/uci_tinymyo_teacher.json --set train.epochs=3 \
--set train.batch_size=32 --set train.samples_per_epoch=320 --set train.early_stopping_patience=0" ;;
    *) echo "unknown case $1" >&2; exit 2 ;;
  esac
}

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

for ((i = 0; i < repeats; ++i)); do
  for c in $cases; do
    read -r -a a <<<"$(args_of "$c")"
    OPENBLAS_NUM_THREADS=2 "$cli" train "${a[@]}" --set train.threads=2 \
      --set "run_dir=$tmp/$c-1x2-$i" >/dev/null 2>&1
    OPENBLAS_NUM_THREADS=1 "$cli" train "${a[@]}" --set train.threads=1 --nproc 2 \
      --set "run_dir=$tmp/$c-2x1-$i" >/dev/null 2>&1
    bytes=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["allreduce_bytes_per_step"])' "$tmp/$c-2x1-$i/log.jsonl")
    port=$(free_port)
    for r in 1 0; do
      RANK=$r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port OPENBLAS_NUM_THREADS=1 \
        "$raw" "$bytes" 300 >>"$tmp/$c-raw" &
    done
    wait
  done
done

/usr/bin/python3 - "$tmp" "$repeats" $cases <<'PY'
import json, statistics, sys
tmp, repeats, cases = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
med = statistics.median

def run(name):
    """(windows/s, training seconds per step, unhidden all-reduce wait per step) over epochs 2.."""
    log = [json.loads(l) for l in open(f"{tmp}/{name}/log.jsonl")]
    windows = json.load(open(f"{tmp}/{name}/config.json"))["train"]["samples_per_epoch"]
    steps = log[0]["step"]  # per epoch
    timed = log[1:]
    seconds = sum(windows / r["train_windows_per_s"] for r in timed)
    wait = sum(r.get("allreduce_wait_s", 0.0) for r in timed)
    n = steps * len(timed)
    return windows * len(timed) / seconds, seconds / n, wait / n

for c in cases:
    one = [run(f"{c}-1x2-{i}") for i in range(repeats)]
    two = [run(f"{c}-2x1-{i}") for i in range(repeats)]
    raw = [l.split() for l in open(f"{tmp}/{c}-raw")]
    nbytes, raw_us = int(raw[0][1]), med(float(r[3]) for r in raw)
    r1, r2 = med(x[0] for x in one), med(x[0] for x in two)
    step2, wait2 = med(x[1] for x in two), med(x[2] for x in two)
    print(f"{c}: 1 process x 2 threads {r1:.0f} windows/s, 2 processes x 1 thread {r2:.0f} "
          f"windows/s: ratio {r2 / r1:.2f} (median of {repeats} runs each)")
    print(f"  1x2 step {med(x[1] for x in one) * 1e3:.2f} ms; 2x1 step {step2 * 1e3:.2f} ms, of "
          f"which waiting for the gradient all-reduce {wait2 * 1e3:.2f} ms "
          f"({100 * wait2 / step2:.1f} %), compute and the rest {(step2 - wait2) * 1e3:.2f} ms")
    print(f"  all-reduce of {nbytes} bytes per step: unhidden wait {wait2 * 1e6:.0f} us "
          f"({nbytes / (wait2 * 1e6):.1f} MB/s effective) vs a raw Gloo all-reduce of the same "
          f"bytes {raw_us:.0f} us ({nbytes / raw_us:.1f} MB/s): ratio {wait2 * 1e6 / raw_us:.2f}")
PY
