#!/usr/bin/env bash
# `physiolite profile` against the chips' own estimators on networks the rules were not fitted on:
# izer's ESTIMATED LATENCY (MAX78000) and Vela's per-layer Op Cycles (WE2, weights in off-chip
# flash as published and in SRAM). Held out: generated networks (seeds 1001+) and the shipped
# MIT-BIH and UCI models' topology. The fit set is seeds 1-16 (scripts/profile_fit.py fit: izer's
# rule and the WE2 encoded-weight constants; the WE2 compute rule has no fitted constant).
# Prints per network the whole-network and per-layer errors, then the worst of each and the count
# of WE2 layers within 15 %.
#   bash bench/run_profile.sh [BUILD_DIR]     (default build/release; izer/Vela runs are cached)
# The estimators are deterministic, so one run each is the median; both run with nice -n 10, one
# at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
out=runs/profile
[[ -d $out/heldout ]] || nice -n 10 "$build/bench/bench_profile_netgen" $out/heldout 1001 10
for m in mitbih uci; do
  [[ -d $out/shipped/$m ]] ||
    nice -n 10 "$build/bench/bench_profile_netgen" $out/shipped --run models/$m-wavelet-seed1 $m
done
/usr/bin/python3 scripts/profile_fit.py run $out/heldout/net* $out/shipped/mitbih $out/shipped/uci >/dev/null
/usr/bin/python3 scripts/profile_fit.py compare "$build/physiolite" $out/heldout/net* \
  $out/shipped/mitbih $out/shipped/uci
