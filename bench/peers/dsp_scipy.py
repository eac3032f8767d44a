#!/usr/bin/python3
"""scipy side of bench/bench_dsp.cpp: the same cases on the same 650 000-sample signal.

Usage: /usr/bin/python3 bench/peers/dsp_scipy.py [repeats]
Prints "<case> <median ms> <min ms>" per case, in this thread's CPU time (time.thread_time), as
the C++ side does.
"""
import sys
import time

import numpy as np
import scipy
import scipy.ndimage
import scipy.signal as sig

FS = 360.0
N = 650000


def test_signal():
    i = np.arange(N, dtype=np.float64)
    t = i / FS
    return (np.sin(2 * np.pi * 1.2 * t) + 0.3 * np.sin(2 * np.pi * 50 * t)
            + 0.5 * np.sin(2 * np.pi * 0.1 * t) + 0.05 * np.sin(i * i))


def time_case(name, repeats, run):
    ms, sink = [], 0.0
    for _ in range(repeats):
        t0 = time.thread_time()
        sink += run()
        ms.append((time.thread_time() - t0) * 1e3)
    ms.sort()
    print(f"{name:<28} {ms[len(ms) // 2]:9.3f} {ms[0]:9.3f}   (checksum {sink:.6g})")


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    x = test_signal()
    sos = sig.butter(4, [0.67, 40], "bandpass", fs=FS, output="sos")
    b, a = sig.iirnotch(50, 30, fs=FS)
    k = int(0.4 * FS) + 1
    k += 1 - k % 2
    print(f"{'case':<28} {'median_ms':>9} {'min_ms':>9}   numpy {np.__version__}, scipy "
          f"{scipy.__version__}, {repeats} repeats")
    time_case("sosfiltfilt_bp4_0.67_40", repeats, lambda: sig.sosfiltfilt(sos, x)[1000])
    time_case("filtfilt_notch_50_q30", repeats, lambda: sig.filtfilt(b, a, x)[1000])
    time_case("medfilt_k145_nearest", repeats,
              lambda: scipy.ndimage.median_filter(x, k, mode="nearest")[1000])
    time_case("resample_poly_5_18", repeats, lambda: sig.resample_poly(x, 5, 18)[1000])
    time_case("zscore", repeats, lambda: ((x - x.mean()) / (x.std() + 1e-8))[1000])


if __name__ == "__main__":
    main()
