#!/bin/sh
# Reads all 64 UCI EMG recordings with physiolite (bench_uci) and with gzip + numpy.loadtxt
# (bench/peers/uci_numpy.py), in one run, and prints both and the speed ratio of the full read
# (medians of thread CPU time).
# usage: bench/run_uci.sh [DIR] [BUILD_DIR]   (default: ../shared/data/uci-emg-gestures, build/release)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-${PHYSIOLITE_DATA:-$here/../../shared/data}/uci-emg-gestures}
build=${2:-$here/../build/release}
c_out=$("$build/bench/bench_uci" "$dir" 5)
py_out=$(/usr/bin/python3 "$here/peers/uci_numpy.py" "$dir" 3)
echo "physiolite: $c_out"
echo "numpy:      $py_out"
field() { echo "$1" | tr ' \n' '\n\n' | sed -n "s/^$2=//p"; }
c_s=$(field "$c_out" read_median_s)
py_s=$(field "$py_out" read_median_s)
echo "ratio numpy/physiolite (median full read): $(awk -v a="$py_s" -v b="$c_s" 'BEGIN { printf "%.1f", a / b }')x" \
     "(rows: physiolite $(field "$c_out" rows), numpy $(field "$py_out" rows))"
