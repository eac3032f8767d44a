"""Fixtures for tests/cli/train_cli_test.cpp: a separable two-class problem as HDF5 windows.

    /usr/bin/python3 tests/golden/gen_train_cli.py    (numpy 1.24, h5py 3.7, seed 1 and 2)

Class 0 ("slow") is a 2-cycle sine per 64-sample window, class 1 ("fast") a 9-cycle one, with
random amplitude (0.5-1.5) and phase and Gaussian noise (sd 0.05); labels alternate.
"""
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def write(path, n, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(64) / 64
    labels = np.arange(n) % 2
    data = np.zeros((n, 1, 64), np.float32)
    for i, y in enumerate(labels):
        cycles = 2 if y == 0 else 9
        data[i, 0] = (0.5 + rng.random()) * np.sin(2 * np.pi * cycles * t + 2 * np.pi * rng.random())
        data[i, 0] += rng.normal(0, 0.05, 64)
    with h5py.File(path, "w") as f:
        f["data"] = data
        f["label"] = labels.astype(np.int64)
        f.attrs["class_names"] = ["slow", "fast"]


write(os.path.join(HERE, "train_cli_train.h5"), 192, 1)
write(os.path.join(HERE, "train_cli_val.h5"), 64, 2)
