#!/usr/bin/python3
"""Peer of bench/bench_uci.cpp: reads every UCI EMG recording with gzip + numpy.loadtxt (numpy 1.24's
C parser), the way a Python user would, and prints the median thread CPU time of the full read.

usage: /usr/bin/python3 bench/peers/uci_numpy.py DIR [REPEATS]
"""
import glob
import gzip
import os
import statistics
import sys
import time

import numpy as np


def read_all(paths):
    rows = 0
    for path in paths:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt") as f:
            table = np.loadtxt(f, delimiter="\t", skiprows=1)
        rows += table.shape[0]
    return rows


def main():
    root = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    paths = sorted(glob.glob(os.path.join(root, "*", "*_raw_data_*.txt*")))
    seconds = []
    for _ in range(repeats):
        t0 = time.thread_time()
        rows = read_all(paths)
        seconds.append(time.thread_time() - t0)
    print(f"files={len(paths)} rows={rows} repeats={repeats} numpy={np.__version__}")
    print(f"read_median_s={statistics.median(seconds):.3f}")


if __name__ == "__main__":
    main()
