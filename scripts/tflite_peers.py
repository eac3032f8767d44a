#!/usr/bin/python3
"""Runs a .tflite model (physiolite export --target we2) on int8 windows with two independent
TFLite executors and compares their int8 outputs with ours:

  tflite_peers.py MODEL.tflite INPUTS.npy EXPECTED.npy [--armnn] [--armnn-windows N]

INPUTS.npy: int8 (N, 1, L, C), the windows as the model's NHWC input; EXPECTED.npy: int8 (N, K),
our C runtime's output codes. Prints one JSON line:
  {"windows": N, "logits": N*K,
   "tflite": {"differ": logits that differ, "windows_differ": ..., "max_abs_diff": ...,
              "histogram": {"0": logits equal, "1": logits 1 apart, ...}},
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


CHUNK = 1024  # windows per invoke: the input resized to (CHUNK, 1, L, C), one interpreter


def tflite_lib():
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
            ("TfLiteInterpreterResizeInputTensor", ctypes.c_int,
             [vp, ctypes.c_int32, ctypes.POINTER(ctypes.c_int), ctypes.c_int32]),
            ("TfLiteInterpreterAllocateTensors", ctypes.c_int, [vp]),
            ("TfLiteInterpreterGetInputTensor", vp, [vp, ctypes.c_int32]),
            ("TfLiteInterpreterGetOutputTensorCount", ctypes.c_int32, [vp]),
            ("TfLiteInterpreterGetOutputTensor", vp, [vp, ctypes.c_int32]),
            ("TfLiteInterpreterInvoke", ctypes.c_int, [vp]),
            ("TfLiteTensorNumDims", ctypes.c_int32, [vp]),
            ("TfLiteTensorDim", ctypes.c_int32, [vp, ctypes.c_int32]),
            ("TfLiteTensorByteSize", ctypes.c_size_t, [vp]),
            ("TfLiteTensorCopyFromBuffer", ctypes.c_int, [vp, vp, ctypes.c_size_t]),
            ("TfLiteTensorCopyToBuffer", ctypes.c_int, [vp, vp, ctypes.c_size_t])]:
        getattr(lib, name).restype = res
        getattr(lib, name).argtypes = args
    return lib


def tflite_interpreter(lib, model_path, batch):
    """One interpreter whose every input takes `batch` windows at once (the model's ops are
    per-window, so a batch of B gives B independent results, each as with batch 1)."""
    model = lib.TfLiteModelCreateFromFile(str(model_path).encode())
    if not model:
        sys.exit(f"tflite_peers.py: TFLite cannot read {model_path}")
    options = lib.TfLiteInterpreterOptionsCreate()
    lib.TfLiteInterpreterOptionsSetNumThreads(options, 1)
    interp = lib.TfLiteInterpreterCreate(model, options)
    if not interp:
        sys.exit(f"tflite_peers.py: TFLite refuses {model_path}")
    t = lib.TfLiteInterpreterGetInputTensor(interp, 0)
    dims = [lib.TfLiteTensorDim(t, d) for d in range(lib.TfLiteTensorNumDims(t))]
    dims[0] = batch
    if (lib.TfLiteInterpreterResizeInputTensor(interp, 0, (ctypes.c_int * len(dims))(*dims),
                                               len(dims)) != 0
            or lib.TfLiteInterpreterAllocateTensors(interp) != 0):
        sys.exit(f"tflite_peers.py: TFLite refuses {model_path} with a batch of {batch}")
    return interp


def tflite_invoke(lib, interp, xs, n_outputs=1):
    """Runs the windows xs[0] (N, ...) through `interp` in chunks of its batch; returns every
    output as int8 (N, elements per window)."""
    x = xs[0]
    n = len(x)
    inp = lib.TfLiteInterpreterGetInputTensor(interp, 0)
    outs = [lib.TfLiteInterpreterGetOutputTensor(interp, i) for i in range(n_outputs)]
    batch = lib.TfLiteTensorDim(inp, 0)
    per_in = lib.TfLiteTensorByteSize(inp) // batch
    assert per_in == x[0].size, f"input of {per_in} bytes per window, windows of {x[0].size}"
    ys = [np.zeros((n, lib.TfLiteTensorByteSize(o) // batch), np.int8) for o in outs]
    chunk = np.zeros((batch,) + x.shape[1:], np.int8)
    for begin in range(0, n, batch):
        m = min(batch, n - begin)
        chunk[:m] = x[begin:begin + m]
        chunk[m:] = 0
        assert lib.TfLiteTensorCopyFromBuffer(inp, chunk.ctypes.data, chunk.nbytes) == 0
        assert lib.TfLiteInterpreterInvoke(interp) == 0
        for y, o in zip(ys, outs):
            buf = np.zeros((batch, y.shape[1]), np.int8)
            assert lib.TfLiteTensorCopyToBuffer(o, buf.ctypes.data, buf.nbytes) == 0
            y[begin:begin + m] = buf[:m]
    return ys


def run_tflite(model_path, x):
    lib = tflite_lib()
    interp = tflite_interpreter(lib, model_path, min(CHUNK, len(x)))
    return tflite_invoke(lib, interp, [x])[0]


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
            "max_abs_diff": int(d.max()) if d.size else 0,
            "histogram": {str(k): int((d == k).sum()) for k in range(int(d.max()) + 1 if d.size else 0)}}


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
