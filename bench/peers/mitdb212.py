"""Minimal MIT-BIH reader for the benchmark peers: WFDB format 212 signals and MIT annotations.

Only what the MIT-BIH Arrhythmia Database uses (one .dat in format 212, two signals, .atr).
"""
import numpy as np


def read_header(record):
    with open(record + ".hea") as f:
        lines = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    name, nsig, fs, nsamp = lines[0].split()[:4]
    signals = []
    for ln in lines[1 : 1 + int(nsig)]:
        fields = ln.split()
        gain = float(fields[2].split("(")[0].split("/")[0])
        adc_zero = int(fields[4])
        baseline = int(fields[2].split("(")[1].split(")")[0]) if "(" in fields[2] else adc_zero
        signals.append({"file": fields[0], "format": int(fields[1]), "gain": gain or 200.0,
                        "baseline": baseline, "name": " ".join(fields[8:])})
    return float(fs), int(nsamp), signals


def read_212(record):
    """Returns (fs_hz, physical samples [signal][sample] in mV with NaN for invalid, names)."""
    fs, nsamp, signals = read_header(record)
    assert all(s["format"] == 212 for s in signals) and len(signals) == 2
    raw = np.fromfile(record.rsplit("/", 1)[0] + "/" + signals[0]["file"], dtype=np.uint8)
    raw = raw[: (raw.size // 3) * 3].reshape(-1, 3).astype(np.int32)
    s0 = raw[:, 0] | ((raw[:, 1] & 0x0F) << 8)
    s1 = raw[:, 2] | ((raw[:, 1] & 0xF0) << 4)
    out = []
    for s, spec in zip((s0, s1), signals):
        d = np.where(s >= 2048, s - 4096, s)[:nsamp]
        p = (d - spec["baseline"]) / spec["gain"]
        out.append(np.where(d == -2048, np.nan, p))
    return fs, out, [s["name"] for s in signals]


def read_atr(record, annotator="atr"):
    """Returns (samples, codes, aux) of the MIT-format annotation file."""
    words = np.fromfile(record + "." + annotator, dtype="<u2")
    samples, codes, aux = [], [], []
    t, i = 0, 0
    while i < words.size:
        a, v = int(words[i]) >> 10, int(words[i]) & 0x3FF
        i += 1
        if a == 0 and v == 0:
            break
        if a == 59:  # SKIP: 32-bit interval, high word first
            t += (int(words[i]) << 16) | int(words[i + 1])
            if t >= 1 << 31:
                t -= 1 << 32
            i += 2
        elif a == 63:  # AUX: v bytes, padded to a word
            text = words[i : i + (v + 1) // 2].tobytes()[:v]
            if aux:
                aux[-1] = text.decode("latin-1").rstrip("\0")
            i += (v + 1) // 2
        elif a in (60, 61, 62):  # NUM, SUB, CHN
            pass
        else:
            t += v
            samples.append(t)
            codes.append(a)
            aux.append("")
    return np.array(samples, dtype=np.int64), np.array(codes), aux


BEAT_CODES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 30, 34, 35, 38, 41}
