#!/usr/bin/python3
"""Writes the h5py fixtures read by tests/data/hdf5_signals_test.cpp and tests/cli/record_cli_test.cpp.

Command (from the repository root):  /usr/bin/python3 tests/golden/gen_h5_signals.py
Made with Debian 12's python3-h5py 3.7.0 (HDF5 1.10.8) and python3-numpy 1.24.2; no randomness.

Each file uses the types h5py picks by default for what a user would hand it: float64 arrays
with NaN, int16 ADC counts, `str` lists (variable-length UTF-8) and numpy bytes arrays
(fixed-length). The tests quote the values below.
"""
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def physical(path):
    # (samples, signals) in mV / uV; NaN is a missing sample. Attributes on the dataset.
    signals = np.array([[0.5, -1.0], [0.25, np.nan], [-0.125, 2.0], [1.5, 0.0]], dtype=np.float64)
    with h5py.File(path, "w") as f:
        d = f.create_dataset("signals", data=signals)
        d.attrs["names"] = ["I", "II"]
        d.attrs["units"] = ["mV", "uV"]
        d.attrs["fs_hz"] = 250.0


def digital(path):
    # int16 ADC counts, no names, fs_hz as an integer on the root.
    with h5py.File(path, "w") as f:
        f["signals"] = np.array([[-2047, 0, 7], [2047, -1, 1000], [12, 13, -14]], dtype=np.int16)
        f.attrs["fs_hz"] = np.int64(360)


def one_window(path):
    # The windows layout (1, C, T), float32, names as fixed-length bytes on `data`.
    with h5py.File(path, "w") as f:
        d = f.create_dataset("data", data=np.array([[[0.0, 0.5, 1.0], [-0.25, -0.5, 0.75]]],
                                                   dtype=np.float32))
        d.attrs["names"] = np.array([b"EMG1", b"EMG2"])
        f["label"] = np.array([0], dtype=np.int64)
        f.attrs["fs_hz"] = 2000.0


if __name__ == "__main__":
    physical(os.path.join(HERE, "h5py_signals_physical.h5"))
    digital(os.path.join(HERE, "h5py_signals_int16.h5"))
    one_window(os.path.join(HERE, "h5py_signals_one_window.h5"))
