#!/usr/bin/env bash
# The main job on the shipped data: set-up, release build, then the product at work — the beats of
# MIT-BIH record 100 classified by the shipped int8 model in the C runtime, against the record's
# reference annotations — and the benchmark datasets and the QRS detector behind it.
#
#   bash scripts/demo.sh                 every step below, in order
#   bash scripts/demo.sh classify qrs    only these steps
#   PHYSIOLITE_DATA=/path/to/data        where mitdb/ and uci-emg-gestures/ are (../shared/data)
#
# Each step is a function `step_<name>` listed in `steps`; a new stage of the pipeline (export to
# the chips' compilers, per-chip profiles) is one more function and one more name in the list.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${PHYSIOLITE_DATA:-../shared/data}
cli=build/release/physiolite
out=build/demo
model=models/mitbih-wavelet-seed1
record=${PHYSIOLITE_DEMO_RECORD:-100}

steps=(classify stream export datasets qrs)

# A record's beats classified by the shipped int8 model (MAX78000 scheme, the bytes a chip would
# run) in the C runtime, with the table of predicted classes against the cardiologists' labels.
step_classify() {
  "$cli" predict --run "$model" --int8 "$model/int8/max78000-qat.plq" "$data/mitdb/$record" \
    --output "$out/$record.max78000-qat.predictions.csv"
  echo "(per-beat labels and probabilities: $out/$record.max78000-qat.predictions.csv)"
}

# The same record through the on-device pipeline (plrt_ecg: detector, causal preprocessing, int8
# model), one class per beat as the samples stream in.
step_stream() {
  "$cli" stream "$data/mitdb/$record" --int8 "$model/int8/max78000-qat.plq" \
    --output "$out/$record.stream.csv"
  echo "(one line per beat as it came: $out/$record.stream.csv)"
}

# The model as the WE2's compiler takes it, checked by Arm Vela (every operator on the NPU) when
# ../shared/tools/vela is there.
step_export() {
  local check=()
  [[ -x ../shared/tools/vela/vela ]] && check=(--check)
  "$cli" export --run "$model" --target we2 -o "$out/we2" "${check[@]}" | tail -4
}

# The windows the shipped models were trained and scored on, as their recipes make them.
step_datasets() {
  "$cli" data summary --config configs/mitbih_aami.json
  echo
  "$cli" data summary uci
}

# The streaming QRS detector (the runtime's, in C) on all 48 MIT-BIH records.
step_qrs() {
  "$cli" detect-eval "$data/mitdb" --output "$out/detect_eval.json" | tail -6
}

chosen=("${steps[@]}")
(($# > 0)) && chosen=("$@")
for step in "${chosen[@]}"; do
  if ! declare -F "step_$step" > /dev/null; then
    echo "demo.sh: unknown step '$step' (steps: ${steps[*]})" >&2
    exit 2
  fi
done

bash scripts/setup.sh
cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)"
mkdir -p "$out"
for step in "${chosen[@]}"; do
  echo "== $step"
  "step_$step"
  echo
done
