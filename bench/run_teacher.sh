#!/usr/bin/env bash
# Training throughput (windows/s) of the Transformer teacher in LibTorch (bench_teacher) against
# the same network, batch, threads and optimiser in Python PyTorch 1.13
# (bench/peers/teacher_torch.py). Processes are interleaved (ours, python, ours, ...) because
# speeds differ from process to process on this machine; each process runs a warm-up, then timed
# repeats. Prints per case the median over processes of each process's median repeat and the
# ratio, with the absolute figures beside it.
#
#   bash bench/run_teacher.sh [build dir, default build/release] [processes per side, default 4]
#        [cases, default "mitbih"]
# Environment, the same for both sides (and printed):
#   GLIBC_TUNABLES  malloc keeps large blocks (mmap and trim thresholds 1 GiB), as the trainer does
#   THREADS         intra-op threads (default 1, what the teacher runs trained with); OpenBLAS too
#   BATCH           windows per step (default 64); STEPS per timed repeat (4), REPEATS (5)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
processes=${2:-4}
cases=${3:-mitbih}
threads=${THREADS:-1}
batch=${BATCH:-64}
steps=${STEPS:-4}
repeats=${REPEATS:-5}
ours="$build/bench/bench_teacher"
[[ -x "$ours" ]] || { echo "no $ours: configure with LibTorch and build bench_teacher" >&2; exit 2; }

export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824
export OPENBLAS_NUM_THREADS=$threads OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
echo "GLIBC_TUNABLES=$GLIBC_TUNABLES OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS" \
     "OMP_WAIT_POLICY=$OMP_WAIT_POLICY batch $batch, $threads threads, $processes processes per side"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ((p = 0; p < processes; ++p)); do
  for c in $cases; do
    "$ours" "$c" "$batch" "$threads" 2 "$steps" "$repeats" >>"$tmp/ours"
    /usr/bin/python3 bench/peers/teacher_torch.py "$c" "$batch" "$threads" 2 "$steps" "$repeats" >>"$tmp/python"
  done
done

/usr/bin/python3 - "$tmp/ours" "$tmp/python" <<'PY'
import statistics, sys

def load(path, has_macs):
    runs, macs = {}, {}
    for line in open(path):
        f = line.split()
        runs.setdefault(f[0], []).append(statistics.median(float(v) for v in f[2 if has_macs else 1:]))
        if has_macs:
            macs[f[0]] = int(f[1])
    return runs, macs

ours, macs = load(sys.argv[1], True)
peer, _ = load(sys.argv[2], False)
print("windows/s = median over processes of each process's median repeat; "
      "GFLOP/s = windows/s x 6 x MACs (forward + backward)")
print(f"{'case':<12} {'MACs/window':>12} {'C++ win/s':>10} {'PyTorch':>10} {'C++/Py':>7} {'C++ GFLOP/s':>12}")
for name, rates in ours.items():
    c, p = statistics.median(rates), statistics.median(peer[name])
    print(f"{name:<12} {macs[name]:>12} {c:>10.1f} {p:>10.1f} {c / p:>7.2f} {c * 6 * macs[name] / 1e9:>12.1f}")
    print(f"{'':<12} per process: C++ {' '.join(f'{r:.0f}' for r in rates)}; "
          f"PyTorch {' '.join(f'{r:.0f}' for r in peer[name])}")
PY
