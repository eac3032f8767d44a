#!/usr/bin/python3
"""Benchmark peer: the streaming QRS detector of runtime/src/qrs.c written with numpy/scipy.

Same algorithm and defaults (runtime/include/plrt_qrs.h): the filter chain is vectorised
(scipy.signal.lfilter in float32, the moving-window integral by a float64 cumulative sum); the
peak detector, thresholds, T-wave test, hold and searchback are a sequential Python loop, as they
depend on their own history. The flat-line / out-of-range restarts are not reproduced: the
record must have none (the MIT-BIH records have none with the default 300 ms).

usage: qrs_numpy.py RECORD [--repeat N]   (RECORD = path without extension, MIT format 212)
Prints one line: qrs_numpy record=... samples=... beats=... median_s=... ns_per_sample=... rtf=...
"""
import argparse
import math
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.signal

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import mitdb212  # noqa: E402

P = dict(flat_ms=300.0, hp_hz=7.0, lp_hz=12.0, mwi_ms=150.0, peak_timeout_ms=95.0,
         refractory_ms=200.0, twave_ms=360.0, twave_slope_ratio=0.5, hold_ms=250.0,
         hold_spk_ratio=0.8, threshold_coef=0.25,
         searchback_factor=1.3, learn_ms=2000.0, max_rr_ms=2000.0, margin_ms=50.0)


def samples(ms, fs):
    return int(ms * fs / 1000.0 + 0.5)


def biquad(corner, fs, high_pass):
    k = math.tan(math.pi * corner / fs)
    norm = 1.0 / (1.0 + k * math.sqrt(2.0) + k * k)
    b0 = norm if high_pass else k * k * norm
    b = [b0, -2 * b0 if high_pass else 2 * b0, b0]
    a = [1.0, 2 * (k * k - 1) * norm, (1 - k * math.sqrt(2.0) + k * k) * norm]
    return np.array(b, np.float32), np.array(a, np.float32)


def group_delay(b, a, w):
    def part(c):
        z = np.exp(-1j * w * np.arange(3))
        return (np.sum(np.arange(3) * c * z) / np.sum(c * z)).real
    return part(b.astype(np.float64)) - part(a.astype(np.float64))


