#!/bin/sh
# Streams one whole MIT-BIH record through the C detector and through the numpy peer of the same
# algorithm, in one run, and prints both and the speed ratio.
# usage: bench/run_qrs.sh [RECORD] [BUILD_DIR]   (default: ../shared/data/mitdb/100, build/release)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
record=${1:-$here/../../shared/data/mitdb/100}
build=${2:-$here/../build/release}
c_line=$("$build/bench/bench_qrs" "$record" 50)
py_line=$(/usr/bin/python3 "$here/peers/qrs_numpy.py" "$record" --repeat 3)
echo "$c_line"
echo "$py_line"
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
c_s=$(field "$c_line" median_s)
py_s=$(field "$py_line" median_s)
echo "ratio numpy/C (median time): $(awk -v a="$py_s" -v b="$c_s" 'BEGIN { printf "%.0f", a / b }')x" \
     "(beats: C $(field "$c_line" beats), numpy $(field "$py_line" beats))"
