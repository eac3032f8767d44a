#!/bin/sh
# The streaming pipeline (plrt_ecg) end to end on DS2 and its host speed (bench/bench_stream.cpp).
# usage: bench/run_stream.sh [BUILD_DIR] [NAME]   (default build/release, max78000-qat)
#   1. DS2, beats from our detector: macro-F1 (N, S, V, F) of each MIT-BIH seed beside the
#      annotation-driven int8 score of the same .plq, then mean +- sd: the shipped record-wide
#      models (models/mitbih-wavelet-seed*) and the ones retrained with the device's causal
#      definitions (models/mitbih-causal-seed*, data.causal = true);
#   2. one core, record 208 (30 min): the C pipeline vs the C++ predict path, median of 5, and
#      the numpy/scipy + ONNX Runtime peer (bench/peers/stream_ort.py, median of 5) doing the
#      same job with the same model, its classes compared with `physiolite stream`'s.
# The peer needs onnxruntime-node (scripts/install_npm_peers.sh) and Debian's /usr/bin/python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/release}
name=${2:-max78000-qat}
models=$here/../models
record=$here/../../shared/data/mitdb/208
"$build/bench/bench_stream" ds2 "$models/mitbih-wavelet-seed1" "$models/mitbih-wavelet-seed2" \
  "$models/mitbih-wavelet-seed3" --int8 "$name"
"$build/bench/bench_stream" ds2 "$models/mitbih-causal-seed1" "$models/mitbih-causal-seed2" \
  "$models/mitbih-causal-seed3" --int8 "$name"
taskset -c 0 "$build/bench/bench_stream" speed "$record" \
  "$models/mitbih-wavelet-seed1" --int8 "$name" --repeat 5
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
plq=$models/mitbih-wavelet-seed1/int8/$name.plq
"$build/physiolite" export --int8 "$plq" --target onnx -o "$out/onnx" > /dev/null
"$build/physiolite" stream "$record" --int8 "$plq" --output "$out/stream.csv" > /dev/null
taskset -c 0 /usr/bin/python3 "$here/peers/stream_ort.py" "$record" "$plq" "$out/onnx/$name.onnx" \
  --repeat 5 --compare "$out/stream.csv" --check-every 10
