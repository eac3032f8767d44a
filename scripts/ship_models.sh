#!/usr/bin/env bash
# Copies finished result runs (scripts/run_results.sh) into models/<name>/ so that a user can score
# them without training: the best checkpoint (weights + resolved config + training history), the
# resolved config, the test-split evaluation, the run report and its plots, and a README holding
# the command that trained it and the one that scores it.
#
#   scripts/ship_models.sh runs/mitbih-wavelet-seed1 [more run dirs ...]
#   scripts/ship_models.sh runs/mitbih-kd-seed1:mitbih-wavelet-seed1    (RUN:NAME ships RUN as
#                                                                         models/NAME)
#
# The shipped MIT-BIH students are the distilled runs of scripts/teacher_results.sh, under the
# students' names (docs/teacher.md's replacement rule); the students without KD of
# scripts/run_results.sh stay beside them as mitbih-nokd-seed<k>:
#
#   for k in 1 2 3; do scripts/ship_models.sh runs/mitbih-kd-seed$k:mitbih-wavelet-seed$k \
#     runs/mitbih-wavelet-seed$k:mitbih-nokd-seed$k; done
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/result_configs.sh
for arg in "$@"; do
  run=${arg%%:*} name=$(basename "${arg%%:*}") ship=$(basename "${arg##*:}")
  if [[ ! "$name" =~ ^([a-z_]+)-(wavelet|random|teacher|kd)-seed([0-9]+)$ ]]; then
    echo "$run: not a result run name (<benchmark>-<wavelet|random|teacher|kd>-seed<k>)" >&2; exit 2
  fi
  bench=${BASH_REMATCH[1]} init=${BASH_REMATCH[2]} seed=${BASH_REMATCH[3]}
  # Teachers (scripts/teacher_results.sh) come from their own config, without a bank init.
  config=$(config_of "$bench") how=scripts/run_results.sh extra="--set model.bank_init=$init"
  if [[ $init == teacher ]]; then
    config=configs/${bench}_teacher.json how=scripts/teacher_results.sh extra=""
  fi
  # Distilled students (scripts/teacher_results.sh, stage kd): the teacher of the same seed and
  # the distillation settings the run resolved.
  if [[ $init == kd ]]; then
    how=scripts/teacher_results.sh
    extra="--set train.teacher=runs/$bench-teacher-seed$seed $(/usr/bin/python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["train"]
print("--set train.kd_alpha={:g} --set train.kd_temperature={:g}".format(t["kd_alpha"], t["kd_temperature"]))
' "$run/config.json")"
  fi
  [[ -f "$run/best.pt" && -f "$run/eval_test.json" ]] || { echo "$run: not finished" >&2; exit 3; }
  out="models/$ship"
  tmp=$(mktemp -d "models/.${ship}.XXXX")
  cp "$run/best.pt" "$run/config.json" "$run/eval_test.json" "$run/eval_test.txt" \
     "$run/report.md" "$run/log.jsonl" "$tmp/"
  # Every file report.md links (figures, int8 models), so that no link of a shipped report dangles.
  grep -o '](\([^)]*\))' "$run/report.md" | sed 's/^](//; s/)$//' | while read -r linked; do
    mkdir -p "$tmp/$(dirname "$linked")"
    cp "$run/$linked" "$tmp/$linked"
  done
  shipped_as=""
  [[ $ship == "$name" ]] || shipped_as="
The run \`runs/$name\`, shipped as \`models/$ship\`.
"
  cat > "$tmp/README.md" <<EOF
# $ship
$shipped_as
Trained by \`$how\` (\`config.json\` is the resolved config it ran with):

    physiolite train --config $config --set train.seed=$seed $extra \\
      --set run_dir=runs/$name --set train.threads=1

Score it (rebuilds the split from \`../shared/data\` or \$PHYSIOLITE_DATA):

    physiolite eval --run models/$ship --split test

\`eval_test.txt\` is what that command printed; \`report.md\` and the files it links come from
the run directory.
EOF
  rm -rf "$out"
  mv "$tmp" "$out"
  echo "shipped $out"
done
