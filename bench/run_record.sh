#!/usr/bin/env bash
# `physiolite record` against a numpy peer, in one run, interleaved (A B A B ...):
#  1. `record samples` of MIT-BIH record 100 (30 min, 2 signals) to CSV, whole process;
#  2. reading all 48 records into memory as physical values, in-process (bench_record vs numpy).
# Usage: bench/run_record.sh [build dir, default build/release] [runs, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
runs="${2:-5}"
py=/usr/bin/python3
data="${PHYSIOLITE_DATA:-$(cd .. && pwd)/shared/data}"
record="$data/mitdb/100"
export PHYSIOLITE_DATA="$data"

# The two CSVs must be identical before their speed means anything.
ours=$(mktemp) theirs=$(mktemp)
trap 'rm -f "$ours" "$theirs"' EXIT
"$build/physiolite" record samples "$record" > "$ours"
"$py" bench/peers/record_numpy.py csv "$record" > "$theirs"
cmp -s "$ours" "$theirs" || { echo "CSV outputs differ"; exit 1; }

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
a_times=() b_times=()
for _ in $(seq "$runs"); do
  t0=$(now); "$build/physiolite" record samples "$record" > /dev/null; t1=$(now)
  "$py" bench/peers/record_numpy.py csv "$record" > /dev/null; t2=$(now)
  a_times+=("$(echo "$t1 - $t0" | bc -l)") b_times+=("$(echo "$t2 - $t1" | bc -l)")
done
a=$(printf '%s\n' "${a_times[@]}" | median) b=$(printf '%s\n' "${b_times[@]}" | median)
printf 'record samples 100 > CSV   physiolite %.3f s   numpy %.3f s   numpy/physiolite %.1fx\n' \
  "$a" "$b" "$(echo "$b / $a" | bc -l)"

ours_read=() numpy_read=()
for _ in $(seq "$runs"); do
  ours_read+=("$("$build/bench/bench_record" 3 | awk '/^read_all_physical/ {print $2}')")
  numpy_read+=("$("$py" bench/peers/record_numpy.py readall "$data/mitdb" 3 | cut -d' ' -f1)")
done
a=$(printf '%s\n' "${ours_read[@]}" | median) b=$(printf '%s\n' "${numpy_read[@]}" | median)
printf 'read 48 records (physical)  physiolite %.3f s   numpy %.3f s   numpy/physiolite %.1fx\n' \
  "$a" "$b" "$(echo "$b / $a" | bc -l)"
