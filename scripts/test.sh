#!/usr/bin/env bash
# Builds PhysioLite (release preset) and runs the whole GoogleTest/CTest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release
cmake --build --preset release -j "$(nproc)"
ctest --preset release
