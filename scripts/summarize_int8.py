#!/usr/bin/env python3
"""Int8 against float, mean ± standard deviation over seeds, from scripts/quantize_results.sh.

Reads models/<benchmark>-<init>-seed<k>/int8/<scheme>-<ptq|qat>.plq.json (written by
`physiolite quantize`: the float model's and the int8 graph's scores on validation and test) and
prints one Markdown table per benchmark. The drop is float minus int8 macro-F1, per seed, then
averaged: every seed's int8 model is compared with its own float model.

    /usr/bin/python3 scripts/summarize_int8.py [models-dir] [--split test] [--json out.json]
    /usr/bin/python3 scripts/summarize_int8.py --combined    (README's table: every benchmark in one)
"""
import argparse
import json
import re
import sys
from pathlib import Path

from summarize_results import RUN_NAME, mean_sd  # the same run names and spread

FILE_NAME = re.compile(r"^(?P<scheme>max78000|tflite)-(?P<mode>ptq|qat)\.plq\.json$")
SCHEMES = {"max78000": "MAX78000 (POW2)", "tflite": "TFLite / Ethos-U55"}
BENCHMARKS = {"mitbih": "MIT-BIH DS2 (N,S,V,F)", "uci_tinymyo": "UCI, TinyMyo's split",
              "uci": "UCI, reference split"}


def combined(groups, split):
    """One table, benchmark by benchmark: float and int8 macro-F1 and the drop."""
    print("| benchmark | scheme | float macro-F1 % | PTQ int8 macro-F1 % | PTQ drop (pt) "
          "| QAT int8 macro-F1 % | QAT drop (pt) | QAT int8 accuracy % |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for bench in [b for b in BENCHMARKS if any(k[0] == b for k in groups)]:
        for scheme in SCHEMES:
            row = {}
            for mode in ("ptq", "qat"):
                runs = groups.get((bench, "wavelet", scheme, mode), [])
                fp = [d["float"][split] for _, d in runs]
                q = [d["int8"][split] for _, d in runs]
                row[mode] = (fp, q, [f["scored_macro_f1"] - i["scored_macro_f1"] for f, i in zip(fp, q)])
            if not row["ptq"][0] or not row["qat"][0]:
                continue
            fp, q_ptq, d_ptq = row["ptq"]
            _, q_qat, d_qat = row["qat"]
            print(f"| {BENCHMARKS[bench]} | {SCHEMES[scheme]} | {cell([f['scored_macro_f1'] for f in fp])} "
                  f"| {cell([i['scored_macro_f1'] for i in q_ptq])} | {cell(d_ptq, signed=True)} "
                  f"| {cell([i['scored_macro_f1'] for i in q_qat])} | {cell(d_qat, signed=True)} "
                  f"| {cell([i['accuracy'] for i in q_qat])} |")


def cell(values, digits=1, signed=False):
    mean, sd = mean_sd([100.0 * v for v in values])
    return f"{mean:+.{digits}f} ± {sd:.{digits}f}" if signed else f"{mean:.{digits}f} ± {sd:.{digits}f}"


def load(models):
    groups = {}
    for run in sorted(Path(models).iterdir()):
        m = RUN_NAME.match(run.name)
        if not m or not (run / "int8").is_dir():
            continue
        for f in sorted((run / "int8").iterdir()):
            k = FILE_NAME.match(f.name)
            if k:
                key = (m["bench"], m["init"], k["scheme"], k["mode"])
                groups.setdefault(key, []).append((int(m["seed"]), json.loads(f.read_text())))
    return groups


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="?", default="models")
    parser.add_argument("--split", default="test")
    parser.add_argument("--json", help="also write the aggregated numbers here")
    parser.add_argument("--combined", action="store_true", help="one table for every benchmark")
    args = parser.parse_args()
    groups = load(args.models)
    if not groups:
        sys.exit(f"{args.models}: no */int8/<scheme>-<mode>.plq.json")
    if args.combined:
        combined(groups, args.split)
        return
    summary = {}
    for bench in sorted({k[0] for k in groups}):
        print(f"\n### {bench} ({args.split} split)\n")
        header = ["scheme", "mode", "seeds", "float acc %", "int8 acc %", "float macro-F1 %",
                  "int8 macro-F1 %", "macro-F1 drop (pt)", "weights B", "arena B"]
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for (b, init, scheme, mode), runs in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][3])):
            if b != bench:
                continue
            fp = [d["float"][args.split] for _, d in runs]
            q = [d["int8"][args.split] for _, d in runs]
            drop = [f["scored_macro_f1"] - i["scored_macro_f1"] for f, i in zip(fp, q)]
            label = {"wavelet": "", "kd": " (distilled student)", "nokd": " (student without KD)"}.get(init, f" ({init} init)")
            line = [SCHEMES[scheme] + label, mode.upper(),
                    ",".join(str(s) for s, _ in runs), cell([f["accuracy"] for f in fp]),
                    cell([i["accuracy"] for i in q]), cell([f["scored_macro_f1"] for f in fp]),
                    cell([i["scored_macro_f1"] for i in q]), cell(drop, signed=True),
                    str(runs[0][1]["weight_bytes"]), str(runs[0][1]["arena_bytes"])]
            print("| " + " | ".join(line) + " |")
            summary.setdefault(bench, {}).setdefault(init, {}).setdefault(scheme, {})[mode] = {
                "seeds": [s for s, _ in runs],
                "float_macro_f1": mean_sd([f["scored_macro_f1"] for f in fp]),
                "int8_macro_f1": mean_sd([i["scored_macro_f1"] for i in q]),
                "macro_f1_drop": mean_sd(drop),
                "max_seed_drop": max(drop),
                "qat_selected_epochs": [d["qat"]["selected_epoch"] for _, d in runs],
            }
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
