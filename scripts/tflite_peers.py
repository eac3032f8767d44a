#!/usr/bin/python3
"""Runs a .tflite model (physiolite export --target we2) on int8 windows with two independent
TFLite executors and compares their int8 outputs with ours:

  tflite_peers.py MODEL.tflite INPUTS.npy EXPECTED.npy [--armnn] [--armnn-windows N]

INPUTS.npy: int8 (N, 1, L, C), the windows as the model's NHWC input; EXPECTED.npy: int8 (N, K),
our C runtime's output codes. Prints one JSON line:
  {"windows": N, "logits": N*K,
   "tflite": {"differ": logits that differ, "windows_differ": ..., "max_abs_diff": ...},
   "armnn": {...}}                          (with --armnn)
Executors:
- TensorFlow Lite 2.2's interpreter, its C library from the npm package node-tflite 0.0.2
  (libtensorflowlite_c.so, loaded with ctypes; the package lives in
  ${PHYSIOLITE_NPM_CACHE:-~/.cache/physiolite-npm}, installed by scripts/install_npm_peers.sh).
  Its int8 kernels follow the TFLite int8 specification, which our TFLITE scheme implements: the
  outputs must be equal bit for bit.
- Arm NN 20.08's TFLite parser on the CpuRef backend (Debian python3-pyarmnn +
  libarmnn-cpuref-backend22). It requantises in float, so it may differ by 1 on rounding ties.
Exit status 1 with a message naming the package when an executor is missing, else 0: the caller
judges the counts.
"""
import argparse
import ctypes
import json
import os
import sys
from pathlib import Path

import numpy as np


def npm_cache():
    return Path(os.environ.get("PHYSIOLITE_NPM_CACHE", Path.home() / ".cache" / "physiolite-npm"))


def tflite_library():
    return npm_cache() / "node_modules/node-tflite/tflite/linux_x86_64/libtensorflowlite_c.so"


def run_tflite(model_path, x):
    path = tflite_library()
    if not path.exists():
        sys.exit(f"tflite_peers.py: no {path} (bash scripts/install_npm_peers.sh installs "
                 f"node-tflite 0.0.2)")
    lib = ctypes.CDLL(str(path))
    vp = ctypes.c_void_p
    for name, res, args in [
            ("TfLiteModelCreateFromFile", vp, [ctypes.c_char_p]),
            ("TfLiteInterpreterOptionsCreate", vp, []),
            ("TfLiteInterpreterOptionsSetNumThreads", None, [vp, ctypes.c_int32]),
            ("TfLiteInterpreterCreate", vp, [vp, vp]),
            ("TfLiteInterpreterAllocateTensors", ctypes.c_int, [vp]),
            ("TfLiteInterpreterGetInputTensor", vp, [vp, ctypes.c_int32]),
            ("TfLiteInterpreterGetOutputTensor", vp, [vp, ctypes.c_int32]),
            ("TfLiteInterpreterInvoke", ctypes.c_int, [vp]),
            ("TfLiteTensorByteSize", ctypes.c_size_t, [vp]),
            ("TfLiteTensorCopyFromBuffer", ctypes.c_int, [vp, vp, ctypes.c_size_t]),
            ("TfLiteTensorCopyToBuffer", ctypes.c_int, [vp, vp, ctypes.c_size_t])]:
        getattr(lib, name).restype = res
        getattr(lib, name).argtypes = args
    model = lib.TfLiteModelCreateFromFile(str(model_path).encode())
    if not model:
        sys.exit(f"tflite_peers.py: TFLite cannot read {model_path}")
    options = lib.TfLiteInterpreterOptionsCreate()
    lib.TfLiteInterpreterOptionsSetNumThreads(options, 1)
    interp = lib.TfLiteInterpreterCreate(model, options)
    if not interp or lib.TfLiteInterpreterAllocateTensors(interp) != 0:
        sys.exit(f"tflite_peers.py: TFLite refuses {model_path}")
    inp = lib.TfLiteInterpreterGetInputTensor(interp, 0)
    out = lib.TfLiteInterpreterGetOutputTensor(interp, 0)
    n_in, n_out = lib.TfLiteTensorByteSize(inp), lib.TfLiteTensorByteSize(out)
    assert n_in == x[0].size, f"input of {n_in} bytes, windows of {x[0].size}"
    y = np.zeros((len(x), n_out), np.int8)
    buf = np.zeros(n_out, np.int8)
    for i in range(len(x)):
        w = np.ascontiguousarray(x[i])
        assert lib.TfLiteTensorCopyFromBuffer(inp, w.ctypes.data, n_in) == 0
        assert lib.TfLiteInterpreterInvoke(interp) == 0
        assert lib.TfLiteTensorCopyToBuffer(out, buf.ctypes.data, n_out) == 0
        y[i] = buf
    return y


def run_armnn(model_path, x):
    try:
        import pyarmnn as ann
    except ImportError:
        sys.exit("tflite_peers.py: needs Debian's python3-pyarmnn and libarmnn-cpuref-backend22")
    parser = ann.ITfLiteParser()
    network = parser.CreateNetworkFromBinaryFile(str(model_path))
    graph = parser.GetSubgraphCount() - 1
    in_name = parser.GetSubgraphInputTensorNames(graph)[0]
    out_name = parser.GetSubgraphOutputTensorNames(graph)[0]
    in_info = parser.GetNetworkInputBindingInfo(graph, in_name)
    out_info = parser.GetNetworkOutputBindingInfo(graph, out_name)
    runtime = ann.IRuntime(ann.CreationOptions())
    opt, _ = ann.Optimize(network, [ann.BackendId("CpuRef")], runtime.GetDeviceSpec(),
                          ann.OptimizerOptions())
    net_id, _ = runtime.LoadNetwork(opt)
    out_tensors = ann.make_output_tensors([out_info])
    y = np.zeros((len(x), out_info[1].GetNumElements()), np.int8)
    for i in range(len(x)):
        in_tensors = ann.make_input_tensors([in_info], [np.ascontiguousarray(x[i])])
        runtime.EnqueueWorkload(net_id, in_tensors, out_tensors)
        y[i] = ann.workload_tensors_to_ndarray(out_tensors)[0].reshape(-1)
    return y


def compare(y, expected):
    d = np.abs(y.astype(np.int32) - expected.astype(np.int32))
    return {"differ": int((d > 0).sum()), "windows_differ": int((d > 0).any(axis=1).sum()),
            "max_abs_diff": int(d.max()) if d.size else 0}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("inputs")
    ap.add_argument("expected")
    ap.add_argument("--armnn", action="store_true")
    ap.add_argument("--armnn-windows", type=int, default=0,
                    help="run Arm NN on the first N windows only (0 = all; it is ~20x slower)")
    a = ap.parse_args()
    x = np.load(a.inputs)
    expected = np.load(a.expected).reshape(len(x), -1)
    report = {"windows": int(len(x)), "logits": int(expected.size),
              "tflite": compare(run_tflite(a.model, x), expected)}
    if a.armnn:
        n = a.armnn_windows or len(x)
        report["armnn"] = compare(run_armnn(a.model, x[:n]), expected[:n])
        report["armnn"]["windows"] = int(min(n, len(x)))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
