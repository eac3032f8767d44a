#!/usr/bin/env python3
"""The same MIT-BIH pipeline as physiolite's build_mitbih_windows, in numpy/scipy (the peer of
bench/bench_pipeline.cpp): decode format 212, lead MLII by name (else signal 0), NaN for
invalid samples set to 0, Butterworth order-2 band-pass 0.5-40 Hz with sosfiltfilt, resample
360 -> 180 Hz with resample_poly(1, 2), per-record z-score, one 512-sample window per beat
annotation of an AAMI class (beat at sample 256, zero-padded at the record's ends) and the four
RR side inputs. Uses both cores the same way (a process per core over records).

Usage: /usr/bin/python3 pipeline_scipy.py MITDB_DIR [repetitions]
"""
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from scipy import signal

RECORDS = [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 111, 112, 113, 114, 115, 116, 117,
           118, 119, 121, 122, 123, 124, 200, 201, 202, 203, 205, 207, 208, 209, 210, 212, 213,
           214, 215, 217, 219, 220, 221, 222, 223, 228, 230, 231, 232, 233, 234]
AAMI = {c: "N" for c in "NLRej"} | {c: "S" for c in "AaJS"} | {"V": "V", "E": "V", "F": "F"} | \
    {c: "Q" for c in "/fQ"}
SYMBOL = {1: "N", 2: "L", 3: "R", 4: "a", 5: "V", 6: "F", 7: "J", 8: "A", 9: "S", 10: "E",
          11: "j", 12: "/", 13: "Q", 25: "B", 30: "?", 34: "e", 35: "n", 38: "f", 41: "r"}
BEATS = set("NLRBAaJSVrFejnE/fQ?")
FS, FS_OUT, LENGTH, OFFSET, LOCAL = 360.0, 180.0, 512, 256, 10


def read_header(path):
    lines = [l.strip() for l in open(path + ".hea") if l.strip() and not l.startswith("#")]
    rec = lines[0].split()
    sigs = [l.split(None, 8) for l in lines[1:1 + int(rec[1])]]
    return int(rec[3]), sigs


def read_212(path, nsig, nsamp):
    raw = np.fromfile(path, dtype=np.uint8)[: nsamp * nsig * 3 // 2].reshape(-1, 3).astype(np.int32)
    s0 = raw[:, 0] | ((raw[:, 1] & 0x0F) << 8)
    s1 = raw[:, 2] | ((raw[:, 1] & 0xF0) << 4)
    flat = np.empty(raw.shape[0] * 2, dtype=np.int32)
    flat[0::2], flat[1::2] = s0, s1
    flat[flat >= 2048] -= 4096
    return flat.reshape(-1, nsig).T


def read_beats(path):
    w = np.fromfile(path + ".atr", dtype="<u2")
    t, out, i = 0, [], 0
    while i < len(w) and w[i] != 0:
        code, val = int(w[i]) >> 10, int(w[i]) & 0x3FF
        i += 1
        if code == 59:
            iv = (int(w[i]) << 16) | int(w[i + 1])
            t += iv - (1 << 32) if iv & 0x80000000 else iv
            i += 2
        elif code == 63:
            i += (val + 1) // 2
        elif code in (60, 61, 62):
            pass
        else:
            t += val
            sym = SYMBOL.get(code, "")
            if sym in BEATS:
                out.append((t, sym))
    return out


def process(args):
    mitdb, record = args
    path = os.path.join(mitdb, str(record))
    nsamp, sigs = read_header(path)
    names = [s[8] if len(s) > 8 else "" for s in sigs]
    lead = names.index("MLII") if "MLII" in names else 0
    gain, zero = float(sigs[lead][2].split("(")[0].split("/")[0]), int(sigs[lead][4])
    digital = read_212(path + ".dat", len(sigs), nsamp)[lead]
    x = (digital - zero) / gain
    x[digital == -2048] = 0.0
    sos = signal.butter(2, [0.5, 40.0], btype="bandpass", fs=FS, output="sos")
    x = signal.sosfiltfilt(sos, x)
    x = signal.resample_poly(x, 1, 2)
    x = (x - x.mean()) / (x.std() + 1e-8)
    beats = read_beats(path)
    samples = np.array([b[0] for b in beats])
    rr = np.diff(samples) / FS
    mean_rr = (samples[-1] - samples[0]) / (len(samples) - 1) / FS
    padded = np.concatenate([np.zeros(LENGTH), x, np.zeros(LENGTH)])
    windows, labels, side = [], [], []
    for i, (s, sym) in enumerate(beats):
        if sym not in AAMI:
            continue
        begin = int(round(s * FS_OUT / FS)) - OFFSET
        windows.append(padded[begin + LENGTH: begin + 2 * LENGTH].astype(np.float32))
        labels.append("NSVFQ".index(AAMI[sym]))
        pre = rr[i - 1] if i > 0 else rr[0]
        post = rr[i] if i < len(rr) else pre
        local = rr[max(0, i - LOCAL):i].mean() if i > 0 else pre
        side.append([pre / mean_rr, post / mean_rr, local / mean_rr, mean_rr])
    return np.stack(windows), np.array(labels), np.array(side, dtype=np.float32)


def main():
    mitdb = sys.argv[1]
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        for _ in range(repetitions):
            start = time.perf_counter()
            parts = list(pool.map(process, [(mitdb, r) for r in RECORDS]))
            data = np.concatenate([p[0] for p in parts])
            seconds = time.perf_counter() - start
            print(json.dumps({"impl": "scipy", "seconds": round(seconds, 4), "windows": len(data),
                              "length": data.shape[1]}), flush=True)


if __name__ == "__main__":
    main()
