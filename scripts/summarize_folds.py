#!/usr/bin/env python3
"""Pooled scores of scripts/mitbih_folds.sh runs.

For each seed, the test confusion matrices of the eleven folds (each fold's held-out pair of DS1
records) are summed and scored as one matrix, as DS2 is scored: macro-F1 over N, S, V, F, and
per-class F1. Prints mean +- sd over the seeds for every tag given, one row each.

    /usr/bin/python3 scripts/summarize_folds.py runs/folds/<tag> [runs/folds/<tag2> ...]
"""
import json
import pathlib
import re
import statistics
import sys


def f1_scores(confusion):
    n = len(confusion)
    out = []
    for c in range(n):
        tp = confusion[c][c]
        predicted = sum(confusion[r][c] for r in range(n))
        support = sum(confusion[c])
        out.append(0.0 if tp == 0 else 2 * tp / (predicted + support))
    return out


def pooled_by_seed(folder):
    by_seed = {}
    for metrics in sorted(pathlib.Path(folder).glob("fold*-seed*/metrics.json")):
        seed = int(re.search(r"seed(\d+)$", metrics.parent.name).group(1))
        test = json.loads(metrics.read_text())["test"]
        matrix = test["confusion"]
        total = by_seed.setdefault(seed, {"folds": 0, "confusion": None, "classes": None})
        total["folds"] += 1
        total["classes"] = [c["name"] for c in test["classes"]]
        if total["confusion"] is None:
            total["confusion"] = [row[:] for row in matrix]
        else:
            for r, row in enumerate(matrix):
                for c, v in enumerate(row):
                    total["confusion"][r][c] += v
    return by_seed


def mean_sd(values):
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{100 * statistics.mean(values):.1f} ± {100 * sd:.1f}"


def main(folders):
    print("| tag | seeds (folds each) | macro-F1 | N F1 | S F1 | V F1 | F F1 |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for folder in folders:
        by_seed = pooled_by_seed(folder)
        if not by_seed:
            print(f"{folder}: no finished fold", file=sys.stderr)
            continue
        per_class = [f1_scores(s["confusion"]) for s in by_seed.values()]
        macro = [statistics.mean(f) for f in per_class]
        folds = ",".join(str(s["folds"]) for s in by_seed.values())
        cells = [mean_sd([f[c] for f in per_class]) for c in range(len(per_class[0]))]
        print(f"| {pathlib.Path(folder).name} | {len(by_seed)} ({folds}) | {mean_sd(macro)} | "
              + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