def detect(x, fs):
    """Returns a list of (fiducial sample, emitted sample, searchback)."""
    n_total = len(x)
    x = np.where(np.isfinite(x), x, np.nan).astype(np.float32)
    mwi_len = max(1, samples(P["mwi_ms"], fs))
    timeout = max(1, samples(P["peak_timeout_ms"], fs))
    margin = samples(P["margin_ms"], fs)
    refractory, twave = samples(P["refractory_ms"], fs), samples(P["twave_ms"], fs)
    learn_len, max_rr = samples(P["learn_ms"], fs), samples(P["max_rr_ms"], fs)
    decision = mwi_len + margin + timeout
    hold_len = samples(P["hold_ms"], fs)
    sb_max = int(P["searchback_factor"] * max_rr) + decision + 1
    bh, ah = biquad(P["hp_hz"], fs, True)
    bl, al = biquad(P["lp_hz"], fs, False)
    w = 2 * math.pi * math.sqrt(P["hp_hz"] * P["lp_hz"]) / fs
    shift = max(0, int(group_delay(bh, ah, w) + group_delay(bl, al, w) + 0.5))
    hold_cutoff = hold_len + mwi_len + margin + shift

    # Filter chain, vectorised.
    y = scipy.signal.lfilter(bl, al, scipy.signal.lfilter(bh, ah, x - x[0])).astype(np.float32)
    d = np.diff(y, prepend=np.float32(0))
    e = (d * d).astype(np.float64)
    c = np.cumsum(e)
    m = c.copy()
    m[mwi_len:] -= c[:-mwi_len]
    m = m.tolist()
    absy = np.abs(y)
    absd = np.abs(d)

    beats = []
    st = dict(spk=0.0, npk=0.0, last_slope=0.0, last=0, have=False, rr=[], rr_mean=fs,
              cand=None, held=None, held_sb=False, emitted=None)

    def fiducial(pk_t):
        lo = max(pk_t - mwi_len - margin, 0)
        seg = absy[lo : pk_t + 1]
        i = int(np.argmax(seg))
        slope = float(absd[lo + 1 : pk_t + 1].max()) if pk_t > lo else 0.0
        return max(lo + i - shift, 0), slope

    def thr1():
        return st["npk"] + P["threshold_coef"] * (st["spk"] - st["npk"])

    def noise(h):
        st["npk"] = 0.125 * h + 0.875 * st["npk"]

    def release(n):
        peak, sb = st["held"], st["held_sb"]
        if peak is None:
            return
        h, s, _ = peak
        if st["emitted"] is not None and s - st["emitted"] <= max_rr:
            st["rr"] = (st["rr"] + [s - st["emitted"]])[-8:]
            st["rr_mean"] = sum(st["rr"]) / len(st["rr"])
        st["spk"] = (0.25 * h + 0.75 * st["spk"]) if sb else (0.125 * h + 0.875 * st["spk"])
        st["emitted"], st["held"] = s, None
        beats.append((s, n, sb))

    def hold(peak, n, sb):
        release(n)
        st["held"], st["held_sb"] = peak, sb
        st["last_slope"], st["last"], st["have"], st["cand"] = peak[2], peak[1], True, None

    def classify(peak, n):
        h, s, slope = peak
        held = st["held"]
        if (held is not None and 0 < s - held[1] < hold_len and h > held[0]
                and slope >= P["twave_slope_ratio"] * held[2]):
            noise(held[0])
            st["held"] = None
            hold(peak, n, False)
            return
        since = s - st["last"]
        if st["have"] and since < refractory:
            return
        if h > thr1():
            if not (st["have"] and since < twave and slope < P["twave_slope_ratio"] * st["last_slope"]):
                hold(peak, n, False)
                return
        elif st["cand"] is None or h > st["cand"][0]:
            st["cand"] = peak
        noise(h)

    learning, learned = True, []
    pk, pk_t, descending, trough = 0.0, 0, False, 0.0
    for n in range(n_total):
        v = m[n]
        if descending:
            if v < trough:
                trough = v
            elif v > trough:
                descending, pk, pk_t = False, v, n
        elif v > pk:
            pk, pk_t = v, n
        elif pk > 0 and (v <= 0.5 * pk or n - pk_t >= timeout):
            s, slope = fiducial(pk_t)
            peak = (pk, s, slope)
            if learning:
                learned.append(peak)
                if len(learned) > 16:
                    del learned[min(range(len(learned)), key=lambda i: learned[i][0])]
            else:
                classify(peak, n)
            descending, trough, pk = True, v, 0.0
        if learning:
            if n + 1 >= learn_len:
                learning = False
                st["spk"] = max((p[0] for p in learned), default=0.0)
                st["npk"] = 0.125 * st["spk"]
                for peak in learned:
                    classify(peak, n)
            continue
        held = st["held"]
        if held is not None:
            rising_larger = not descending and pk > held[0] and pk_t - held[1] < hold_cutoff
            if (n - held[1] >= hold_cutoff or held[0] >= P["hold_spk_ratio"] * st["spk"]) \
                    and not rising_larger:
                release(n)
        cand = st["cand"]
        if cand is not None:
            if n - cand[1] > sb_max:
                st["cand"] = None
            elif (n - st["last"] - decision > P["searchback_factor"] * st["rr_mean"]
                  and cand[0] > 0.5 * thr1()):
                hold(cand, n, True)
                release(n)
    return beats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("record")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--beats-out", help="write the fiducial samples, one per line")
    args = ap.parse_args()
    fs, signals, names = mitdb212.read_212(args.record)
    x = signals[names.index("MLII") if "MLII" in names else 0]
    times, beats = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        beats = detect(x, fs)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    if args.beats_out:
        with open(args.beats_out, "w") as f:
            f.writelines(f"{b[0]}\n" for b in beats)
    print(f"qrs_numpy record={args.record} samples={len(x)} beats={len(beats)} median_s={med:.6f} "
          f"ns_per_sample={1e9 * med / len(x):.1f} rtf={len(x) / fs / med:.0f} "
          f"numpy={np.__version__} scipy={scipy.__version__}")


if __name__ == "__main__":
    main()
