#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) and runs each for a bounded time.
# Usage: scripts/fuzz.sh [seconds per target, default 30]
# Every outside format (WFDB header/record/signal, annotations, UCI EMG, QRS stream, .plq in C and
# C++, HDF5 windows/signals, CSV tables, JSON configs, MATLAB .mat, PTB-XL scp_codes, EPN-612
# JSON) at 30 s each, one input at most 20 s (-timeout): the stage takes about 7 minutes plus the
# build.
# PHYSIOLITE_FUZZ_SKIP (default: none) names targets to leave out, separated by spaces.
# HDF5 files are parsed in a child process with a deadline (docs/limits.md), so libhdf5 1.10's
# hangs and crashes on mutated files end as InputErrors and hdf5_windows runs like the others.
# Artifacts (crash-*, leak-*, timeout-*) go to build/fuzz/<target>-*.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
cmake --preset fuzz > /dev/null
cmake --build --preset fuzz -j "$(nproc)"
skip=" ${PHYSIOLITE_FUZZ_SKIP-} "
status=0
for target in build/fuzz/fuzz/*_fuzz; do
  name=$(basename "$target" _fuzz)
  if [[ $skip == *" $name "* ]]; then
    echo "fuzz: $name skipped (PHYSIOLITE_FUZZ_SKIP)"
    continue
  fi
  corpus_seed="tests/corpus/$name"
  work=$(mktemp -d)
  [ -d "$corpus_seed" ] && cp -r "$corpus_seed"/. "$work"/
  echo "fuzz: $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=0 -artifact_prefix="build/fuzz/$name-" "$work" > "build/fuzz/$name.log" 2>&1; then
    echo "fuzz: $name FAILED, see build/fuzz/$name.log"; tail -40 "build/fuzz/$name.log"; status=1
  else
    echo "fuzz: $name ok ($(grep -c . "build/fuzz/$name.log") log lines)"
  fi
  rm -rf "$work"
done
exit $status
