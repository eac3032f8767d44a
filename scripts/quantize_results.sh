#!/usr/bin/env bash
# The int8 results of docs/quantization.md: every shipped model (models/<benchmark>-wavelet-seed<k>)
# quantised with both schemes, post-training (PTQ) and with quantisation-aware fine-tuning (QAT),
# into models/<name>/int8/<scheme>-<ptq|qat>.plq (+ .plq.json with the float and int8 scores of
# the validation and test splits, .plq.txt what quantize printed). Files already written are skipped, so calling the script again
# continues where it stopped. Then every file's test split is run through the C runtime and checked
# bit for bit against the LibTorch integer graph (`eval --int8 --check-exact`,
# eval_<scheme>-<mode>.txt and .json; PHYSIOLITE_CHECK_EXACT=0 skips it).
#
#   scripts/quantize_results.sh [build-dir]          (default build/release; or PHYSIOLITE_CLI)
#   PHYSIOLITE_MODELS="mitbih-wavelet-seed1 ..."      which models (default: every shipped one)
#   PHYSIOLITE_SCHEMES="max78000 tflite"              PHYSIOLITE_MODES="ptq qat"
#
# The per-benchmark recipe (calibration, QAT epochs) was chosen on validation scores only.
set -euo pipefail
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
cd "$(dirname "$0")/.."
build=${1:-build/release}
cli=${PHYSIOLITE_CLI:-"$build/physiolite"}
schemes=${PHYSIOLITE_SCHEMES:-"max78000 tflite"}
modes=${PHYSIOLITE_MODES:-"ptq qat"}
models=${PHYSIOLITE_MODELS:-$(cd models && ls -d *-seed* | sort)}

# Arguments of `quantize` for a benchmark, scheme and mode. Calibration: quantize's default,
# the recipe (quant::recipe_calibration): the percentile of the smallest validation macro-F1 drop
# of PTQ on seed 1 among min/max and P = 99.5, 99.9, 99.99 (docs/quantization.md), i.e. 99.99
# for MIT-BIH on max78000 and 99.9 otherwise. QAT epochs: about an hour of training in all.
recipe_of() {
  local bench=$1 mode=$3 qat
  case "$bench" in
    mitbih) qat=4 ;;
    uci | uci_tinymyo) qat=8 ;;
    *) echo "unknown benchmark $bench" >&2; exit 2 ;;
  esac
  [[ $mode == qat ]] && echo "--qat $qat"
  return 0
}

for name in $models; do
  bench=${name%%-*}
  mkdir -p "models/$name/int8"
  for scheme in $schemes; do
    for mode in $modes; do
      out="models/$name/int8/$scheme-$mode.plq"
      [[ -f "$out.json" ]] && continue
      echo "== $name $scheme $mode ($(date -Is))"
      # shellcheck disable=SC2046
      "$cli" quantize --run "models/$name" --scheme "$scheme" $(recipe_of "$bench" "$scheme" "$mode") \
        -o "$out" > "$out.txt.tmp"
      mv "$out.txt.tmp" "$out.txt"
      tail -n 8 "$out.txt"
    done
  done
done

# The whole test split of every file through the runtime (both kernel sets) and the LibTorch graph.
[[ ${PHYSIOLITE_CHECK_EXACT:-1} == 1 ]] || exit 0
for name in $models; do
  for scheme in $schemes; do
    for mode in $modes; do
      out="models/$name/int8/$scheme-$mode.plq"
      check="models/$name/int8/eval_$scheme-$mode.txt"
      [[ -f $check ]] && continue
      echo "== $name $scheme $mode: eval --int8 --check-exact ($(date -Is))"
      "$cli" eval --run "models/$name" --int8 "$out" --split test --check-exact \
        --output "models/$name/int8/eval_$scheme-$mode.json" > "$check.tmp"
      mv "$check.tmp" "$check"
      tail -n 2 "$check"
    done
  done
done
