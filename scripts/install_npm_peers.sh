#!/usr/bin/env bash
# Installs the npm packages the export cross-checks run, into a cache folder outside the repo
# (never node_modules in the checkout):
#   node-tflite 0.0.2  TensorFlow Lite 2.2's C library (libtensorflowlite_c.so + c_api.h), the
#                      independent executor of the WE2 .tflite (scripts/tflite_peers.py)
#   onnxruntime-node   ONNX Runtime, which runs the ONNX export (tests/export, bench/)
# --ignore-scripts: nothing is compiled or downloaded beyond the packages' own files.
#   scripts/install_npm_peers.sh      (PHYSIOLITE_NPM_CACHE, default ~/.cache/physiolite-npm)
set -euo pipefail
cache=${PHYSIOLITE_NPM_CACHE:-$HOME/.cache/physiolite-npm}
command -v npm > /dev/null || { echo "install_npm_peers.sh: needs npm (scripts/setup.sh)" >&2; exit 2; }
want=()
[[ -f $cache/node_modules/node-tflite/tflite/linux_x86_64/libtensorflowlite_c.so ]] ||
  want+=(node-tflite@0.0.2)
[[ -d $cache/node_modules/onnxruntime-node ]] || want+=(onnxruntime-node)
if [[ ${#want[@]} -eq 0 ]]; then
  echo "install_npm_peers.sh: already in $cache"
  exit 0
fi
mkdir -p "$cache"
echo "install_npm_peers.sh: installing ${want[*]} into $cache"
npm install --prefix "$cache" --ignore-scripts --no-audit --no-fund "${want[@]}" >&2
