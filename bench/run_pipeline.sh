#!/usr/bin/env bash
# Issue 2 benchmark: load + filter + window all 48 MIT-BIH records, physiolite vs numpy/scipy,
# interleaved (C++, Python, C++, ...) in one run; prints medians and the speed ratio.
# Usage: bench/run_pipeline.sh [rounds, default 5]   (needs a release build in build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
mitdb="${PHYSIOLITE_DATA:-../shared/data}/mitdb"
out=$(mktemp)
for _ in $(seq "$rounds"); do
  build/release/bench/bench_pipeline "$mitdb" 1 >> "$out"
  /usr/bin/python3 bench/peers/pipeline_scipy.py "$mitdb" 1 >> "$out"
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
med = {k: statistics.median(r["seconds"] for r in rows if r["impl"] == k) for k in ("physiolite", "scipy")}
win = {r["impl"]: r["windows"] for r in rows}
print(f"windows: physiolite {win['physiolite']}, scipy {win['scipy']}")
print(f"median seconds over {len(rows)//2} rounds: physiolite {med['physiolite']:.3f}  scipy {med['scipy']:.3f}")
print(f"speed-up (scipy / physiolite): {med['scipy'] / med['physiolite']:.2f}x")
PY
rm -f "$out"
