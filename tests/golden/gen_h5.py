#!/usr/bin/python3
"""Writes the h5py fixtures read by tests/data/hdf5_windows_test.cpp.

Command (from the repository root):  /usr/bin/python3 tests/golden/gen_h5.py
Made with Debian 12's python3-h5py 3.7.0 (HDF5 1.10.8) and python3-numpy 1.24.2; no randomness.

The files imitate what users of the reference's tools write with h5py, using the types h5py
picks by default: float64 `data`, small integer / float / bool labels, `str` lists (variable-length
UTF-8) and numpy bytes arrays (fixed-length), float16 `teacher_logits`. The C++ test freezes the
values below; where a value is converted (float64 -> float32, float16 -> float32) the test quotes
the numpy result it expects.
"""
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def single_label(path):
    # data[i, c, t] = 100 i + 10 c + t + 0.25 (exact in float32), except data[2, 1, 3] = 1/3.
    i, c, t = np.meshgrid(np.arange(3), np.arange(2), np.arange(4), indexing="ij")
    data = (100.0 * i + 10.0 * c + t + 0.25).astype(np.float64)
    data[2, 1, 3] = 1.0 / 3.0  # float32(1/3) = 0.3333333432674408
    with h5py.File(path, "w") as f:
        f["data"] = data
        f["label"] = np.array([2, 0, 7], dtype=np.uint8)
        side = f.create_dataset("side", data=np.array([[0.5, -1.5], [1.0, 2.0], [-0.25, 8.0]],
                                                      dtype=np.float32))
        side.attrs["names"] = ["rr_prev", "rr_next"]
        f["source"] = ["100", "101", "sujet-ü"]
        f["begin_sample"] = np.array([0, 360, 720], dtype=np.int32)
        # float16: 0.1 -> 0.0999755859375, -2.5, 3.0, 65504 (the largest), -0.0001 -> -0.00010001659393310547
        f["teacher_logits"] = np.array([[0.1, -2.5, 3.0, 65504.0, -0.0001],
                                        [1.0, 2.0, 4.0, 8.0, 16.0],
                                        [0.0, -1.0, 0.5, 0.25, -0.125]], dtype=np.float16)
        f.attrs["fs_hz"] = 360.0
        f.attrs["class_names"] = ["N", "S", "V", "F", "Q", "a", "b", "c"]


def multi_hot(path, logits_path):
    # data[i, 0, t] = (3 i + t) / 8, float32; label float32 multi-hot; fixed-length strings.
    data = (np.arange(12, dtype=np.float32) / 8.0).reshape(4, 1, 3)
    label = np.array([[1, 0, 0], [0, 1, 1], [0, 0, 0], [1, 1, 1]], dtype=np.float32)
    with h5py.File(path, "w") as f:
        f["data"] = data
        f["label"] = label
        f["source"] = np.array([b"a", b"bb", b"ccc", b"ddddd"], dtype="S5")
        f.attrs["fs_hz"] = np.int64(500)
        f.attrs["class_names"] = np.array([b"SB", b"AFIB", b"GSVT"], dtype="S4")
    # The reference's dump_logits.py writes teacher logits to a file of their own.
    with h5py.File(logits_path, "w") as f:
        f["teacher_logits"] = np.array([[0.5, -0.5, 1.5], [2.0, -3.0, 0.75],
                                        [-1.0, 0.0, 1.0], [0.125, 4.0, -8.0]], dtype=np.float16)


def bool_labels(path):
    with h5py.File(path, "w") as f:
        f["data"] = np.array([[[1.0, 2.0]], [[3.0, 4.0]]], dtype=np.float32)
        f["label"] = np.array([[True, False], [True, True]])
        f["begin_sample"] = np.array([7, 9], dtype=np.uint16)


if __name__ == "__main__":
    single_label(os.path.join(HERE, "h5py_windows_single.h5"))
    multi_hot(os.path.join(HERE, "h5py_windows_multihot.h5"),
              os.path.join(HERE, "h5py_teacher_logits.h5"))
    bool_labels(os.path.join(HERE, "h5py_windows_bool.h5"))
    print("h5py", h5py.__version__, "HDF5", h5py.version.hdf5_version, "numpy", np.__version__)
