#!/bin/sh
# The streaming pipeline (plrt_ecg) end to end on DS2 and its host speed (bench/bench_stream.cpp).
# usage: bench/run_stream.sh [BUILD_DIR] [NAME]   (default build/release, max78000-qat)
#   1. DS2, beats from our detector: macro-F1 (N, S, V, F) of each shipped MIT-BIH seed beside
#      the annotation-driven int8 score of the same .plq, then mean +- sd;
#   2. one core, record 208 (30 min): the C pipeline vs the C++ predict path, median of 5.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/release}
name=${2:-max78000-qat}
models=$here/../models
"$build/bench/bench_stream" ds2 "$models/mitbih-wavelet-seed1" "$models/mitbih-wavelet-seed2" \
  "$models/mitbih-wavelet-seed3" --int8 "$name"
taskset -c 0 "$build/bench/bench_stream" speed "$here/../../shared/data/mitdb/208" \
  "$models/mitbih-wavelet-seed1" --int8 "$name" --repeat 5
