#!/usr/bin/python3
"""The numpy peer of bench_datasets: PTB-XL-shaped data read and windowed the way the reference's
ptbxl_preprocess.py does it with wfdb.rdsamp, with wfdb's own steps written out in numpy (Debian's
python3 has no wfdb): the CSV with csv + ast.literal_eval, the superclass label, each header
parsed as text, the format-16 signal with np.fromfile, (digital - baseline) / gain, then windows
of 2 048 with step 1 024, the padded tail and per-window per-lead min-max to [-1, 1] -- vectorised
over the 12 leads, so a faster peer than the reference's per-lead loop.

usage: ptbxl_numpy.py make DIR N        write N 10 s 12-lead records (seeded) into DIR
       ptbxl_numpy.py run DIR REPEATS   time the train split (folds 1-8); prints key=value
"""
import ast
import csv
import os
import sys
import time

import numpy as np

CLASSES = {"NORM": 0, "MI": 1, "STTC": 2, "CD": 3, "HYP": 4}
CODES = [("NORM", "NORM"), ("IMI", "MI"), ("NDT", "STTC"), ("CLBBB", "CD"), ("LVH", "HYP")]


def make(d, n):
    os.makedirs(d, exist_ok=True)
    r = np.random.RandomState(1)
    with open(os.path.join(d, "scp_statements.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["", "description", "diagnostic", "diagnostic_class"])
        for code, cls in CODES:
            w.writerow([code, code.lower(), "1.0", cls])
        w.writerow(["SR", "sinus rhythm", "", ""])
    with open(os.path.join(d, "ptbxl_database.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ecg_id", "patient_id", "report", "scp_codes", "strat_fold", "filename_lr",
                    "filename_hr"])
        for i in range(1, n + 1):
            a, b = CODES[i % 5][0], CODES[(i * 3) % 5][0]
            scp = "{'%s': 100.0, '%s': %s, 'SR': 0.0}" % (a, b, "50.0" if i % 2 else "80.0")
            folder = f"records500/{(i // 1000) * 1000:05d}"
            w.writerow([i, 1000 + i, "sinus rhythm, normal ecg", scp, 1 + i % 8,
                        f"records100/{folder[-5:]}/{i:05d}_lr", f"{folder}/{i:05d}_hr"])
            os.makedirs(os.path.join(d, folder), exist_ok=True)
            t = np.arange(5000) / 500.0
            x = (300 * np.sin(2 * np.pi * 1.1 * t)[None, :] * (1 + np.arange(12)[:, None] / 12)
                 + r.normal(0, 20, size=(12, 5000))).astype(np.int16)
            base = os.path.join(d, folder, f"{i:05d}_hr")
            x.T.astype("<i2").tofile(base + ".dat")
            with open(base + ".hea", "w") as h:
                h.write(f"{i:05d}_hr 12 500 5000\n")
                for lead in range(12):
                    s = int(np.sum(x[lead].astype(np.int64))) & 0xFFFF
                    s = s - 0x10000 if s >= 0x8000 else s
                    h.write(f"{i:05d}_hr.dat 16 1000.0(0)/mV 16 0 {x[lead, 0]} {s} 0 L{lead}\n")


def read_header(path):
    with open(path) as f:
        lines = [l for l in f.read().splitlines() if l and not l.startswith("#")]
    name, nsig, fs, n = lines[0].split()[:4]
    gains, baselines = [], []
    for line in lines[1:1 + int(nsig)]:
        g = line.split()[2]
        gain, rest = g.split("(")
        gains.append(float(gain))
        baselines.append(float(rest.split(")")[0]))
    return int(nsig), int(n), np.array(gains), np.array(baselines)


def minmax(seg):
    lo = seg.min(axis=1, keepdims=True)
    hi = seg.max(axis=1, keepdims=True)
    rng = hi - lo
    out = np.where(rng > 1e-8, 2 * (seg - lo) / np.where(rng > 1e-8, rng, 1) - 1, 0.0)
    return out.astype(np.float32)


def run_once(d):
    with open(os.path.join(d, "scp_statements.csv")) as f:
        rows = list(csv.reader(f))
    diag = {r[0]: r[3] for r in rows[1:] if r[2] and float(r[2]) == 1}
    windows, labels = [], []
    with open(os.path.join(d, "ptbxl_database.csv")) as f:
        for row in csv.DictReader(f):
            if int(row["strat_fold"]) > 8:
                continue
            codes = ast.literal_eval(row["scp_codes"])
            found = [CLASSES[diag[c]] for c, lk in codes.items() if lk >= 80 and diag.get(c) in CLASSES]
            if not found:
                continue
            base = os.path.join(d, row["filename_hr"])
            nsig, n, gain, baseline = read_header(base + ".hea")
            x = ((np.fromfile(base + ".dat", dtype="<i2").reshape(n, nsig) - baseline) / gain).T
            if n < 2048:
                continue
            for start in range(0, n - 2048 + 1, 1024):
                windows.append(minmax(x[:12, start:start + 2048]))
            if n % 1024:
                pad = np.zeros((12, 2048))
                rem = x[:12, (n // 1024) * 1024:]
                pad[:, :rem.shape[1]] = rem
                windows.append(minmax(pad))
            labels.extend([max(found)] * (len(windows) - len(labels)))
    return np.stack(windows), np.array(labels)


def main():
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
        return
    d, repeats = sys.argv[2], int(sys.argv[3])
    seconds = []
    for _ in range(repeats):
        t0 = time.thread_time()
        data, labels = run_once(d)
        seconds.append(time.thread_time() - t0)
    seconds.sort()
    print(f"windows={len(labels)} checksum={float(np.abs(data).astype(np.float64).sum()):.1f} "
          f"read_median_s={seconds[len(seconds) // 2]:.4f}")


if __name__ == "__main__":
    main()
