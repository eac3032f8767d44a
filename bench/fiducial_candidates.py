#!/usr/bin/python3
"""Fiducial rules compared on DS1 (choose on DS1 only, never on DS2): for each annotated beat
and its nearest detection within +/-150 ms, how often a candidate rule would centre the window
on the annotated beat's centre (round(sample 180 / 360), both paths' mapping).

  bench/fiducial_candidates.py PHYSIOLITE MODEL.plq [RECORD ...]   (default: the 22 DS1 records)

`physiolite stream` gives the refined fiducials: 2 b - 2 at 360 Hz, b the model-rate (180 Hz)
sample with the largest |band-passed lead|, 2 the band-pass's group delay at 10 Hz rounded
(refine_shift). The band-passed lead is recomputed here (scipy, the same 2nd-order Butterworth
sections) to try rules that look between the model's samples.
"""
import csv
import subprocess
import sys
import tempfile

import numpy as np
from scipy.signal import butter, lfilter

from stream_alignment import DATA, FS, centre_of, mitdb212

DS1 = ("101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 "
       "230").split()
SHIFT = 2  # refine_shift at 360 Hz (round of the 2.47-sample group delay at 10 Hz)


def vertex(a, b, c):
    """Offset of the parabola's vertex through (-1, a), (0, b), (1, c) from 0 (in [-0.5, 0.5])."""
    den = a - 2 * b + c
    return np.where(den != 0, 0.5 * (a - c) / np.where(den != 0, den, 1), 0.0)


def candidates(b, y360, raw):
    """Fiducials at 360 Hz (floats are rounded) of each rule, from the model-rate peaks b;
    `raw`: |the lead less a 0.5 Hz high-pass|, the signal the annotators saw, no low-pass."""
    y = y360[::2]  # the model's samples: 360 -> 180 Hz keeps the even ones
    sub = b + vertex(y[b - 1], y[b], y[b + 1])  # the peak between the model's samples
    q = 2 * b - 1 + np.argmax(np.stack([y360[2 * b + k] for k in (-1, 0, 1)]), 0)
    rules = {f"model-rate peak, shift {s} (centre b - {s // 2})": 2 * b - s
             for s in (0, 1, 2, 3, 4)}
    rules |= {f"parabola at 180 Hz, shift {s:.2f} model samples": np.floor(2 * (sub - s) + 0.5)
              for s in (0.8, 0.9, 1.0, 1.1, 1.2, 1.235)}  # 1.235: the group delay
    rules |= {f"largest 360 Hz sample, shift {s}": q - s for s in (2, 3)}
    window = 2 * b - SHIFT + np.arange(-8, 9)[:, None]  # +-22 ms around the refined fiducial
    for s in (-1, 0, 1):
        rules[f"largest |0.5 Hz high-passed lead|, shift {s}"] = (
            2 * b - SHIFT - 8 + np.argmax(raw[window], 0) - s)
    return rules


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cli, plq = sys.argv[1], sys.argv[2]
    records = sys.argv[3:] or DS1
    hp, lp = butter(2, 0.5, "high", fs=FS), butter(2, 40, fs=FS)
    agree, offsets = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for rec in records:
            record = str(DATA / rec)
            subprocess.run([cli, "stream", record, "--int8", plq, "--output", f"{tmp}/s.csv"],
                           check=True, capture_output=True)
            with open(f"{tmp}/s.csv") as f:
                det = np.array(sorted(int(r["sample"]) for r in csv.DictReader(f)), np.int64)
            _, signals, names = mitdb212.read_212(record)
            x = signals[names.index("MLII") if "MLII" in names else 0].copy()
            for i in np.flatnonzero(~np.isfinite(x)):  # the last valid sample, as plrt_ecg
                x[i] = x[i - 1] if i else 0.0
            high = lfilter(*hp, x - x[0])
            y360 = np.abs(lfilter(*lp, high))
            samples, codes, _ = mitdb212.read_atr(record)
            ann = samples[np.isin(codes, list(mitdb212.BEAT_CODES))]
            j = np.clip(np.searchsorted(det, ann), 1, det.size - 1)
            near = np.where(np.abs(det[j - 1] - ann) < np.abs(det[j] - ann), det[j - 1], det[j])
            # matched, refined (even: 2 b - 2), away from the record's ends
            ok = (np.abs(near - ann) <= round(0.150 * FS)) & (near % 2 == 0) & (near > 16) & (
                near < x.size - 16)
            b = (near[ok] + SHIFT) // 2
            for name, fid in candidates(b, y360, np.abs(high)).items():
                fid = fid.astype(np.int64)
                agree.setdefault(name, []).append(centre_of(fid) == centre_of(ann[ok]))
                offsets.setdefault(name, []).append(fid - ann[ok])
    print(f"records {' '.join(records)}")
    for name in agree:
        a, o = np.concatenate(agree[name]), np.concatenate(offsets[name])
        print(f"{name:45s} centre equal {100 * a.mean():5.1f}%; offset median {np.median(o):+.0f} "
              f"mean {o.mean():+.2f}, |offset| <= 1 {100 * (np.abs(o) <= 1).mean():5.1f}% "
              f"({a.size} beats)")


if __name__ == "__main__":
    main()
