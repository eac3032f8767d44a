#!/usr/bin/env bash
# Runs bench_dsp (ours) and bench/peers/dsp_scipy.py (scipy 1.10) on the same 650 000-sample
# signal, interleaved (ours, scipy, ours, scipy) so machine load hits both, and prints per case
# the median of each side's medians and the ratio scipy / ours.
#   bash bench/run_dsp.sh [build dir, default build/release] [repeats per run, default 21]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
repeats=${2:-21}
ours="$build/bench/bench_dsp"
[[ -x "$ours" ]] || { echo "no $ours: build the bench_dsp target first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for round in 1 2; do
  "$ours" "$repeats" | tail -n +2 >>"$tmp/ours"
  /usr/bin/python3 bench/peers/dsp_scipy.py "$repeats" | tail -n +2 >>"$tmp/scipy"
done
/usr/bin/python3 - "$tmp/ours" "$tmp/scipy" <<'PY'
import statistics, sys
def load(path):
    cases = {}
    for line in open(path):
        name, median_ms = line.split()[:2]
        cases.setdefault(name, []).append(float(median_ms))
    return {k: statistics.median(v) for k, v in cases.items()}
ours, peer = load(sys.argv[1]), load(sys.argv[2])
print(f"{'case (650000 samples, thread CPU ms)':<38} {'physiolite':>10} {'scipy':>10} {'scipy/ours':>10}")
for name, ms in ours.items():
    print(f"{name:<38} {ms:10.3f} {peer[name]:10.3f} {peer[name] / ms:10.2f}")
PY
