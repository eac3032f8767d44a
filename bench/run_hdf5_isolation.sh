#!/usr/bin/env bash
# The cost of parsing HDF5 in a child process: MIT-BIH's training windows of the shipped recipe
# (configs/mitbih_aami.json: 41825 windows of 4 x 128, 89 MB) exported once, then read in process
# and isolated, interleaved (bench_hdf5_isolation).
# Usage: bench/run_hdf5_isolation.sh [build dir, default build/release] [repeats, default 7]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
repeats="${2:-7}"
export PHYSIOLITE_DATA="${PHYSIOLITE_DATA:-$(cd .. && pwd)/shared/data}"
file=$(mktemp --suffix=.h5)
trap 'rm -f "$file"' EXIT
"$build/physiolite" data export --config configs/mitbih_aami.json --split train -o "$file" > /dev/null 2>&1
"$build/bench/bench_hdf5_isolation" "$file" "$repeats"
