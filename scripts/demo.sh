#!/usr/bin/env bash
# The main job on the shipped data: set-up, release build, then the data summary of both
# benchmarks (later steps of the pipeline extend this script).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)"
build/release/physiolite data summary mitbih
echo
build/release/physiolite data summary uci
echo
build/release/physiolite detect-eval "${PHYSIOLITE_DATA:-../shared/data}/mitdb" \
  --output build/release/detect_eval.json | tail -6
