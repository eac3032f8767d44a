#!/usr/bin/env bash
# Installs every build and test dependency of PhysioLite from Debian 12 packages.
# Idempotent: packages already present are skipped, so running it twice costs seconds.
#   scripts/setup.sh           build and test dependencies
#   scripts/setup.sh --bench   also the benchmark peers' (ONNX for Python, Node.js + npm for ONNX
#                              Runtime; bench/run_runtime.sh installs onnxruntime-node itself)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  clang-14 libclang-rt-14-dev clang-format
  libgtest-dev googletest libbenchmark-dev
  zlib1g-dev libhdf5-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev
  libtorch-dev libopenblas0-pthread libgloo-dev
  python3-numpy python3-scipy python3-h5py python3-torch python3-pywt python3-sklearn
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  # physiolite export: flatc + FlatBuffers (TFLite), libonnx (ONNX); the vendor tools in
  # ../shared/tools (Vela: python3-dev/numpy/flatbuffers/lxml; izer: torch/yaml/git/github/rich/
  # xxhash); Arm NN's TFLite parser for the WE2 cross-check; node/npm for node-tflite
  # (scripts/install_npm_peers.sh)
  flatbuffers-compiler libflatbuffers-dev libonnx-dev libprotobuf-dev python3-onnx
  python3-dev python3-flatbuffers python3-lxml
  python3-yaml python3-git python3-github python3-rich python3-xxhash
  python3-pyarmnn libarmnn-cpuref-backend22
)
# Node may come from elsewhere than Debian (it does on the CI image): only install it if absent.
command -v npm > /dev/null || packages+=(nodejs npm)
if [ "${1:-}" = "--bench" ]; then
  packages+=(python3-onnx)
elif [ $# -gt 0 ]; then
  echo "usage: scripts/setup.sh [--bench]" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
