#!/usr/bin/python3
"""Where detected beats and annotated beats part, on DS1 validation records only (never DS2).

  bench/stream_alignment.py PHYSIOLITE MODEL.plq [RECORD ...]   (default 114 205 220 223)

For each record: `physiolite stream` (beats from our detector, the device's pipeline) and
`physiolite predict --int8 --causal` (the annotated beats through the same causal definitions),
then per AAMI class (N, S, V, F) over the records, with +/-150 ms matching (nearest unused
detection): annotated beats, missed ones, extra detections; the offset detected - annotated
(input samples: median, mean, sd, 10th / 90th percentile, per record too); how often the two
beats' windows are centred on the same model sample (both paths centre a window on
round(sample 180 / 360), so offsets of 0 and +1 may or may not move it, depending on the
annotated sample's parity), with the histogram of the centres' difference; and for the matched
beats the class the annotation-driven path gave against the class the stream gave (a table), with
both paths' macro-F1 over the same beats (a missed or unclassified beat counts as missed).
"""
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "peers"))
import mitdb212  # noqa: E402

DATA = HERE.parent.parent / "shared" / "data" / "mitdb"
AAMI = {1: 0, 2: 0, 3: 0, 34: 0, 11: 0, 8: 1, 4: 1, 7: 1, 9: 1, 5: 2, 10: 2, 6: 3}
NAMES = "NSVF"
FS, MODEL_FS = 360, 180  # MIT-BIH and the shipped models' rate


def centre_of(sample):
    """The window's centre at the model's rate: round(sample MODEL_FS / FS), plrt_ecg's integers."""
    return (2 * sample * MODEL_FS + FS) // (2 * FS)


def labels_of(path):
    with open(path) as f:
        return {int(r["sample"]): r["label"] for r in csv.DictReader(f)}


def class_of(label):
    return NAMES.index(label) if label and label in NAMES else -1


def macro_f1(tp, fp, fn):
    return 100 * np.mean([2 * tp[c] / d if (d := 2 * tp[c] + fp[c] + fn[c]) else 0 for c in range(4)])


def histogram(d):
    bins = [(d <= -2).mean(), (d == -1).mean(), (d == 0).mean(), (d == 1).mean(), (d >= 2).mean()]
    return " ".join(f"{100 * b:5.1f}%" for b in bins) + f"  ({d.size} beats)"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cli, plq = sys.argv[1], sys.argv[2]
    records = sys.argv[3:] or ["114", "205", "220", "223"]
    total, missed = np.zeros(4, int), np.zeros(4, int)
    offsets = {c: [] for c in range(4)}
    shifts = {c: [] for c in range(4)}  # window centre, detected - annotated (model samples)
    table = np.zeros((4, 4), int)
    counts = {"annotated": [np.zeros(4) for _ in range(3)], "streamed": [np.zeros(4) for _ in range(3)]}
    extra = 0
    with tempfile.TemporaryDirectory() as tmp:
        for rec in records:
            record = str(DATA / rec)
            st, pr = f"{tmp}/{rec}.csv", f"{tmp}/{rec}.pred.csv"
            subprocess.run([cli, "stream", record, "--int8", plq, "--output", st], check=True,
                           capture_output=True)
            subprocess.run([cli, "predict", "--int8", plq, "--causal", record, "--output", pr],
                           check=True, capture_output=True)
            streamed, annotated = labels_of(st), labels_of(pr)
            det = np.array(sorted(streamed), np.int64)
            used = np.zeros(det.size, bool)
            samples, codes, _ = mitdb212.read_atr(record)
            keep = np.isin(codes, list(mitdb212.BEAT_CODES))
            tol = round(0.150 * FS)
            rec_off = []
            for s, code in zip(samples[keep], codes[keep]):
                cls = AAMI.get(int(code), -1)
                j, best = np.searchsorted(det, s), None
                for k in (j - 1, j):
                    if 0 <= k < det.size and not used[k] and abs(det[k] - s) <= tol and (
                            best is None or abs(det[k] - s) < abs(det[best] - s)):
                        best = k
                if best is not None:
                    used[best] = True
                if cls < 0:
                    continue
                total[cls] += 1
                got = {"annotated": class_of(annotated.get(int(s))),
                       "streamed": class_of(streamed[int(det[best])]) if best is not None else -1}
                for path, (tp, fp, fn) in counts.items():
                    if got[path] == cls:
                        tp[cls] += 1
                    else:
                        fn[cls] += 1
                        if got[path] >= 0:
                            fp[got[path]] += 1
                if best is None:
                    missed[cls] += 1
                    continue
                offsets[cls].append(det[best] - s)
                shifts[cls].append(centre_of(int(det[best])) - centre_of(int(s)))
                rec_off.append(det[best] - s)
                if got["annotated"] >= 0 and got["streamed"] >= 0:
                    table[got["annotated"], got["streamed"]] += 1
            unmatched = ~used
            extra += int(unmatched.sum())
            o = np.array(rec_off)
            print(f"record {rec}: {det.size} detections, {int(unmatched.sum())} unmatched; offset "
                  f"detected - annotated median {np.median(o):+.0f} mean {o.mean():+.1f} "
                  f"sd {o.std():.1f} samples")
    print(f"records {' '.join(records)}: {extra} extra detections")
    for c, name in enumerate(NAMES):
        o = np.array(offsets[c])
        if o.size == 0:
            print(f"{name}: annotated {total[c]}, missed {missed[c]}")
            continue
        print(f"{name}: annotated {total[c]}, missed {missed[c]}; offset median {np.median(o):+.0f} "
              f"mean {o.mean():+.1f} sd {o.std():.1f} p10 {np.percentile(o, 10):+.0f} "
              f"p90 {np.percentile(o, 90):+.0f} samples (360 Hz)")
    print("window centre detected - annotated (180 Hz samples), share of matched beats:")
    print("      <=-2     -1      0     +1   >=+2")
    every = []
    for c, name in enumerate(NAMES):
        if shifts[c]:
            every += shifts[c]
            print(f"  {name} " + histogram(np.array(shifts[c])))
    print(f"  * {histogram(np.array(every))}")
    print("matched beats, class annotation-driven (rows) vs streamed (columns), N S V F:")
    for c, name in enumerate(NAMES):
        print(f"  {name} " + " ".join(f"{v:6d}" for v in table[c]))
    print(f"changed {table.sum() - np.trace(table)} of {table.sum()}; macro-F1 annotation-driven "
          f"(causal) {macro_f1(*counts['annotated']):.1f}, streamed {macro_f1(*counts['streamed']):.1f}")


if __name__ == "__main__":
    main()
