#!/usr/bin/python3
"""Writes tests/golden/metrics_sklearn.hpp: scikit-learn's metrics on two seeded random cases.

Run from the repository root:  /usr/bin/python3 tests/golden/gen_metrics.py
Regenerate only on purpose, in a commit of its own.

Scores are rounded to one or two decimals (then to float32, the type the C++ code reads), so the
cases are full of ties: in the argmax, in AUROC's ranks and in AP's threshold steps.
Averaging rule of physiolite::eval (sklearn has no single call for it): per-class AUROC only where
the class has positives and negatives, per-class AP only where it has positives; macro = mean of
the defined per-class values; micro = the metric on the flattened (sample, class) indicator.
"""
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn import metrics

SEED = 20261201
OUT = Path(__file__).with_name("metrics_sklearn.hpp")


def fmt(v):
    v = float(v)
    return "kNaN" if np.isnan(v) else repr(v)


def array(ctype, name, values):
    text = {"double": fmt, "float": lambda v: repr(float(v)) + "f", "int64_t": str}[ctype]
    body = ", ".join(text(v) for v in np.ravel(values))
    return f"inline constexpr {ctype} {name}[] = {{{body}}};\n"


def scalar(name, value):
    return f"inline constexpr double {name} = {fmt(value)};\n"


def ranking(truth, scores):
    """Per-class AUROC and AP (NaN where undefined), their macro means and the micro values."""
    k = truth.shape[1]
    auroc = np.full(k, np.nan)
    ap = np.full(k, np.nan)
    for c in range(k):
        positives = truth[:, c].sum()
        if 0 < positives < len(truth):
            auroc[c] = metrics.roc_auc_score(truth[:, c], scores[:, c])
        if positives > 0:
            ap[c] = metrics.average_precision_score(truth[:, c], scores[:, c])
    micro_auroc = metrics.roc_auc_score(truth.ravel(), scores.ravel())
    micro_ap = metrics.average_precision_score(truth.ravel(), scores.ravel())
    return auroc, ap, np.nanmean(auroc), np.nanmean(ap), micro_auroc, micro_ap


def emit_case(prefix, comment, scores, labels, y_true, y_pred, truth, accuracy):
    k = scores.shape[1]
    out = [f"\n// {comment}\n"]
    out.append(f"inline constexpr int kNum{prefix}Classes = {k};\n")
    out.append(array("float", f"k{prefix}Scores", scores.astype(np.float32)))
    out.append(array("int64_t", f"k{prefix}Labels", labels))
    out.append(scalar(f"k{prefix}Accuracy", accuracy))
    p, r, f, s = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=list(range(k)), average=None, zero_division=0)
    out.append(array("double", f"k{prefix}Precision", p))
    out.append(array("double", f"k{prefix}Recall", r))
    out.append(array("double", f"k{prefix}F1", f))
    out.append(array("int64_t", f"k{prefix}Support", s))
    for avg in ("micro", "macro", "weighted"):
        p, r, f, _ = metrics.precision_recall_fscore_support(
            y_true, y_pred, labels=list(range(k)), average=avg, zero_division=0)
        out.append(array("double", f"k{prefix}{avg.capitalize()}", [p, r, f]))
    auroc, ap, auroc_macro, ap_macro, auroc_micro, ap_micro = ranking(truth, scores)
    out.append(array("double", f"k{prefix}Auroc", auroc))
    out.append(array("double", f"k{prefix}Ap", ap))
    for name, v in (("AurocMacro", auroc_macro), ("ApMacro", ap_macro),
                    ("AurocMicro", auroc_micro), ("ApMicro", ap_micro)):
        out.append(scalar(f"k{prefix}{name}", v))
    return out


def single_label(rng):
    n, k = 240, 5
    # Class 4 never occurs in the labels but its score is sometimes the highest (false positives).
    labels = rng.choice(4, size=n, p=[0.55, 0.2, 0.15, 0.1])
    logits = rng.normal(size=(n, k)) + 1.2 * np.eye(k)[labels]
    scores = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    scores = np.round(scores, 1).astype(np.float32).astype(np.float64)
    y_pred = scores.argmax(axis=1)  # first maximum on ties
    truth = np.eye(k, dtype=np.int64)[labels]
    out = emit_case("Single", f"single-label, N = {n}, K = {k}, class 4 absent from the labels; "
                    "scores = softmax(N(0,1) + 1.2 one_hot) rounded to 0.1",
                    scores, labels, labels, y_pred, truth, metrics.accuracy_score(labels, y_pred))
    cm = metrics.confusion_matrix(labels, y_pred, labels=list(range(k)))
    out.append(array("int64_t", "kSingleConfusion", cm))
    return out


def multi_label(rng, threshold):
    n, k = 150, 4
    # Class 3 has no positive at all: AUROC and AP undefined for it, F1 0 (zero_division=0).
    truth = (rng.random((n, k)) < np.array([0.5, 0.3, 0.15, 0.0])).astype(np.int64)
    logits = rng.normal(size=(n, k)) + 1.5 * truth - 0.8
    scores = np.round(1 / (1 + np.exp(-logits)), 2).astype(np.float32).astype(np.float64)
    y_pred = (scores.astype(np.float32) >= np.float32(threshold)).astype(np.int64)
    # physiolite's multi-label "accuracy": the top-scored class is one of the sample's labels.
    accuracy = truth[np.arange(n), scores.argmax(axis=1)].mean()
    out = emit_case("Multi", f"multi-label, N = {n}, K = {k}, threshold {threshold}, class 3 never "
                    "positive; scores = sigmoid(N(0,1) + 1.5 y - 0.8) rounded to 0.01",
                    scores, truth, truth, y_pred, truth, accuracy)
    out.append(f"inline constexpr float kMultiThreshold = {threshold}f;\n")
    return out


def main():
    rng = np.random.default_rng(SEED)
    body = single_label(rng) + multi_label(rng, 0.3)
    head = (
        "// Generated by: /usr/bin/python3 tests/golden/gen_metrics.py   (do not edit)\n"
        f"// scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
        f"python {sys.version.split()[0]}, seed {SEED}\n"
        "// sklearn.metrics reference values for tests/eval/metrics_sklearn_test.cpp.\n"
        "#pragma once\n\n#include <cstdint>\n#include <limits>\n\n"
        "namespace physiolite::eval::golden {\n\n"
        "inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();\n")
    OUT.write_text(head + "".join(body) + "\n}  // namespace physiolite::eval::golden\n")


if __name__ == "__main__":
    main()
