"""numpy peer for bench/run_record.sh: the same work as `physiolite record`, written for the
benchmark (a numpy decode of WFDB format 212, no WFDB library).

  record_numpy.py csv RECORD             whole record as CSV on stdout (sample,<signal>,...)
  record_numpy.py readall MITDB REPEATS  prints the median seconds to read all records (physical)
"""
import os
import sys
import time

import numpy as np


def header(record):
    with open(record + ".hea") as f:
        lines = [ln.split() for ln in f if ln.strip() and not ln.lstrip().startswith("#")]
    nsig, nsamp = int(lines[0][1]), int(lines[0][3])
    signals = []
    for fields in lines[1 : 1 + nsig]:
        assert fields[1] == "212", "peer handles format 212 only"
        gain_field = fields[2]
        gain = float(gain_field.split("(")[0].split("/")[0]) or 200.0
        adc_zero = int(fields[4])
        base = int(gain_field.split("(")[1].split(")")[0]) if "(" in gain_field else adc_zero
        signals.append((fields[0], gain, base, " ".join(fields[8:])))
    return nsamp, signals


def read_physical(record):
    nsamp, signals = header(record)
    raw = np.fromfile(os.path.join(os.path.dirname(record), signals[0][0]), dtype=np.uint8)
    nsig = len(signals)
    values = nsamp * nsig
    raw = raw[: (values + 1) // 2 * 3]
    if raw.size % 3:
        raw = np.concatenate([raw, np.zeros(3 - raw.size % 3, np.uint8)])
    b = raw.reshape(-1, 3).astype(np.int32)
    flat = np.empty(b.shape[0] * 2, np.int32)
    flat[0::2] = b[:, 0] | ((b[:, 1] & 0x0F) << 8)
    flat[1::2] = b[:, 2] | ((b[:, 1] & 0xF0) << 4)
    flat = np.where(flat >= 2048, flat - 4096, flat)[:values].reshape(nsamp, nsig)
    out = (flat - np.array([s[2] for s in signals])) / np.array([s[1] for s in signals])
    out[flat == -2048] = np.nan
    return out, [s[3] for s in signals]


def main():
    if sys.argv[1] == "csv":
        physical, names = read_physical(sys.argv[2])
        table = np.column_stack([np.arange(physical.shape[0]), physical])
        out = sys.stdout.buffer
        out.write(("sample," + ",".join(names) + "\n").encode())
        # %g prints MIT-BIH's (d - b) / 200 values (at most 5 significant digits) exactly as the
        # shortest round-trip decimal that physiolite prints, so the two outputs are identical.
        np.savetxt(out, table, fmt=["%d"] + ["%g"] * len(names), delimiter=",")
    else:
        directory, repeats = sys.argv[2], int(sys.argv[3])
        records = sorted(f[:-4] for f in os.listdir(directory) if f.endswith(".hea"))
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            total = sum(read_physical(os.path.join(directory, r))[0].size for r in records)
            times.append(time.perf_counter() - start)
        print(f"{np.median(times):.6f} {len(records)} {total}")


if __name__ == "__main__":
    main()
