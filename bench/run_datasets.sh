#!/bin/sh
# Reads and windows the train split of a 1 000-record PTB-XL-shaped folder with physiolite
# (bench_datasets) and with the numpy peer (bench/peers/ptbxl_numpy.py), in one run, and prints
# both and the speed ratio (medians of thread CPU time). The folder is made once, by the peer's
# `make` (seeded), under BUILD_DIR/bench_ptbxl/ptb-xl.
# usage: bench/run_datasets.sh [BUILD_DIR] [REPEATS]   (default: build/release, 5)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/release}
repeats=${2:-5}
data=$build/bench_ptbxl
[ -f "$data/ptb-xl/ptbxl_database.csv" ] || /usr/bin/python3 "$here/peers/ptbxl_numpy.py" make "$data/ptb-xl" 1000
c_out=$("$build/bench/bench_datasets" "$data" "$repeats")
py_out=$(/usr/bin/python3 "$here/peers/ptbxl_numpy.py" run "$data/ptb-xl" "$repeats")
echo "physiolite: $c_out"
echo "numpy:      $py_out"
field() { echo "$1" | tr ' \n' '\n\n' | sed -n "s/^$2=//p"; }
c_s=$(field "$c_out" read_median_s)
py_s=$(field "$py_out" read_median_s)
echo "ratio numpy/physiolite (median read + windows): $(awk -v a="$py_s" -v b="$c_s" 'BEGIN { printf "%.1f", a / b }')x" \
     "(windows: physiolite $(field "$c_out" windows), numpy $(field "$py_out" windows))"
