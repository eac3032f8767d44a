#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) and runs each for a bounded time.
# Usage: scripts/fuzz.sh [seconds per target, default 30]
# Eleven targets (every outside format: WFDB header/record/signal, annotations, UCI EMG, QRS
# stream, .plq in C and C++, HDF5 windows/signals, CSV tables, JSON configs) at 30 s each: the
# fuzz stage takes about 5.5 minutes plus the build.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
cmake --preset fuzz > /dev/null
cmake --build --preset fuzz -j "$(nproc)"
status=0
for target in build/fuzz/fuzz/*_fuzz; do
  name=$(basename "$target" _fuzz)
  corpus_seed="tests/corpus/$name"
  work=$(mktemp -d)
  [ -d "$corpus_seed" ] && cp -r "$corpus_seed"/. "$work"/
  echo "fuzz: $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=0 "$work" > "build/fuzz/$name.log" 2>&1; then
    echo "fuzz: $name FAILED, see build/fuzz/$name.log"; tail -40 "build/fuzz/$name.log"; status=1
  else
    echo "fuzz: $name ok ($(grep -c . "build/fuzz/$name.log") log lines)"
  fi
  rm -rf "$work"
done
exit $status
