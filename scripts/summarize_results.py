#!/usr/bin/env python3
"""Mean ± standard deviation over seeds of the result runs written by scripts/run_results.sh.

Reads runs/<benchmark>-<init>-seed<k>/eval_<split>.json (written by `physiolite eval`) and prints one
Markdown table per benchmark: every row is an (init) over all its seeds, never a best seed; the
teacher and the distilled students of scripts/teacher_results.sh (<init> teacher and kd) too. In
models/, the MIT-BIH students without KD are shipped as mitbih-nokd-seed<k> (<init> nokd): the
distilled students replaced them under the name mitbih-wavelet-seed<k> (scripts/ship_models.sh).

    /usr/bin/python3 scripts/summarize_results.py [runs-dir] [--split test] [--json out.json]
"""
import argparse
import json
import math
import re
import sys
from pathlib import Path

# <init>: the student's bank init, "teacher" / "kd" for scripts/teacher_results.sh's runs, or
# "nokd" for the shipped MIT-BIH students without KD.
RUN_NAME = re.compile(r"^(?P<bench>[a-z_]+)-(?P<init>wavelet|random|nokd|teacher|kd)-seed(?P<seed>\d+)$")
INITS = ("wavelet", "random", "nokd", "teacher", "kd")


def mean_sd(values):
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
    return mean, sd


def cell(values, scale=100.0, digits=1):
    mean, sd = mean_sd([v * scale for v in values])
    return f"{mean:.{digits}f} ± {sd:.{digits}f}"


def load(runs, split):
    groups = {}
    for run in sorted(Path(runs).iterdir()):
        m = RUN_NAME.match(run.name)
        result = run / f"eval_{split}.json"
        if not m or not result.is_file():
            continue
        data = json.loads(result.read_text())
        groups.setdefault((m["bench"], m["init"]), []).append((int(m["seed"]), data))
    return groups


def class_entry(data, name):
    for c in data["classes"]:
        if c["name"] == name:
            return c
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", default="runs")
    parser.add_argument("--split", default="test")
    parser.add_argument("--json", help="also write the aggregated numbers here")
    args = parser.parse_args()
    groups = load(args.runs, args.split)
    if not groups:
        sys.exit(f"{args.runs}: no runs with eval_{args.split}.json")
    summary = {}
    for bench in sorted({b for b, _ in groups}):
        rows = [(init, groups[(bench, init)]) for init in INITS if (bench, init) in groups]
        classes = [c["name"] for c in rows[0][1][0][1]["classes"]]
        scored = rows[0][1][0][1].get("scored_classes", classes)
        print(f"\n### {bench} ({args.split} split)\n")
        header = ["init", "seeds", "accuracy %", "macro-F1 %"]
        # MIT-BIH: the two classes the published anchors report; UCI: accuracy and macro-F1 only.
        per_class = [n for n in scored if n in ("S", "V")] if bench == "mitbih" else []
        for name in per_class:
            header += [f"{name} Se %", f"{name} +P %", f"{name} F1 %"]
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for init, runs in rows:
            results = [d for _, d in runs]
            line = [init, ",".join(str(s) for s, _ in runs), cell([d["accuracy"] for d in results]),
                    cell([d["scored_macro_f1"] for d in results])]
            entry = {"seeds": [s for s, _ in runs], "accuracy": mean_sd([d["accuracy"] for d in results]),
                     "macro_f1": mean_sd([d["scored_macro_f1"] for d in results])}
            for name in per_class:
                cs = [class_entry(d, name) for d in results]
                for key in ("sensitivity", "positive_predictivity", "f1"):
                    line.append(cell([c[key] for c in cs]))
                    entry[f"{name}_{key}"] = mean_sd([c[key] for c in cs])
            summary.setdefault(bench, {})[init] = entry
            print("| " + " | ".join(line) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
